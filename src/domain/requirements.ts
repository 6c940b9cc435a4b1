import type { Claim, ClaimDocument } from './claim/model';
import { submitDeadline } from './claim/deadline';
import { Money } from './money';
import { reimbursableOf } from './reimbursement';

export type UnmetRequirement =
  | { readonly code: 'invoiceOrCsr' }
  | { readonly code: 'proofOfExecution' }
  | { readonly code: 'explanation'; readonly document: string }
  | { readonly code: 'metric' }
  | { readonly code: 'amountPositive' }
  | { readonly code: 'exchangeRate'; readonly from: string; readonly to: string }
  | { readonly code: 'amountWithinRemaining'; readonly remaining: Money }
  | { readonly code: 'activityEnded'; readonly end: string }
  | { readonly code: 'submissionWindow'; readonly deadline: string };

/**
 * The core requirements of a co-op claim, every unmet one listed. `remaining` is what the fund has
 * left for this claim (its own pending amount not counted against it); `today` is `YYYY-MM-DD`;
 * `deadline` the claim's submit deadline (see claim/deadline.ts; without its fund, 45 days after the
 * activity's end).
 */
export function unmetRequirements(
  claim: Claim,
  remaining: Money,
  today: string,
  deadline = submitDeadline(claim, undefined),
): UnmetRequirement[] {
  const unmet: UnmetRequirement[] = [];
  const docs = claim.documents;
  const ofType = (...types: ClaimDocument['type'][]): boolean =>
    docs.some((d) => types.includes(d.type));
  if (!ofType('invoice', 'csr')) unmet.push({ code: 'invoiceOrCsr' });
  if (!ofType('poe')) unmet.push({ code: 'proofOfExecution' });
  for (const d of docs)
    if (!d.explanation.trim()) unmet.push({ code: 'explanation', document: d.fileName });
  if (!claim.metrics.length) unmet.push({ code: 'metric' });
  // The fund's share of the cost (in its currency) is what it must have left.
  const due = reimbursableOf(claim);
  if (claim.amount.minor <= 0) unmet.push({ code: 'amountPositive' });
  else if (!due)
    unmet.push({ code: 'exchangeRate', from: claim.amount.currency, to: remaining.currency });
  else if (due.minor > remaining.minor) unmet.push({ code: 'amountWithinRemaining', remaining });
  if (claim.activityEnd >= today) unmet.push({ code: 'activityEnded', end: claim.activityEnd });
  if (today > deadline) unmet.push({ code: 'submissionWindow', deadline });
  return unmet;
}

/** The checks a claim's card lists before submit, each met when none of its requirements is unmet. */
export const CHECKS = {
  invoiceOrCsr: ['invoiceOrCsr'],
  proofOfExecution: ['proofOfExecution'],
  explanations: ['explanation'],
  metric: ['metric'],
  amount: ['amountPositive', 'exchangeRate', 'amountWithinRemaining'],
  dates: ['activityEnded', 'submissionWindow'],
} as const satisfies Readonly<Record<string, readonly UnmetRequirement['code'][]>>;
export type CheckCode = keyof typeof CHECKS;

export interface Check {
  readonly code: CheckCode;
  /** What keeps the check from being met (several for explanations); empty when it is met. */
  readonly unmet: readonly UnmetRequirement[];
}

/** The submit requirements as a checklist: the same check unmetRequirements makes, grouped. */
export function requirementChecklist(
  claim: Claim,
  remaining: Money,
  today: string,
  deadline?: string,
): Check[] {
  const unmet = unmetRequirements(claim, remaining, today, deadline);
  return (Object.keys(CHECKS) as CheckCode[]).map((code) => ({
    code,
    unmet: unmet.filter((u) => (CHECKS[code] as readonly string[]).includes(u.code)),
  }));
}
