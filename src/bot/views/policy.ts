import type { Claim } from '../../domain/claim';
import { waitedDays } from '../../domain/policy';
import type { Texts } from '../../i18n/i18n';
import { literal } from './text';

/**
 * "Approval 1 of 2" while a claim waits for its second approval, with who gave the first and for how
 * much; the card everybody in a shared chat sees says only the step.
 */
export function approvalStepLine(texts: Texts, claim: Claim, withheld: boolean): string {
  const first = claim.firstApproval;
  if (!first) return '';
  if (withheld) return texts.t('detail.approvalOneOfTwo');
  return texts.t('detail.approvalOneOfTwoBy', {
    name: literal(first.by.name),
    amount: texts.money(first.amount),
  });
}

/** How many business days a claim has waited for its review, or empty when it is not waiting. */
export function waitedLine(texts: Texts, claim: Claim, now: Date): string {
  const days = waitedDays(claim, now);
  return days === undefined ? '' : texts.t('policy.days', { days });
}
