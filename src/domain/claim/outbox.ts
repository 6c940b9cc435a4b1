import type { Notification } from '../notification';
import { trimOutbox } from '../notification';
import { recordSystemEvent } from './change';
import type { Claim } from './model';

/** Records the outcome of one delivery attempt (the dispatcher's only way to change a claim). */
export function updateNotification(
  claim: Claim,
  id: string,
  change: (n: Notification) => Notification,
): Claim {
  const outbox = claim.outbox.map((n) => (n.id === id ? change(n) : n));
  return { ...claim, outbox: trimOutbox(outbox) };
}

/**
 * A notification given up on; `code` says why (`http-503`, `unreachable`: never an error's text). The
 * code stays in the outbox and the log: the history people read names only whom it did not reach.
 */
export function notificationFailed(claim: Claim, id: string, code: string, now: string): Claim {
  const n = claim.outbox.find((x) => x.id === id);
  if (!n) return claim;
  const failed = updateNotification(claim, id, (x) => ({
    ...x,
    state: 'failed',
    lastError: code,
    attempts: x.attempts + 1,
    lease: undefined,
  }));
  return recordSystemEvent(failed, { now, kind: 'notificationFailed', item: n.to.name });
}

/**
 * A notification kept for a person the chat service does not know yet (the app not installed for
 * them; in the Agents Playground, a person not at its keyboard): delivered when they next write or
 * install. The history says so the first time, by name.
 */
export function notificationWaiting(claim: Claim, id: string, now: string): Claim {
  const n = claim.outbox.find((x) => x.id === id);
  if (!n) return claim;
  const waiting = updateNotification(claim, id, (x) => ({
    ...x,
    state: 'awaitingInstall',
    attempts: x.attempts + 1,
    lease: undefined,
  }));
  if (n.attempts > 0) return waiting;
  return recordSystemEvent(waiting, { now, kind: 'notificationWaiting', item: n.to.name });
}
