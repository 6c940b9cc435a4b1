import { AppError, InputIssue, invalidInput } from '../errors';
import { Money, formatAmountInput, parsePositiveAmount } from '../money';
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
 * Validates what a user typed for a claim's information (all problems at once). `currency` is the
 * fund's: a claim is always in its fund's currency.
 */
export function readClaimInformation(
  input: Readonly<Record<string, unknown>>,
  currency: string,
  locale: string,
): ClaimInformation {
  const issues: InputIssue[] = [];
  const title = readText(issues, 'title', input.title, LIMITS.title);
  const activityType = readChoice(issues, 'activityType', input.activityType, ACTIVITY_TYPES);
  const activityStart = readDate(issues, 'activityStart', input.activityStart);
  const activityEnd = readDate(issues, 'activityEnd', input.activityEnd);
  if (activityStart && activityEnd && activityEnd < activityStart) {
    issues.push({ field: 'activityEnd', problem: 'endBeforeStart' });
  }
  let amount: Money | undefined;
  try {
    amount = parsePositiveAmount(
      typeof input.amount === 'string' ? input.amount : '',
      locale,
      currency,
    );
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
    description: claim.description,
    additionalInfo: claim.additionalInfo,
  };
}
