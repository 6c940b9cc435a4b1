import { addDays } from '../dates';
import { InputIssue, invalidInput } from '../errors';
import { Fund, fundLastDay } from '../fund';
import { Recipient, newNotification, trimOutbox } from '../notification';
import type { Actor } from '../roles';
import { CLAIM_STATUSES, ClaimStatus, canTransition } from '../status';
import { LIMITS, readDate, readText } from '../text';
import { SYSTEM, record } from './change';
import type { Claim } from './model';
import { authorize, person } from './permissions';

/** Days after the activity's end within which a claim must be submitted. */
export const SUBMIT_WITHIN_DAYS = 45;
/** The owner is reminded this many days before the submit deadline, once each. */
export const DEADLINE_REMINDER_DAYS: readonly number[] = [14, 7, 1];
/** The latest deadline an extension may grant, in days from today. */
const EXTEND_AT_MOST_DAYS = 365;

export type FundPeriod = Pick<Fund, 'periodEnd' | 'graceDays'>;

/**
 * The last day a claim may be submitted (`YYYY-MM-DD`): the one an Incentives admin granted, else
 * 45 days after the activity's end or the fund's period end plus its grace, whichever comes first.
 */
export function submitDeadline(
  claim: Pick<Claim, 'activityEnd' | 'extendedTo'>,
  fund: FundPeriod | undefined,
): string {
  if (claim.extendedTo) return claim.extendedTo;
  const own = addDays(claim.activityEnd, SUBMIT_WITHIN_DAYS);
  const funds = fund ? fundLastDay(fund) : own;
  return own < funds ? own : funds;
}

/** Whole days from `today` to `day` (both `YYYY-MM-DD`): negative once `day` has passed. */
export const daysUntil = (today: string, day: string): number =>
  Math.round((Date.parse(`${day}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);

/** The statuses in which a claim waits for its owner to submit it: a submit deadline applies. */
export const SUBMIT_STATUSES: readonly ClaimStatus[] = CLAIM_STATUSES.filter((s) =>
  canTransition(s, 'submit'),
);

export const awaitsSubmit = (claim: Pick<Claim, 'status'>): boolean =>
  SUBMIT_STATUSES.includes(claim.status);

/** Request extension: the owner asks the Incentives admins for a later deadline, with a reason. */
export function requestExtension(
  claim: Claim,
  actor: Actor,
  reasonText: unknown,
  now: string,
  admins: readonly Recipient[],
): Claim {
  authorize(actor, claim, 'requestExtension');
  const issues: InputIssue[] = [];
  const reason = readText(issues, 'reason', reasonText, LIMITS.note);
  if (issues.length) throw invalidInput(issues);
  return record(claim, {
    actor,
    now,
    kind: 'extensionRequested',
    note: reason,
    changes: { extensionRequest: { by: person(actor), at: now, reason } },
    announce: [{ kind: 'extensionRequested', to: admins, note: reason }],
  });
}

/** An Incentives admin grants a new deadline (from today to a year ahead); the owner is told. */
export function grantExtension(claim: Claim, actor: Actor, dayText: unknown, now: string): Claim {
  authorize(actor, claim, 'decideExtension');
  const issues: InputIssue[] = [];
  const until = readDate(issues, 'extendTo', dayText);
  const left = until ? daysUntil(now.slice(0, 10), until) : 0;
  if (until && left < 0) issues.push({ field: 'extendTo', problem: 'inPast' });
  if (left > EXTEND_AT_MOST_DAYS) {
    issues.push({ field: 'extendTo', problem: 'dueTooFar', params: { max: EXTEND_AT_MOST_DAYS } });
  }
  if (issues.length) throw invalidInput(issues);
  return record(claim, {
    actor,
    now,
    kind: 'extensionGranted',
    item: until,
    changes: { extendedTo: until, extensionRequest: undefined },
    announce: [{ kind: 'extensionGranted', to: [claim.owner], details: { due: until } }],
  });
}

/** An Incentives admin declines the extension (a reason is optional); the owner is told. */
export function declineExtension(
  claim: Claim,
  actor: Actor,
  reasonText: unknown,
  now: string,
): Claim {
  authorize(actor, claim, 'decideExtension');
  const issues: InputIssue[] = [];
  const reason = readText(issues, 'reason', reasonText, LIMITS.note, { required: false });
  if (issues.length) throw invalidInput(issues);
  return record(claim, {
    actor,
    now,
    kind: 'extensionDeclined',
    ...(reason ? { note: reason } : {}),
    changes: { extensionRequest: undefined },
    announce: [{ kind: 'extensionDeclined', to: [claim.owner], note: reason }],
  });
}

/**
 * The owner's reminder of a nearing submit deadline, 14, 7 and 1 days before it: once each for the
 * deadline as it stands (a granted extension starts them anew); when the app comes by late, one
 * reminder for the nearest mark passed. Unchanged when none is due, so a second run changes nothing.
 */
export function remindSubmitDeadline(
  claim: Claim,
  fund: FundPeriod | undefined,
  now: string,
): Claim {
  if (!awaitsSubmit(claim)) return claim;
  const deadline = submitDeadline(claim, fund);
  const left = daysUntil(now.slice(0, 10), deadline);
  if (left < 0) return claim;
  const earlier = claim.deadlineReminders;
  const sent = earlier?.deadline === deadline ? earlier.sent : [];
  const due = DEADLINE_REMINDER_DAYS.filter((d) => left <= d && !sent.includes(d));
  if (!due.length) return claim;
  const reminder = newNotification({
    id: `${claim.number}-deadline-${deadline}-${Math.min(...due)}`,
    kind: 'submitDeadlineNear',
    to: claim.owner,
    from: SYSTEM,
    now,
    details: { claim: claim.number, due: deadline },
  });
  return {
    ...claim,
    deadlineReminders: { deadline, sent: [...sent, ...due] },
    outbox: trimOutbox([...claim.outbox, reminder]),
  };
}
