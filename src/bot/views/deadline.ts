import type { ClaimDetailData } from '../../../cards';
import { Claim, awaitsSubmit, daysUntil, submitDeadline } from '../../domain/claim';
import type { Fund } from '../../domain/fund';
import type { Texts } from '../../i18n/i18n';

/** The claim's submit deadline while it waits to be submitted, else undefined. */
export const deadlineOf = (claim: Claim, fund: Fund | undefined): string | undefined =>
  awaitsSubmit(claim) ? submitDeadline(claim, fund) : undefined;

/** The deadline line under the next step ("Submit by Mar 12, 2027"), and an extension asked for. */
export function deadlineViews(
  texts: Texts,
  claim: Claim,
  deadline: string | undefined,
  today: string,
): Pick<ClaimDetailData, 'deadline' | 'extension'> {
  const asked = deadline ? claim.extensionRequest : undefined;
  const passed = deadline !== undefined && daysUntil(today, deadline) < 0;
  return {
    deadline: deadline
      ? {
          text: texts.t(passed ? 'deadline.passed' : 'deadline.submitBy', {
            date: texts.date(deadline),
          }),
          passed,
        }
      : null,
    extension: asked
      ? {
          text: texts.t('deadline.extensionAsked', {
            name: asked.by.name,
            date: texts.date(asked.at),
          }),
          reason: asked.reason,
        }
      : null,
  };
}
