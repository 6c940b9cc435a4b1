import { Container } from '@azure/cosmos';
import { CosmosDb, queryAll, statusOf, updateDoc } from './cosmos';

/** The tenant record's fields a wipe changes (see tenantRecord.ts, TenantDoc). */
interface CounterDoc {
  readonly id: 'counter';
  readonly tenantId: string;
  readonly ledger?: unknown;
  readonly listVersion?: number;
}

async function deleteAll(
  container: Container,
  tenantId: string,
  opts: { where?: string; keep?: readonly string[] } = {},
): Promise<void> {
  const ids = await queryAll<{ id: string }>(
    container,
    `SELECT c.id FROM c WHERE c.tenantId = @t${opts.where ?? ''}`,
    [{ name: '@t', value: tenantId }],
  );
  for (const { id } of ids) {
    if (opts.keep?.includes(id)) continue;
    try {
      await container.item(id, tenantId).delete();
    } catch (e) {
      if (statusOf(e) !== 404) throw e;
    }
  }
}

/**
 * Local demo only (`reset demo`): removes a tenant's claims, fund requests, pending uploads and funds (except
 * `keepFundIds`), and drops the fund sums of its record, to be made anew from the claims. Claim
 * numbers and the list version go on from where they were, so that no number is given twice and
 * no claim list cached at an older version is taken for a current one; this process's caches see
 * the record changed as they would another instance's write (a 412 and a read).
 */
export async function wipeTenant(
  db: CosmosDb,
  tenantId: string,
  opts: { keepFundIds: readonly string[] },
): Promise<void> {
  const claims = db.container('claims');
  await deleteAll(claims, tenantId, {
    where: " AND (c.type = 'claim' OR c.type = 'fundRequest')",
  });
  await deleteAll(db.container('uploads'), tenantId);
  await deleteAll(db.container('funds'), tenantId, { keep: opts.keepFundIds });
  await updateDoc<CounterDoc>(claims, tenantId, 'counter', (current) => {
    if (!current) return undefined;
    const { ledger: _ledger, ...rest } = current;
    return { ...rest, listVersion: (current.listVersion ?? 0) + 1 };
  });
}
