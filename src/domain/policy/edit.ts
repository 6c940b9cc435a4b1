import { AppError, InputIssue, invalidInput } from '../errors';
import { parseAmount } from '../money';
import { Actor, isTenantAdmin } from '../roles';
import { person } from '../claim';
import { MAX_REVIEW_WITHIN_DAYS, PolicyChange, PolicyRecord, TenantPolicy } from './model';

/** Incentives admins (and global admins) see and change the approval policy; no one else. */
export function authorizePolicy(actor: Actor): void {
  if (!isTenantAdmin(actor)) throw new AppError('POLICY_ADMINS_ONLY');
}

/** What the policy card sends back: an amount per currency (blank: none) and the business days. */
export interface PolicyInput {
  readonly secondApprovalAbove: Readonly<Record<string, string>>;
  readonly reviewWithinDays: string;
}

/** The input field of Second approval above in one currency. */
export const secondAboveField = (currency: string): string => `secondAbove${currency}`;

function readDays(text: string, issues: InputIssue[]): number | undefined {
  const days = /^\s*\d{1,3}\s*$/.test(text) ? Number(text) : NaN;
  if (days >= 1 && days <= MAX_REVIEW_WITHIN_DAYS) return days;
  issues.push({
    field: 'reviewWithinDays',
    problem: 'daysRange',
    params: { max: MAX_REVIEW_WITHIN_DAYS },
  });
  return undefined;
}

function readAmounts(
  input: PolicyInput,
  locale: string,
  issues: InputIssue[],
): Record<string, number | undefined> {
  const amounts: Record<string, number | undefined> = {};
  for (const [currency, text] of Object.entries(input.secondApprovalAbove)) {
    if (!text.trim()) {
      amounts[currency] = undefined;
      continue;
    }
    try {
      amounts[currency] = parseAmount(text, locale, currency, 'secondApprovalAbove').minor;
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      issues.push(...e.issues);
    }
  }
  return amounts;
}

/**
 * The policy as an Incentives admin saved it on the policy card, with one history entry per rule that
 * changed (old → new). Currencies not on the card keep their rule. Effective at once.
 */
export function editPolicy(
  current: PolicyRecord,
  actor: Actor,
  input: PolicyInput,
  locale: string,
  now: string,
): { record: PolicyRecord; changes: PolicyChange[] } {
  authorizePolicy(actor);
  const issues: InputIssue[] = [];
  const days = readDays(input.reviewWithinDays, issues);
  const amounts = readAmounts(input, locale, issues);
  if (issues.length || days === undefined) throw invalidInput(issues);
  const by = person(actor);
  const was = current.policy;
  const changes: PolicyChange[] = [];
  const secondApprovalAbove: Record<string, number> = { ...was.secondApprovalAbove };
  for (const [currency, minor] of Object.entries(amounts)) {
    if (minor === was.secondApprovalAbove[currency]) continue;
    changes.push({
      by,
      at: now,
      rule: 'secondApprovalAbove',
      currency,
      ...(was.secondApprovalAbove[currency] !== undefined
        ? { from: was.secondApprovalAbove[currency] }
        : {}),
      ...(minor !== undefined ? { to: minor } : {}),
    });
    if (minor === undefined) delete secondApprovalAbove[currency];
    else secondApprovalAbove[currency] = minor;
  }
  if (days !== was.reviewWithinDays) {
    changes.push({ by, at: now, rule: 'reviewWithinDays', from: was.reviewWithinDays, to: days });
  }
  const policy: TenantPolicy = { ...was, secondApprovalAbove, reviewWithinDays: days };
  return { record: { ...current, policy }, changes };
}
