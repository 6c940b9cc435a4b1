import { InputIssue, invalidInput } from '../errors';
import { MAX_HANDS, withHands } from '../fourEyes';
import { Recipient, newNotification, trimOutbox } from '../notification';
import type { Actor } from '../roles';
import { isEditable } from '../status';
import { readDate } from '../text';
import { addDays } from '../dates';
import { nextSeq, record, uniqueRecipients } from './change';
import { Claim, DocumentType, UploadRequest, isOpenRequest } from './model';
import { keepRecentRequests } from './requestList';
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
/** A due date further out than this is a typo rather than a plan. */
export const UPLOAD_DUE_MAX_DAYS = 366;

/** The due date of a new request: the one chosen, checked, or the default. */
export function dueDate(chosen: string | undefined, today: string): string {
  if (!chosen) return addBusinessDays(today, UPLOAD_DUE_BUSINESS_DAYS);
  const issues: InputIssue[] = [];
  const due = readDate(issues, 'due', chosen);
  if (!issues.length && due < today) issues.push({ field: 'due', problem: 'dueInPast' });
  if (!issues.length && due > addDays(today, UPLOAD_DUE_MAX_DAYS)) {
    issues.push({ field: 'due', problem: 'dueTooFar', params: { max: UPLOAD_DUE_MAX_DAYS } });
  }
  if (issues.length) throw invalidInput(issues);
  return due;
}

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
    /** `YYYY-MM-DD`, today or later; UPLOAD_DUE_BUSINESS_DAYS business days from today without. */
    readonly due?: string;
    readonly origin?: Readonly<Record<string, unknown>>;
  },
  now: string,
): Claim {
  authorize(actor, claim, 'requestUpload');
  const due = dueDate(request.due, now.slice(0, 10));
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
    changes: {
      uploadRequests: keepRecentRequests([...claim.uploadRequests, ...requests]),
      contributors,
    },
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

/**
 * Calls off an open upload request: the requester (or whoever may ask colleagues on the claim) may.
 * The colleague is told, and stops being a contributor unless another open request or a document
 * of theirs keeps them one; having had a hand stays (four eyes).
 */
export function cancelUploadRequest(
  claim: Claim,
  actor: Actor,
  requestId: string,
  now: string,
): Claim {
  const request = claim.uploadRequests.find((r) => r.id === requestId && isOpenRequest(r));
  if (!request) throw invalidInput([{ field: 'request', problem: 'invalid' }]);
  if (request.requestedBy.id !== actor.userId) authorize(actor, claim, 'requestUpload');
  else authorize(actor, claim, 'view');
  const uploadRequests = keepRecentRequests(
    claim.uploadRequests.map((r) => (r === request ? { ...r, cancelledAt: now } : r)),
  );
  const colleague = request.to.id;
  const stillContributes =
    uploadRequests.some((r) => isOpenRequest(r) && r.to.id === colleague) ||
    claim.documents.some((d) => d.uploadedBy.id === colleague);
  const contributors = stillContributes
    ? claim.contributors
    : claim.contributors.filter((p) => p.id !== colleague);
  return record(claim, {
    actor,
    now,
    kind: 'uploadRequestCancelled',
    changes: { uploadRequests, contributors },
    item: request.to.name,
    announce: [
      {
        kind: 'uploadRequestCancelled',
        to: [request.to],
        details: { types: request.types.join(','), due: request.due },
      },
    ],
  });
}

/** Reminders start this many days before a request is due, and go on daily until it is fulfilled. */
export const REMIND_DAYS_BEFORE_DUE = 1;

/** The earliest due date of an open upload request (for the reminder job's query), if any. */
export function nextReminderDue(claim: Claim): string | undefined {
  if (!isEditable(claim.status)) return undefined;
  const open = claim.uploadRequests.filter(isOpenRequest).map((r) => r.due);
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
      isOpenRequest(r) && r.remindedOn !== today && addDays(today, REMIND_DAYS_BEFORE_DUE) >= r.due,
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
