import { invalidInput } from '../errors';
import { MAX_HANDS, withHands } from '../fourEyes';
import { Recipient, newNotification, trimOutbox } from '../notification';
import type { Actor } from '../roles';
import { isEditable } from '../status';
import { addDays } from '../text';
import { nextSeq, record, uniqueRecipients } from './history';
import type { Claim, DocumentType, UploadRequest } from './model';
import { authorize, person } from './permissions';

/** Business days after `day` (Saturday and Sunday skipped), for due dates. */
export function addBusinessDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  let left = days;
  while (left > 0) {
    d.setUTCDate(d.getUTCDate() + 1);
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) left -= 1;
  }
  return d.toISOString().slice(0, 10);
}

export const UPLOAD_DUE_BUSINESS_DAYS = 5;

/**
 * Asks colleagues to upload documents: each becomes a contributor of this claim (and only this one),
 * the request shows on the card and in history, and each is notified.
 */
export function requestUploads(
  claim: Claim,
  actor: Actor,
  request: {
    readonly to: readonly Recipient[];
    readonly types: readonly DocumentType[];
    readonly note: string;
    readonly origin?: Readonly<Record<string, unknown>>;
  },
  now: string,
): Claim {
  authorize(actor, claim, 'requestUpload');
  const due = addBusinessDays(now.slice(0, 10), UPLOAD_DUE_BUSINESS_DAYS);
  const to = uniqueRecipients(request.to).filter((r) => r.id !== actor.userId);
  if (!to.length) throw invalidInput([{ field: 'colleague', problem: 'required' }]);
  if (withHands(claim, [actor.userId, ...to.map((r) => r.id)]).length > MAX_HANDS) {
    throw invalidInput([{ field: 'colleague', problem: 'tooMany', params: { max: MAX_HANDS } }]);
  }
  const seq = nextSeq(claim);
  const requests: UploadRequest[] = to.map((r, i) => ({
    id: `r${seq}-${i}`,
    to: r,
    types: request.types,
    note: request.note,
    due,
    requestedBy: person(actor),
    at: now,
  }));
  const contributors = [
    ...claim.contributors,
    ...to
      .filter((r) => r.id !== claim.owner.id && !claim.contributors.some((c) => c.id === r.id))
      .map((r) => ({ ...r })),
  ];
  return record(claim, {
    actor,
    now,
    kind: 'uploadRequested',
    changes: { uploadRequests: [...claim.uploadRequests, ...requests], contributors },
    item: to.map((r) => r.name).join(', '),
    note: request.note,
    announce: [
      {
        kind: 'uploadRequested',
        to,
        note: request.note,
        details: { types: request.types.join(','), due },
        origin: request.origin,
      },
    ],
  });
}

/** Reminders start this many days before a request is due, and go on daily until it is fulfilled. */
export const REMIND_DAYS_BEFORE_DUE = 1;

/** The earliest due date of an open upload request (for the reminder job's query), if any. */
export function nextReminderDue(claim: Claim): string | undefined {
  if (!isEditable(claim.status)) return undefined;
  const open = claim.uploadRequests.filter((r) => !r.fulfilledAt).map((r) => r.due);
  return open.length ? open.sort()[0] : undefined;
}

/**
 * Queues a reminder for every open upload request due within a day or overdue, at most once a day
 * per request. Reminders are notifications only: history already holds the request.
 */
export function remindOpenRequests(claim: Claim, now: string): Claim {
  const today = now.slice(0, 10);
  if (!isEditable(claim.status)) return claim;
  const dueSoon = claim.uploadRequests.filter(
    (r) =>
      !r.fulfilledAt && r.remindedOn !== today && addDays(today, REMIND_DAYS_BEFORE_DUE) >= r.due,
  );
  if (!dueSoon.length) return claim;
  const reminders = dueSoon.map((r) =>
    newNotification({
      id: `${claim.number}-remind-${r.id}-${today}`,
      kind: 'uploadReminder',
      to: r.to,
      from: r.requestedBy,
      now,
      note: r.note,
      details: { claim: claim.number, types: r.types.join(','), due: r.due },
    }),
  );
  return {
    ...claim,
    uploadRequests: claim.uploadRequests.map((r) =>
      dueSoon.includes(r) ? { ...r, remindedOn: today } : r,
    ),
    outbox: trimOutbox([...claim.outbox, ...reminders]),
  };
}
