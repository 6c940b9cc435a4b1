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

/** A notification given up on; `code` says why (`http-403`, `unreachable`: never an error's text). */
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
  return recordSystemEvent(failed, {
    now,
    kind: 'notificationFailed',
    item: n.to.name,
    note: code,
  });
}
