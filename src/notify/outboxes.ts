import type { AdaptiveCard } from '../../cards';
import {
  Claim,
  notificationFailed,
  notificationWaiting,
  updateNotification,
} from '../domain/claim';
import { isoDay } from '../domain/dates';
import {
  FundRequest,
  RequestNotice,
  expireRequest,
  isExpiryDue,
  updateRequestNotice,
} from '../domain/fundRequest';
import { FundEndItem, FundEndNotice, updateFundEndItem } from '../domain/fundEndNotice';
import type { Notification } from '../domain/notification';
import type { Person } from '../domain/roles';
import type { ClaimRepository } from '../store/claims';
import type { FundEndNoticeRepository } from '../store/fundEndNotices';
import type { FundRequestRepository } from '../store/fundRequests';
import type { OutboxPayload, OutboxStore } from './outbox';

/**
 * The payloads of the one outbox engine: claims' notifications, fund requests' notices and fund-end
 * notices.
 */

/** Claims' outbox: a failure or a notification kept for later is written to the claim's history. */
export function claimOutbox(claims: ClaimRepository): OutboxStore<Claim, Notification> {
  return {
    name: 'claim',
    get: (tenantId, number) => claims.get(tenantId, number),
    update: (tenantId, number, key, change) => claims.update(tenantId, number, key, change),
    items: (claim) => claim.outbox,
    withItem: updateNotification,
    failed: notificationFailed,
    waiting: notificationWaiting,
    withOpenWork: () => claims.withOpenNotifications(),
    awaitingFor: (tenantId, userId) => claims.withOpenNotifications({ tenantId, userId }),
    catchUp: async (claim) => {
      // Fund sums a crash left unposted (the claim store posts them after each write) are found here.
      if (claim.ledgerEntries?.length) {
        await claims.postLedgerEntries(claim.tenantId, claim.number);
      }
      return claim;
    },
  };
}

/** What the app gives for claims' notifications (see NotificationsOptions). */
export interface ClaimPayload {
  readonly render: (n: Notification, claim: Claim, locale: string | undefined) => AdaptiveCard;
  readonly fallbackText: (n: Notification, claim: Claim, locale: string | undefined) => string;
  readonly mayReceive: (n: Notification, claim: Claim) => Promise<boolean>;
}

export const claimPayload = (o: ClaimPayload): OutboxPayload<Claim, Notification> => ({
  render: (n, claim) => Promise.resolve((locale) => o.render(n, claim, locale)),
  fallbackText: (n, claim) => o.fallbackText(n, claim, undefined),
  mayReceive: o.mayReceive,
});

/**
 * Fund requests' outbox. The sweep also finds approved requests past their last day: they expire
 * (telling the requester) before their notices go out, and fund sums a crash left are posted.
 */
export function requestOutbox(
  requests: FundRequestRepository,
): OutboxStore<FundRequest, RequestNotice> {
  return {
    name: 'request',
    get: (tenantId, number) => requests.get(tenantId, number),
    update: (tenantId, number, key, change) => requests.update(tenantId, number, key, change),
    items: (request) => request.outbox,
    withItem: updateRequestNotice,
    withOpenWork: (now) => requests.withOpenWork(isoDay(now)),
    awaitingFor: (tenantId, userId) => requests.awaitingFor(tenantId, userId),
    catchUp: async (request, now) => {
      const { tenantId, number } = request;
      if (request.ledgerEntries?.length) await requests.postLedgerEntries(tenantId, number);
      if (!isExpiryDue(request, isoDay(now))) return request;
      return requests.update(tenantId, number, `expire:${number}`, (r) =>
        expireRequest(r, now.toISOString()),
      );
    },
  };
}

/** What the app gives for fund requests' notices (see NotificationsOptions). */
export interface RequestPayload {
  /** The request card as the recipient sees it (their buttons), in their language. */
  readonly render: (
    request: FundRequest,
    notice: RequestNotice,
    to: Person,
  ) => Promise<(locale: string | undefined) => AdaptiveCard>;
  /** Whether the recipient may be sent this notice now (may they still see the request). */
  readonly mayReceive: (notice: RequestNotice, request: FundRequest) => Promise<boolean>;
}

export const requestPayload = (o: RequestPayload): OutboxPayload<FundRequest, RequestNotice> => ({
  render: (n, request) => o.render(request, n, n.to),
  mayReceive: o.mayReceive,
});

/** Fund-end notices' outbox: one document per fund, queued once (see fundPeriodEnds.ts). */
export function fundEndOutbox(
  notices: FundEndNoticeRepository,
): OutboxStore<FundEndNotice, FundEndItem> {
  return {
    name: 'fundEnd',
    get: (tenantId, number) => notices.get(tenantId, number),
    update: (tenantId, number, key, change) => notices.update(tenantId, number, key, change),
    items: (notice) => notice.outbox,
    withItem: updateFundEndItem,
    withOpenWork: () => notices.withOpenWork(),
    awaitingFor: (tenantId, userId) => notices.awaitingFor(tenantId, userId),
  };
}

/** What the app gives for fund-end notices (see NotificationsOptions). */
export interface FundEndPayload {
  /** The notice card, in the recipient's language. */
  readonly render: (notice: FundEndNotice) => Promise<(locale: string | undefined) => AdaptiveCard>;
  /** Whether the recipient is still an admin who hears of funds (from their stored roles). */
  readonly mayReceive: (item: FundEndItem, notice: FundEndNotice) => Promise<boolean>;
}

export const fundEndPayload = (o: FundEndPayload): OutboxPayload<FundEndNotice, FundEndItem> => ({
  render: (_n, notice) => o.render(notice),
  mayReceive: o.mayReceive,
});
