import type { Claim, ClaimDocument } from './claim/model';
import { Money } from './money';
import { addDays } from './dates';

/** Days after the activity's end within which a claim must be submitted. */
export const SUBMISSION_WINDOW_DAYS = 45;

export type UnmetRequirement =
  | { readonly code: 'invoiceOrCsr' }
  | { readonly code: 'proofOfExecution' }
  | { readonly code: 'explanation'; readonly document: string }
  | { readonly code: 'metric' }
  | { readonly code: 'amountPositive' }
  | { readonly code: 'amountWithinRemaining'; readonly remaining: Money }
  | { readonly code: 'activityEnded'; readonly end: string }
  | { readonly code: 'submissionWindow'; readonly deadline: string };

/**
 * The core requirements of a co-op claim, every unmet one listed. `remaining` is what the fund has
 * left for this claim (its own pending amount not counted against it); `today` is `YYYY-MM-DD`.
 */
export function unmetRequirements(
  claim: Claim,
  remaining: Money,
  today: string,
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
  if (claim.amount.minor <= 0) unmet.push({ code: 'amountPositive' });
  else if (claim.amount.minor > remaining.minor)
    unmet.push({ code: 'amountWithinRemaining', remaining });
  if (claim.activityEnd >= today) unmet.push({ code: 'activityEnded', end: claim.activityEnd });
  const deadline = addDays(claim.activityEnd, SUBMISSION_WINDOW_DAYS);
  if (today > deadline) unmet.push({ code: 'submissionWindow', deadline });
  return unmet;
}
