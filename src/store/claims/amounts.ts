import type { Container } from '@azure/cosmos';
import { RESULT_KINDS, resultOf } from '../../domain/claim';
import type { Metric } from '../../domain/claim';
import { ClaimAmounts, FundLedger, ledgerOf } from '../../domain/fund';
import { queryAll } from '../cosmos';
import type { ClaimKey } from './port';
import type { ClaimResults } from './summary';

/** What the fund sums and their activity types need of a claim (ClaimAmounts), as a projection. */
export const AMOUNT_FIELDS =
  'c.fundId, c.status, c.amount, c.approvedAmount, c.terms, c.exchange, c.payments, c.activityType, c.metrics, c.submittedAt';

/** The sums of the claims one user owns, from those claims (a query in the tenant's partition). */
export async function ownLedger(
  container: Container,
  tenantId: string,
  userId: string,
): Promise<FundLedger> {
  const claims = await queryAll<ClaimAmounts>(
    container,
    `SELECT ${AMOUNT_FIELDS} FROM c WHERE c.tenantId = @t AND c.type = 'claim' AND c.owner.id = @u`,
    [
      { name: '@t', value: tenantId },
      { name: '@u', value: userId },
    ],
  );
  return ledgerOf(claims);
}

/** Claims, in every tenant, whose owner is to be asked for results on or before `day`. */
export const withResultsDueBy = (container: Container, day: string): Promise<ClaimKey[]> =>
  queryAll<ClaimKey>(
    container,
    "SELECT c.tenantId, c.number FROM c WHERE c.type = 'claim' AND c.resultsDue <= @day",
    [{ name: '@day', value: day }],
  );

/** The results of claims from their metrics, by claim number. */
export function resultsByNumber(
  rows: readonly { readonly number: string; readonly metrics: readonly Metric[] }[],
): ReadonlyMap<string, ClaimResults> {
  return new Map(
    rows.map((r) => [
      r.number,
      Object.fromEntries(RESULT_KINDS.map((k) => [k, resultOf(r, k)])) as ClaimResults,
    ]),
  );
}

/** The results of a fund's claims (a query in the tenant's partition). */
export async function resultsOfFund(
  container: Container,
  tenantId: string,
  fundId: string,
): Promise<ReadonlyMap<string, ClaimResults>> {
  const rows = await queryAll<{ number: string; metrics: Metric[] }>(
    container,
    "SELECT c.number, c.metrics FROM c WHERE c.tenantId = @t AND c.type = 'claim' AND c.fundId = @f",
    [
      { name: '@t', value: tenantId },
      { name: '@f', value: fundId },
    ],
  );
  return resultsByNumber(rows);
}
