import { EMPTY_POLICY_RECORD, PolicyRecord } from '../../domain/policy';
import { PolicyRepository, withChanges } from '../policy';
import { stored } from './stored';

/** The tenants' approval policies in this process's memory: the twin of CosmosPolicyRepository. */
export class MemoryPolicyRepository implements PolicyRepository {
  private readonly records = new Map<string, PolicyRecord>();

  async get(tenantId: string): Promise<PolicyRecord> {
    return stored(this.records.get(tenantId) ?? EMPTY_POLICY_RECORD);
  }

  async change(
    tenantId: string,
    edit: Parameters<PolicyRepository['change']>[1],
  ): Promise<PolicyRecord> {
    const was = await this.get(tenantId);
    const { record, changes } = edit(was);
    if (changes.length || record !== was) {
      this.records.set(tenantId, stored(withChanges(record, changes)));
    }
    return this.get(tenantId);
  }
}
