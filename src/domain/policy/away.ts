import { AppError, InputIssue, invalidInput } from '../errors';
import type { Actor, Person, Role } from '../roles';
import { canReview, isTenantAdmin } from '../roles';
import { readDate } from '../text';
import type { Absence, PolicyRecord } from './model';

/** Away until the day `until`: on that day (by the clock at read time) the absence is over. */
export const isAway = (a: Absence, now: Date): boolean => now.toISOString().slice(0, 10) < a.until;

/** Those away now, with who covers for them (expired absences are simply ignored). */
export const awayNow = (record: PolicyRecord, now: Date): Absence[] =>
  Object.values(record.policy.away ?? {}).filter((a) => isAway(a, now));

/** `away until <date> @Name`: a reviewer or admin names who covers for them until the date. */
export function goAway(
  record: PolicyRecord,
  actor: Actor,
  delegate: Person,
  untilText: string,
  now: Date,
): PolicyRecord {
  if (!canReview(actor) && !isTenantAdmin(actor)) {
    throw new AppError('NOT_ALLOWED', { action: 'away' });
  }
  const issues: InputIssue[] = [];
  const until = readDate(issues, 'until', untilText);
  if (!issues.length && until <= now.toISOString().slice(0, 10)) {
    issues.push({ field: 'until', problem: 'inPast' });
  }
  if (delegate.id === actor.userId) issues.push({ field: 'delegate', problem: 'invalid' });
  if (issues.length) throw invalidInput(issues);
  const absent: Person = { id: actor.userId, name: actor.name };
  const away = { ...record.policy.away, [actor.userId]: { absent, delegate, until } };
  return { ...record, policy: { ...record.policy, away } };
}

/** `back`: the absence of the actor ends now. */
export function comeBack(record: PolicyRecord, actor: Actor): PolicyRecord {
  const { [actor.userId]: gone, ...away } = record.policy.away ?? {};
  return gone ? { ...record, policy: { ...record.policy, away } } : record;
}

/**
 * A delegate acts with the roles of whom they cover for, recorded "for" that person; their own four
 * eyes still apply, as they act under their own id. Only roles they lack make them act "for" someone.
 */
export function withDelegation(
  actor: Actor,
  absences: readonly Absence[],
  rolesOf: (absent: Person) => readonly Role[],
): Actor {
  for (const a of absences) {
    if (a.delegate.id !== actor.userId) continue;
    const added = rolesOf(a.absent).filter((r) => !actor.roles.has(r));
    if (!added.length) continue;
    return { ...actor, roles: new Set([...actor.roles, ...added]), onBehalfOf: a.absent };
  }
  return actor;
}

/** Recipients with everyone away replaced by who covers for them (each once). */
export function redirected<P extends Person>(
  people: readonly P[],
  absences: readonly Absence[],
): Person[] {
  const out = people.map((p) => absences.find((a) => a.absent.id === p.id)?.delegate ?? p);
  return [...new Map(out.map((p) => [p.id, p])).values()];
}
