import { AdaptiveCard, Notice, renderFundRequest, renderFundRequests } from '../../../cards';
import type { Fund } from '../../domain/fund';
import {
  FundRequest,
  RequestEvent,
  requestPermissions,
  reservationOf,
} from '../../domain/fundRequest';
import type { Actor } from '../../domain/roles';
import type { Texts } from '../../i18n/i18n';
import { literal } from './text';

export const requestStatusLabel = (texts: Texts, request: FundRequest): string =>
  texts.tDynamic(`requestStatus.${request.status}`);

/** Request history is a handful of events: the newest 10 are shown. */
const SHOWN_EVENTS = 10;

function eventLine(texts: Texts, e: RequestEvent): string {
  return texts.t('fundRequest.event', {
    when: texts.dateTime(e.at),
    who: e.by.name,
    what: texts.tDynamic(`requestEvent.${e.kind}`, { note: e.note ?? '' }),
  });
}

/** The request card as `viewer` sees it: facts, history, and the buttons they may use. */
export function fundRequestCard(o: {
  texts: Texts;
  request: FundRequest;
  viewer: Actor;
  fund: Fund | undefined;
  notice?: Notice;
}): AdaptiveCard {
  const { texts, request: r } = o;
  const can = requestPermissions(o.viewer, r);
  const fact = (key: string, value: string) => ({
    title: texts.tDynamic(`fundRequest.${key}`),
    value,
  });
  const facts = [
    fact('status', requestStatusLabel(texts, r)),
    fact('fund', literal(o.fund?.name ?? r.fundId)),
    fact('planned', `${texts.date(r.plannedStart)} – ${texts.date(r.plannedEnd)}`),
    fact('amount', texts.money(r.plannedAmount)),
    fact('reserves', texts.money(reservationOf(r))),
    fact('requester', literal(r.requester.name)),
    ...(r.decidedBy ? [fact('decidedBy', literal(r.decidedBy.name))] : []),
    ...(r.reason ? [fact('reason', literal(r.reason))] : []),
    ...(r.status === 'approved' && r.expiresOn
      ? [fact('reservedUntil', texts.date(r.expiresOn))]
      : []),
    ...(r.claimNumber ? [fact('claim', r.claimNumber)] : []),
  ];
  return renderFundRequest({
    t: texts.messages.fundRequest,
    notice: o.notice ?? null,
    number: r.number,
    heading: `${texts.t('fundRequest.title', { number: r.number })} · ${requestStatusLabel(texts, r)}`,
    activity: literal(r.activity),
    facts,
    events: r.history.slice(-SHOWN_EVENTS).map((e) => eventLine(texts, e)),
    claim: r.claimNumber ?? '',
    can: { decide: can.decide, createClaim: can.createClaim, withdraw: can.withdraw },
  });
}

export function fundRequestsCard(
  texts: Texts,
  requests: readonly FundRequest[],
  canCreate: boolean,
): AdaptiveCard {
  return renderFundRequests({
    t: texts.messages.fundRequest,
    requests: requests.map((r) => ({
      number: r.number,
      activity: r.activity,
      line: texts.t('fundRequest.line', {
        amount: texts.money(r.plannedAmount),
        status: requestStatusLabel(texts, r),
        requester: r.requester.name,
      }),
    })),
    canCreate,
  });
}
