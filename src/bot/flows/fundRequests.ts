import { AdaptiveCard, Notice, renderNewFundRequest } from '../../../cards';
import { createClaim } from '../../domain/claim';
import { AppError } from '../../domain/errors';
import { FundExhaustedError, fundTerms } from '../../domain/fund';
import {
  FundRequest,
  RequestNotice,
  approveRequest,
  authorizeRequest,
  canViewRequest,
  declineRequest,
  expireRequest,
  isExpiryDue,
  isRequester,
  listedRequests,
  newFundRequest,
  parseRequestNumber,
  requestPermissions,
  reservationOf,
  useRequest,
  withdrawRequest,
} from '../../domain/fundRequest';
import { Actor, Person, canCreateClaims } from '../../domain/roles';
import { texts as textsFor } from '../../i18n/i18n';
import { configuredAdmins, loadActor, loadMember, storedActor } from '../actor';
import { asAppError, errorNotice } from '../errors';
import type { CardData } from '../handlers';
import type { Services } from '../services';
import { Reply, Turn, cardReply } from '../turn';
import { fundRequestCard, fundRequestsCard } from '../views/fundRequest';
import { emptyForm, fundFormChoices, readForm } from './forms';
import { claimCardReply } from './claimCards';

const FORM_FIELDS = [
  'activity',
  'activityType',
  'plannedStart',
  'plannedEnd',
  'plannedAmount',
  'fundId',
];
const EMPTY_FORM = emptyForm(FORM_FIELDS);
/** The `fund requests` list shows the newest this many. */
const LISTED = 25;

/** `new fund request`: the form, with the values typed so far and what was wrong when it comes back. */
export async function newFundRequestForm(
  turn: Turn,
  services: Services,
  values: Readonly<Record<string, string>> = {},
  notice: Notice | null = null,
  formId = services.newId(),
): Promise<Reply> {
  const actor = await loadMember(turn, services);
  if (!canCreateClaims(actor)) throw new AppError('NOT_ALLOWED', { action: 'requestFunds' });
  const texts = turn.texts;
  const funds = await services.funds.list(turn.tenantId);
  return cardReply(
    renderNewFundRequest({
      t: texts.messages.fundRequest,
      formId,
      ...fundFormChoices(texts, funds),
      values: { ...EMPTY_FORM, fundId: funds[0]?.id ?? '', activityType: 'webinar', ...values },
      notice:
        notice ??
        (funds.length
          ? null
          : { style: 'warning', text: texts.t('fundRequest.noFunds'), items: [] }),
    }),
  );
}

/**
 * The tenant's incentives admins (global admins manage funds too), told of a new request, an
 * extension asked for and a fund's end: the stored ones and those configured (BOOTSTRAP_ADMINS),
 * each once.
 */
export async function fundAdmins(services: Services, tenantId: string): Promise<Person[]> {
  const holders = await Promise.all(
    (['incentivesAdmin', 'globalAdmin'] as const).map((r) => services.users.withRole(tenantId, r)),
  );
  const all = [
    ...holders.flat().map((u) => ({
      id: u.id,
      name: u.name,
      ...(u.channelUserId ? { channelUserId: u.channelUserId } : {}),
    })),
    ...(await configuredAdmins(services, tenantId)),
  ];
  const key = (p: Person) => p.id.toLowerCase();
  return all.filter((p, i) => all.findIndex((x) => key(x) === key(p)) === i);
}

/** Send request: validate everything at once; a bad form comes back filled in, with every problem. */
export async function submitFundRequest(
  turn: Turn,
  services: Services,
  data: CardData,
): Promise<Reply> {
  const actor = await loadMember(turn, services);
  const { formId, values } = readForm(services, data, FORM_FIELDS);
  try {
    const fund = values.fundId ? await services.funds.get(turn.tenantId, values.fundId) : undefined;
    const admins = await fundAdmins(services, turn.tenantId);
    // A form's id is the user's own: a card pressed by two people in a group chat makes two requests.
    const request = await services.fundRequests.create(
      turn.tenantId,
      `${actor.userId}:${formId}`,
      (seq) =>
        newFundRequest({
          actor,
          seq,
          formId,
          input: values,
          fund,
          locale: turn.texts.locale,
          now: turn.now.toISOString(),
          admins,
        }),
    );
    services.notifications.kickRequest(turn.tenantId, request.number);
    return requestReply(turn, services, actor, request, {
      style: 'good',
      text: turn.texts.t('fundRequest.sent', { number: request.number }),
      items: [],
    });
  } catch (e) {
    if (!(e instanceof AppError) || e.code !== 'INVALID_INPUT') throw e;
    return newFundRequestForm(turn, services, values, errorNotice(e, turn.texts), formId);
  }
}

