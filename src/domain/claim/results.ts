import { addDays } from '../dates';
import { AppError, InputIssue, invalidInput } from '../errors';
import { formatAmountInput, money, parseAmount, parseScaled } from '../money';
import { newNotification, trimOutbox } from '../notification';
import { APPROVED_STATUSES, isEditable } from '../status';
import { LIMITS, readChoice, readText } from '../text';
import type { Claim, Metric, MetricKind } from './model';
import { SYSTEM } from './change';
import { RESULTS_OPEN_DAYS, decidedOn } from './resultsWindow';

/** The results a claim reports: counts, and money in the claim's currency (`MONEY_KINDS`). */
export const RESULT_KINDS = ['leads', 'opportunities', 'pipeline', 'revenue'] as const;
/** Every kind Add metric offers, the free one first. */
export const METRIC_KINDS: readonly MetricKind[] = ['other', ...RESULT_KINDS];
/** Results in money: the value is in minor units of the claim's currency. */
export const MONEY_KINDS: readonly MetricKind[] = ['pipeline', 'revenue'];
/** The owner is asked for results this long after the activity's end. */
export const RESULTS_REMINDER_DAYS = 30;

export const kindOf = (m: Pick<Metric, 'kind'>): MetricKind => m.kind ?? 'other';

/** The value a claim holds for a result kind (0 when none is recorded). */
export const resultOf = (claim: Pick<Claim, 'metrics'>, kind: MetricKind): number =>
  claim.metrics.find((m) => kindOf(m) === kind)?.value ?? 0;

/** The metric that a new one of the same kind (or, for free ones, the same name) replaces. */
export const sameMetric = (a: Omit<Metric, 'id'>, b: Omit<Metric, 'id'>): boolean =>
  kindOf(a) === kindOf(b) &&
  (kindOf(a) !== 'other' || a.name.trim().toLowerCase() === b.name.trim().toLowerCase());

/** A metric's value as text in the history, language-neutral: money with its currency. */
export const historyValue = (m: Omit<Metric, 'id'>, currency: string): string =>
  MONEY_KINDS.includes(kindOf(m))
    ? `${formatAmountInput(money(m.value, currency), 'en-US')} ${currency}`
    : String(m.value);

/**
 * What a user typed for a metric. A result kind needs no name (its label is `kindLabel`); a free
 * metric does. Money kinds are read as amounts in `currency`.
 */
export function readMetric(
  input: Readonly<Record<string, unknown>>,
  locale: string,
  currency: string,
  kindLabel: (kind: MetricKind) => string,
): Omit<Metric, 'id'> {
  const issues: InputIssue[] = [];
  const typed =
    typeof input.metricKind === 'string' && input.metricKind ? input.metricKind : 'other';
  const kind = readChoice(issues, 'metricKind', typed, METRIC_KINDS);
  const free = kind === 'other';
  let name = '';
  if (free) name = readText(issues, 'metricName', input.metricName, LIMITS.metricName);
  else if (kind) name = kindLabel(kind);
  let value = 0;
  try {
    const text = typeof input.metricValue === 'string' ? input.metricValue : '';
    value =
      kind && MONEY_KINDS.includes(kind)
        ? parseAmount(text, locale, currency, 'metricValue').minor
        : parseScaled(text, locale, 0, 'metricValue');
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    issues.push(...e.issues);
  }
  if (issues.length || !kind) throw invalidInput(issues);
  return free ? { name, value } : { kind, name, value };
}

/**
 * The day the owner is to be asked for results (RESULTS_REMINDER_DAYS after the activity's end), or
 * undefined: asked already, results recorded, or results no longer wanted (rejected, or waiting
 * for a review, when they cannot be added; the ask comes once it is decided).
 */
export function resultsReminderDue(claim: Claim): string | undefined {
  if (claim.resultsRemindedAt || !claim.activityEnd) return undefined;
  if (claim.metrics.some((m) => kindOf(m) !== 'other')) return undefined;
  if (!isEditable(claim.status) && !APPROVED_STATUSES.includes(claim.status)) return undefined;
  const due = addDays(claim.activityEnd, RESULTS_REMINDER_DAYS);
  const decided = decidedOn(claim);
  // Past the window after the decision nobody can add them any more: nothing to ask.
  return decided && due > addDays(decided, RESULTS_OPEN_DAYS) ? undefined : due;
}

/** Asks the owner for results once, when due at `now`: a notification, and the claim remembers it. */
export function remindResults(claim: Claim, now: string): Claim {
  const due = resultsReminderDue(claim);
  const today = now.slice(0, 10);
  const decided = decidedOn(claim);
  if (!due || due > today || (decided && today > addDays(decided, RESULTS_OPEN_DAYS))) return claim;
  const ask = newNotification({
    id: `${claim.number}-results`,
    kind: 'resultsDue',
    to: claim.owner,
    from: SYSTEM,
    now,
    details: { claim: claim.number },
  });
  return { ...claim, resultsRemindedAt: now, outbox: trimOutbox([...claim.outbox, ask]) };
}
