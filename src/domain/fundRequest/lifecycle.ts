import { ACTIVITY_TYPES } from '../claim/model';
import { person } from '../claim/permissions';
import { AppError, InputIssue, invalidInput } from '../errors';
import { Fund, fundTerms, outsidePeriodIssues } from '../fund';
import { reimbursable } from '../reimbursement';
import { Money, formatMoney, parsePositiveAmount } from '../money';
import { trimOutbox } from '../notification';
import { Actor, Person, canCreateClaims } from '../roles';
import { LIMITS, readChoice, readDate, readText } from '../text';
import { addDays } from '../dates';
import {
  FundRequest,
  REQUEST_EXPIRES_AFTER_DAYS,
  RequestEventKind,
  RequestNotice,
  RequestNoticeKind,
  formatRequestNumber,
} from './model';
import { authorizeRequest } from './permissions';

/** The app itself, as the author of an expiry. */
const SYSTEM: Person = { id: 'system', name: 'Co-op Claims' };

/** What a user types on the New fund request card, unchecked. */
export type RequestInput = Readonly<Record<string, unknown>>;

/**
 * A new request in Requested, validated all at once (every problem named): `fund` is the one the
 * form names, undefined when it names none of the tenant's.
 */
export function newFundRequest(args: {
  actor: Actor;
  seq: number;
  formId: string;
  input: RequestInput;
  fund: Fund | undefined;
  locale: string;
  now: string;
  /** Admins told about it (the requester is left out). */
  admins: readonly Person[];
}): FundRequest {
  const { actor, input, fund, now } = args;
  if (!canCreateClaims(actor)) throw new AppError('NOT_ALLOWED', { action: 'requestFunds' });
  const issues: InputIssue[] = [];
  const activity = readText(issues, 'activity', input.activity, LIMITS.title);
  const activityType = readChoice(issues, 'activityType', input.activityType, ACTIVITY_TYPES);
  const plannedStart = readDate(issues, 'plannedStart', input.plannedStart);
  const plannedEnd = readDate(issues, 'plannedEnd', input.plannedEnd);
  if (plannedStart && plannedEnd && plannedEnd < plannedStart) {
    issues.push({ field: 'plannedEnd', problem: 'endBeforeStart' });
  } else if (plannedEnd && plannedEnd < now.slice(0, 10)) {
    issues.push({ field: 'plannedEnd', problem: 'inPast' });
  }
  if (!fund) issues.push({ field: 'fundId', problem: input.fundId ? 'invalid' : 'required' });
  else if (!issues.some((i) => i.field === 'plannedEnd')) {
    issues.push(...outsidePeriodIssues(fund, plannedStart, plannedEnd, 'plannedEnd'));
  }
  let plannedAmount: Money | undefined;
  try {
    const text = typeof input.plannedAmount === 'string' ? input.plannedAmount : '';
    plannedAmount = parsePositiveAmount(
      text,
      args.locale,
      fund?.allocated.currency ?? 'USD',
      'plannedAmount',
    );
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    issues.push(...e.issues);
  }
  if (fund && plannedAmount && plannedAmount.minor > fund.allocated.minor) {
    issues.push({
      field: 'plannedAmount',
      problem: 'overAllocation',
      params: { allocated: formatMoney(fund.allocated, args.locale) },
    });
  }
  if (issues.length || !fund || !plannedAmount || !activityType) throw invalidInput(issues);
  const number = formatRequestNumber(args.seq);
  const created: FundRequest = {
    id: number,
    tenantId: actor.tenantId,
    number,
    seq: args.seq,
    formId: args.formId,
    requester: person(actor),
    activity,
    activityType,
    plannedStart,
    plannedEnd,
    plannedAmount,
    reserves: reimbursable(plannedAmount, fundTerms(fund)),
    fundId: fund.id,
    status: 'requested',
    history: [],
    outbox: [],
    createdAt: now,
    updatedAt: now,
  };
  return recordRequest(created, {
    by: person(actor),
    now,
    kind: 'requested',
    announce: { kind: 'fundRequested', to: args.admins },
  });
}

/** Requested → Approved by an admin who did not ask for it: the amount is reserved on the fund. */
export function approveRequest(request: FundRequest, actor: Actor, now: string): FundRequest {
  authorizeRequest(actor, request, 'decide');
  return recordRequest(request, {
    by: person(actor),
    now,
    kind: 'approved',
    changes: {
      status: 'approved',
      decidedBy: person(actor),
      decidedAt: now,
      expiresOn: addDays(request.plannedEnd, REQUEST_EXPIRES_AFTER_DAYS),
    },
    announce: { kind: 'requestApproved', to: [request.requester] },
  });
}

