import { AppError, InputIssue, invalidInput } from '../errors';
import { Money, formatAmountInput, parsePositiveAmount, readCurrency } from '../money';
import { LIMITS, readChoice, readDate, readText } from '../text';
import { ACTIVITY_TYPES, Claim } from './model';

/** The fields of a claim its owner types (and may change while it is editable). */
export const INFORMATION_FIELDS = [
  'title',
  'activityType',
  'activityStart',
  'activityEnd',
  'amount',
  'description',
  'additionalInfo',
] as const;

export type ClaimInformation = Pick<Claim, (typeof INFORMATION_FIELDS)[number]>;

/**
 * Validates what a user typed for a claim's information (all problems at once). The claim's
 * currency is the one typed, or `currency` (the fund's, or the claim's own) when none is.
 */
export function readClaimInformation(
  input: Readonly<Record<string, unknown>>,
  fallbackCurrency: string,
  locale: string,
): ClaimInformation {
  const issues: InputIssue[] = [];
  const typed = typeof input.currency === 'string' && input.currency.trim();
  const currency = typed ? readCurrency(issues, 'currency', input.currency) : fallbackCurrency;
  const title = readText(issues, 'title', input.title, LIMITS.title);
  const activityType = readChoice(issues, 'activityType', input.activityType, ACTIVITY_TYPES);
  const activityStart = readDate(issues, 'activityStart', input.activityStart);
  const activityEnd = readDate(issues, 'activityEnd', input.activityEnd);
  if (activityStart && activityEnd && activityEnd < activityStart) {
    issues.push({ field: 'activityEnd', problem: 'endBeforeStart' });
  }
  let amount: Money | undefined;
  try {
    if (currency) {
      amount = parsePositiveAmount(
        typeof input.amount === 'string' ? input.amount : '',
        locale,
        currency,
      );
    }
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    issues.push(...e.issues);
  }
  const description = readText(issues, 'description', input.description, LIMITS.description, {
    required: false,
  });
  const additionalInfo = readText(
    issues,
    'additionalInfo',
    input.additionalInfo,
    LIMITS.additionalInfo,
    { required: false },
  );
  if (issues.length || !activityType || !amount) throw invalidInput(issues);
  return { title, activityType, activityStart, activityEnd, amount, description, additionalInfo };
}

/** Form values to pre-fill an edit form with the claim's current information. */
export function informationFormValues(claim: Claim, locale: string): Record<string, string> {
  return {
    title: claim.title,
    activityType: claim.activityType,
    activityStart: claim.activityStart,
    activityEnd: claim.activityEnd,
    amount: formatAmountInput(claim.amount, locale),
    currency: claim.amount.currency,
    description: claim.description,
    additionalInfo: claim.additionalInfo,
  };
}