/** The request card for the acting user. */
async function requestReply(
  turn: Turn,
  services: Services,
  actor: Actor,
  request: FundRequest,
  notice?: Notice,
): Promise<Reply> {
  const fund = await services.funds.get(request.tenantId, request.fundId);
  return cardReply(fundRequestCard({ texts: turn.texts, request, viewer: actor, fund, notice }));
}

/**
 * The stored request if this actor may see it (other tenants' and other people's are "not found"),
 * expired first if its last day has passed and the sweep has not come by yet.
 */
async function visibleRequest(turn: Turn, services: Services, actor: Actor, numberText: unknown) {
  const number = parseRequestNumber(numberText);
  const shown = typeof numberText === 'string' ? numberText.slice(0, 40) : '';
  const found = number ? await services.fundRequests.get(turn.tenantId, number) : undefined;
  if (!found || !requestPermissions(actor, found).view) {
    throw new AppError('REQUEST_NOT_FOUND', { number: number ?? shown });
  }
  if (!isExpiryDue(found, turn.now.toISOString().slice(0, 10))) return found;
  const expired = await services.fundRequests.update(
    turn.tenantId,
    found.number,
    `expire:${found.number}`,
    (r) => expireRequest(r, turn.now.toISOString()),
  );
  services.notifications.kickRequest(turn.tenantId, found.number);
  return expired;
}

export async function showFundRequest(
  turn: Turn,
  services: Services,
  numberText: unknown,
): Promise<Reply> {
  const actor = await loadActor(turn, services);
  return requestReply(
    turn,
    services,
    actor,
    await visibleRequest(turn, services, actor, numberText),
  );
}

/** `fund requests`: admins see the tenant's, everyone else their own, newest first. */
export async function listFundRequests(turn: Turn, services: Services): Promise<Reply> {
  const actor = await loadMember(turn, services);
  const listed = listedRequests(actor);
  const requests = listed
    ? await services.fundRequests.list(turn.tenantId, { ...listed, size: LISTED })
    : [];
  return cardReply(fundRequestsCard(turn.texts, requests, canCreateClaims(actor)));
}

/** What an admin's decision does to a request (a reason is read where one is needed). */
const DECISIONS = {
  approve: (r: FundRequest, actor: Actor, _reason: unknown, now: string) =>
    approveRequest(r, actor, now),
  decline: declineRequest,
  withdraw: withdrawRequest,
} as const;

/**
 * Approve request / Decline request / Withdraw request: authorized from what is stored, written in one conditional
 * write (an approval passes the fund gate). A refusal answers with the request card and why.
 */
export async function decideFundRequest(
  turn: Turn,
  services: Services,
  data: CardData,
  decision: 'approve' | 'decline' | 'withdraw',
): Promise<Reply> {
  const actor = await loadActor(turn, services);
  const current = await visibleRequest(turn, services, actor, data.request);
  const now = turn.now.toISOString();
  try {
    const saved = await services.fundRequests.update(
      turn.tenantId,
      current.number,
      turn.activityId,
      (r) => DECISIONS[decision](r, actor, data.reason, now),
    );
    services.notifications.kickRequest(turn.tenantId, saved.number);
    const amount = turn.texts.money(reservationOf(saved));
    const text =
      saved.status === 'approved'
        ? turn.texts.t('fundRequest.approved', {
            amount,
            until: turn.texts.date(saved.expiresOn ?? saved.plannedEnd),
          })
        : saved.status === 'withdrawn'
          ? turn.texts.t('fundRequest.withdrawn', { amount })
          : turn.texts.t('fundRequest.declined');
    return requestReply(turn, services, actor, saved, { style: 'good', text, items: [] });
  } catch (e) {
    return refusal(turn, services, actor, current, e);
  }
}