export const declineRequest = (
  request: FundRequest,
  actor: Actor,
  reasonText: unknown,
  now: string,
): FundRequest =>
  endWithReason(request, actor, reasonText, now, {
    action: 'decide',
    kind: 'declined',
    notice: 'requestDeclined',
    changes: { status: 'declined', decidedBy: person(actor), decidedAt: now },
  });

/**
 * Approved → Withdrawn by an admin, with a reason the requester is told: the reservation goes back to
 * the fund (once: a second withdrawal finds the request no longer approved).
 */
export const withdrawRequest = (
  request: FundRequest,
  actor: Actor,
  reasonText: unknown,
  now: string,
): FundRequest =>
  endWithReason(request, actor, reasonText, now, {
    action: 'withdraw',
    kind: 'withdrawn',
    notice: 'requestWithdrawn',
    changes: { status: 'withdrawn' },
  });

/** An admin ends a request with a reason (required), which the requester is told. */
function endWithReason(
  request: FundRequest,
  actor: Actor,
  reasonText: unknown,
  now: string,
  o: {
    action: 'decide' | 'withdraw';
    kind: RequestEventKind;
    notice: RequestNoticeKind;
    changes: Partial<FundRequest>;
  },
): FundRequest {
  authorizeRequest(actor, request, o.action);
  const issues: InputIssue[] = [];
  const reason = readText(issues, 'reason', reasonText, LIMITS.note);
  if (issues.length) throw invalidInput(issues);
  return recordRequest(request, {
    by: person(actor),
    now,
    kind: o.kind,
    note: reason,
    changes: { ...o.changes, reason },
    announce: { kind: o.notice, to: [request.requester], note: reason },
  });
}

/**
 * Approved → Used: the requester made claim `claimNumber` from it and the reservation goes back to
 * the fund (the claim reserves its own amount when submitted). The same claim again changes nothing.
 */
export function useRequest(
  request: FundRequest,
  actor: Actor,
  claimNumber: string,
  now: string,
): FundRequest {
  if (request.status === 'used' && request.claimNumber === claimNumber) return request;
  authorizeRequest(actor, request, 'createClaim');
  return recordRequest(request, {
    by: person(actor),
    now,
    kind: 'used',
    note: claimNumber,
    changes: { status: 'used', claimNumber },
  });
}

/** Whether an approved request is past its last day on `today` (`YYYY-MM-DD`). */
export const isExpiryDue = (request: FundRequest, today: string): boolean =>
  request.status === 'approved' && request.expiresOn !== undefined && request.expiresOn < today;

/** Approved → Expired once past its last day (the sweep): the reservation goes back to the fund. */
export function expireRequest(request: FundRequest, now: string): FundRequest {
  if (!isExpiryDue(request, now.slice(0, 10))) return request;
  return recordRequest(request, {
    by: SYSTEM,
    now,
    kind: 'expired',
    changes: { status: 'expired' },
    announce: { kind: 'requestExpired', to: [request.requester] },
  });
}

/** One change: its history event and the notifications it causes, in the same document write. */
function recordRequest(
  request: FundRequest,
  change: {
    by: Person;
    now: string;
    kind: RequestEventKind;
    note?: string;
    changes?: Partial<FundRequest>;
    announce?: { kind: RequestNoticeKind; to: readonly Person[]; note?: string };
  },
): FundRequest {
  const { by, now, kind, note } = change;
  const seq = (request.history[request.history.length - 1]?.seq ?? 0) + 1;
  const to = (change.announce?.to ?? []).filter(
    (p, i, all) => p.id !== by.id && all.findIndex((q) => q.id === p.id) === i,
  );
  const queued = change.announce
    ? to.map((recipient, i) =>
        noticeOf(change.announce!.kind, recipient, by, {
          id: `${request.number}-${seq}-${i}`,
          now,
          note: change.announce?.note ?? '',
          request: request.number,
        }),
      )
    : [];
  return {
    ...request,
    ...change.changes,
    updatedAt: now,
    history: [...request.history, { seq, at: now, by, kind, ...(note ? { note } : {}) }],
    outbox: queued.length ? trimOutbox([...request.outbox, ...queued]) : request.outbox,
  };
}

function noticeOf(
  kind: RequestNoticeKind,
  to: Person,
  from: Person,
  o: { id: string; now: string; note: string; request: string },
): RequestNotice {
  return {
    id: o.id,
    kind,
    to,
    from,
    createdAt: o.now,
    note: o.note,
    details: { request: o.request },
    state: 'pending',
    attempts: 0,
    nextAttemptAt: o.now,
  };
}

/** Records the outcome of one delivery attempt of a request's notification. */
export function updateRequestNotice(
  request: FundRequest,
  id: string,
  change: (n: RequestNotice) => RequestNotice,
): FundRequest {
  return {
    ...request,
    outbox: trimOutbox(request.outbox.map((n) => (n.id === id ? change(n) : n))),
  };
}
