import { Container } from '@azure/cosmos';
import { EMPTY_POLICY_RECORD, PolicyChange, PolicyRecord } from '../domain/policy';
import { CosmosDb, readDoc, updateDoc } from './cosmos';
import { StampedCache, TenantStamps } from './tenantStamps';

/** The newest changes of the policy kept as the tenant's history of it (like a user's role audit). */
export const POLICY_CHANGES_KEPT = 100;

/** The tenant's approval policy: one small record per tenant, read by every Approve. */
export interface PolicyRepository {
  get(tenantId: string): Promise<PolicyRecord>;
  /**
   * Applies `edit` to the stored policy in one conditional write and appends the changes it returns
   * to the policy's history (an edit returning the same record and no changes writes nothing);
   * returns the stored record. Effective on every instance at the next turn.
   */
  change(
    tenantId: string,
    edit: (current: PolicyRecord) => { record: PolicyRecord; changes: readonly PolicyChange[] },
  ): Promise<PolicyRecord>;
}

/** The record with `changes` appended to its history, the newest kept. */
export const withChanges = (
  record: PolicyRecord,
  changes: readonly PolicyChange[],
): PolicyRecord => ({
  policy: record.policy,
  changes: [...record.changes, ...changes].slice(-POLICY_CHANGES_KEPT),
});

interface PolicyDoc extends PolicyRecord {
  readonly id: typeof POLICY_ID;
  readonly tenantId: string;
  readonly type: 'policy';
}
const POLICY_ID = 'policy';

/**
 * The policy lives beside the tenant's users (it says who may decide what) and is kept in a process
 * like their roles: while the tenant's roles stamp stays. A change bumps that stamp once stored, so
 * the very next turn on every instance reads it again; an Approve costs no extra read.
 */
export class CosmosPolicyRepository implements PolicyRepository {
  private readonly container: Container;
  private readonly cache: StampedCache<PolicyRecord>;

  constructor(private readonly deps: { readonly db: CosmosDb; readonly stamps: TenantStamps }) {
    this.container = deps.db.container('users');
    this.cache = new StampedCache({ stamps: deps.stamps, kind: 'roles' });
  }

  get(tenantId: string): Promise<PolicyRecord> {
    return this.cache.get(tenantId, tenantId, async () => {
      const found = await readDoc<PolicyDoc>(this.container, tenantId, POLICY_ID);
      return found ? { policy: found.doc.policy, changes: found.doc.changes } : EMPTY_POLICY_RECORD;
    });
  }

  async change(
    tenantId: string,
    edit: (current: PolicyRecord) => { record: PolicyRecord; changes: readonly PolicyChange[] },
  ): Promise<PolicyRecord> {
    let changed = false;
    const saved = await updateDoc<PolicyDoc>(this.container, tenantId, POLICY_ID, (current) => {
      const was = current ?? EMPTY_POLICY_RECORD;
      const { record, changes } = edit(was);
      changed = changes.length > 0 || record !== was;
      if (!changed) return undefined;
      return { id: POLICY_ID, tenantId, type: 'policy', ...withChanges(record, changes) };
    });
    if (changed) await this.deps.stamps.bump(tenantId, 'roles');
    return saved ? { policy: saved.policy, changes: saved.changes } : EMPTY_POLICY_RECORD;
  }
}