/**
 * Create claim: a Draft claim carrying the request's activity, fund, amount and dates (one claim per
 * request, however often pressed), then the request is Used and its reservation released once.
 */
export async function claimFromRequest(
  turn: Turn,
  services: Services,
  data: CardData,
): Promise<Reply> {
  const actor = await loadActor(turn, services);
  const current = await visibleRequest(turn, services, actor, data.request);
  try {
    // A second press after the first made the claim: that claim again.
    const made = isRequester(actor, current) ? current.claimNumber : undefined;
    const existing = made && (await services.claims.get(turn.tenantId, made));
    if (existing) return claimCardReply(turn, services, actor, existing);
    authorizeRequest(actor, current, 'createClaim');
    const now = turn.now.toISOString();
    // Funds are kept per process once read: the claim takes its fund's money rules.
    const fund = await services.funds.get(turn.tenantId, current.fundId);
    const claim = await services.claims.create(turn.tenantId, `request:${current.number}`, (seq) =>
      createClaim({
        actor,
        seq,
        formId: `request-${current.number}`,
        fund: {
          id: current.fundId,
          currency: current.plannedAmount.currency,
          ...(fund ? { terms: fundTerms(fund) } : {}),
        },
        info: {
          title: current.activity,
          activityType: current.activityType,
          activityStart: current.plannedStart,
          activityEnd: current.plannedEnd,
          amount: current.plannedAmount,
          description: turn.texts.t('fundRequest.claimNote', { number: current.number }),
          additionalInfo: '',
        },
        now,
      }),
    );
    await services.fundRequests.update(turn.tenantId, current.number, turn.activityId, (r) =>
      useRequest(r, actor, claim.number, now),
    );
    return claimCardReply(turn, services, actor, claim);
  } catch (e) {
    return refusal(turn, services, actor, current, e);
  }
}

/** A refused change answers with the request card as stored now and what was wrong. */
async function refusal(
  turn: Turn,
  services: Services,
  actor: Actor,
  current: FundRequest,
  e: unknown,
): Promise<Reply> {
  const err = asAppError(e);
  if (!err || err.code === 'REQUEST_NOT_FOUND' || err.code === 'STORAGE_UNAVAILABLE') throw e;
  const latest = (await services.fundRequests.get(turn.tenantId, current.number)) ?? current;
  const notice =
    err instanceof FundExhaustedError
      ? {
          style: 'attention' as const,
          text: turn.texts.t('fundRequest.exhausted', {
            remaining: turn.texts.money(err.remaining),
          }),
          items: [],
        }
      : errorNotice(err, turn.texts);
  return requestReply(turn, services, actor, latest, notice);
}

/** Whether a request's notice may go to its recipient now: may they see it, from their stored roles. */
export async function mayReceiveRequest(
  services: Services,
  notice: RequestNotice,
  request: FundRequest,
): Promise<boolean> {
  return canViewRequest(await storedActor(services, request.tenantId, notice.to), request);
}

/** A request notification: the request card as the recipient sees it, with what happened on top. */
export async function requestNoticeCard(
  services: Services,
  request: FundRequest,
  notice: RequestNotice,
  to: Person,
): Promise<(locale: string | undefined) => AdaptiveCard> {
  const [viewer, fund] = await Promise.all([
    storedActor(services, request.tenantId, to),
    services.funds.get(request.tenantId, request.fundId),
  ]);
  return (locale) => {
    const texts = textsFor(locale);
    const text = texts.tDynamic(`requestNotice.${notice.kind}`, {
      from: notice.from.name,
      // Asked for: the planned cost; approved, expired, withdrawn: what it reserves(d).
      amount: texts.money(
        notice.kind === 'fundRequested' ? request.plannedAmount : reservationOf(request),
      ),
      fund: fund?.name ?? '',
    });
    return fundRequestCard({
      texts,
      request,
      viewer,
      fund,
      notice: { style: 'accent', text, items: [] },
    });
  };
}
