import type { Payment } from '../../domain/claim';
import type { Money } from '../../domain/money';
import type { ExchangeRate, FundTerms } from '../../domain/reimbursement';
import type { ClaimStatus } from '../../domain/status';
import type { RESULT_KINDS } from '../../domain/claim';

/** A claim as lists show it. */
export interface ClaimSummary {
  readonly number: string;
  readonly seq: number;
  readonly title: string;
  readonly status: ClaimStatus;
  readonly amount: Money;
  readonly approvedAmount?: Money;
  /** What the fund's totals need (see reimbursement.ts): its money rules, rate and payments. */
  readonly terms?: FundTerms;
  readonly exchange?: ExchangeRate;
  readonly payments?: readonly Payment[];
  readonly fundId: string;
  readonly ownerName: string;
}

/** A claim summary's fields, as a Cosmos DB projection. */
export const SUMMARY_FIELDS =
  'c.number, c.seq, c.title, c.status, c.amount, c.approvedAmount, c.terms, c.exchange, c.payments, c.fundId, c.owner.name AS ownerName';

/** A claim's results (issue 33), 0 where none is recorded; money in minor units of its currency. */
export type ClaimResults = Readonly<Record<(typeof RESULT_KINDS)[number], number>>;
