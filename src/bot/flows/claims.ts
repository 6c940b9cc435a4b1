import { AdaptiveCard, Notice, renderHistory, renderNotice } from '../../../cards';
import {
  Claim,
  ClaimPermissions,
  PostedCard,
  canView,
  mayBeNotified,
  parseClaimNumber,
  permissions,
  rememberCard,
} from '../../domain/claim';
import { AppError } from '../../domain/errors';
import { FundLedger, totalsFrom } from '../../domain/fund';
import { Money, money } from '../../domain/money';
import type { Notification, Recipient } from '../../domain/notification';
import { fundCurrencyOf, reimbursableOf } from '../../domain/reimbursement';
import type { Actor } from '../../domain/roles';
import { PENDING_STATUSES } from '../../domain/status';
import { awayNow, redirected } from '../../domain/policy';
import { loadActor, storedActor } from '../actor';
import { Texts, texts } from '../../i18n/i18n';
import { asAppError, errorCard, errorNotice } from '../errors';
import type { PersonalConversation } from '../../store/conversations';
import type { Services } from '../services';
import { Reply, Turn, cardReply } from '../turn';
import { DocumentDisplay, claimCard, historyLine } from '../views/claim';
import { duplicateFlagsFor } from './duplicates';

const HISTORY_PAGE = 10;
/** Open links on a claim card are read-only and expire: each render gets one with ≥ 10 minutes left. */
export const LINK_TTL_S = 15 * 60;

/** The claim number from card data or a command, or "not found" for anything else. */
export function claimNumberFrom(value: unknown): string {
  const number = typeof value === 'string' ? parseClaimNumber(value) : undefined;
  if (!number) {
    const shown = typeof value === 'string' ? value.slice(0, 40) : '';
    throw new AppError('CLAIM_NOT_FOUND', { number: shown });
  }
  return number;
}

/** The stored claim if this actor may see it; other tenants' and invisible claims are "not found". */
export async function visibleClaim(
  services: Services,
  actor: Actor,
  number: string,
): Promise<Claim> {
  const claim = await services.claims.get(actor.tenantId, number);
  if (!claim || !canView(actor, claim)) throw new AppError('CLAIM_NOT_FOUND', { number });
  return claim;
}

/**
 * What the viewer may see and do on the claim, decided once for the cards that show it: none is
 * rendered for a viewer who may not see the claim ("not found", as for every other action).
 */
export function viewerRights(actor: Actor, claim: Claim, now?: Date): ClaimPermissions {
  const can = permissions(actor, claim, now?.toISOString());
  if (!can.view) throw new AppError('CLAIM_NOT_FOUND', { number: claim.number });
  return can;
}

/**
 * Whether a posted card is in its viewer's own 1:1 chat with the bot: the chat stored for them (a
 * person-to-person chat is `personal` too, and private to no one).
 */
const inOwnChat = (posted: PostedCard, own: PersonalConversation | undefined): boolean =>
  own !== undefined &&
  (posted.conversation.conversation as { id?: unknown } | undefined)?.id === own.conversationId;

/**
 * The claim card of a turn: in the user's 1:1 chat with its signed links; in a group chat or channel
 * the user's own view without links (the answer to their card action) and, for everybody, the card
 * without documents (see DocumentDisplay).
 */
async function renderClaim(
  turn: Turn,
  services: Services,
  actor: Actor,
  claim: Claim,
  notice?: Notice,
): Promise<{ card: AdaptiveCard; forEveryone?: AdaptiveCard }> {
  const can = viewerRights(actor, claim, turn.now);
  services.invoices.readNew(claim);
  // A notice speaks to the user who acted, and may name a document: never on everybody's card.
  const [card, forEveryone] = await Promise.all([
    renderClaimCard(
      { services, texts: turn.texts, actor, claim, can, notice, now: turn.now },
      turn.scope === 'personal' ? 'links' : 'onRequest',
    ),
    claimCardForEveryone(turn, services, actor, claim, can),
  ]);
  return forEveryone ? { card, forEveryone } : { card };
}

/**
 * A posted claim card brought up to date, in its viewer's language: their own view in their 1:1 chat;
 * in a group chat or channel (a message update replaces the card for everybody) without documents.
 */
export async function renderForViewer(
  services: Services,
  claim: Claim,
  posted: PostedCard,
): Promise<AdaptiveCard> {
  // The Teams user id of the viewer, as the activity that showed the card gave it: for the refresh.
  const channelUserId = (posted.conversation.user as { id?: unknown } | undefined)?.id;
  const viewer = {
    id: posted.viewerId,
    name: '',
    ...(typeof channelUserId === 'string' ? { channelUserId } : {}),
  };
  const [actor, conversation] = await Promise.all([
    storedActor(services, claim.tenantId, viewer),
    services.conversations.get(claim.tenantId, posted.viewerId),
  ]);
  const t = texts(conversation?.locale);
  const can = permissions(actor, claim);
  if (!can.view) {
    return errorCard(new AppError('CLAIM_NOT_FOUND', { number: claim.number }), t);
  }
  const display = inOwnChat(posted, conversation) ? 'links' : 'withheld';
  return renderClaimCard({ services, texts: t, actor, claim, can }, display);
}

/** Whether a notification may go to its recipient now: decided from their stored roles. */
export async function mayReceive(
  services: Services,
  n: Notification,
  claim: Claim,
): Promise<boolean> {
  const actor = await storedActor(services, claim.tenantId, n.to);
  return mayBeNotified(actor, claim, n.kind);
}

/**
 * The claim card everybody in a group chat or channel may see (no documents): what a card answering
 * one user there is replaced with should the answer come late (a message update shows to everybody).
 */
export function claimCardForEveryone(
  turn: Turn,
  services: Services,
  actor: Actor,
  claim: Claim,
  can = viewerRights(actor, claim, turn.now),
): Promise<AdaptiveCard | undefined> {
  if (turn.scope === 'personal') return Promise.resolve(undefined);
  const render = { services, texts: turn.texts, actor, claim, can, now: turn.now };
  return renderClaimCard(render, 'withheld');
}

interface ClaimRender {
  readonly services: Services;
  readonly texts: Texts;
  readonly actor: Actor;
  readonly claim: Claim;
  /** What the viewer may do on the claim (viewerRights): the card's buttons, as it is. */
  readonly can: ClaimPermissions;
  readonly notice?: Notice;
  readonly now?: Date;
}

export async function renderClaimCard(
  { services, texts, actor, claim, can, notice, now }: ClaimRender,
  display: DocumentDisplay['kind'],
): Promise<AdaptiveCard> {
  const [fund, documents, remaining, duplicates] = await Promise.all([
    services.funds.get(claim.tenantId, claim.fundId),
    display === 'links' ? signedLinks(services, claim) : { kind: display },
    // The checklist before submit needs what the fund has left: read only where it is shown.
    can.submit
      ? services.claims.fundLedger(claim.tenantId).then((l) => remainingFor(services, claim, l))
      : undefined,
    display === 'withheld' ? [] : duplicateFlagsFor(services, actor, claim),
  ]);
  const ctx = { claim, fund, actor, can, texts, notice, documents, now, remaining, duplicates };
  return claimCard(ctx);
}

async function signedLinks(services: Services, claim: Claim): Promise<DocumentDisplay> {
  const urls = await Promise.all(
    claim.documents.map(
      async (d) => [d.id, await services.files.readUrl(d.blobName, LINK_TTL_S)] as const,
    ),
  );
  return { kind: 'links', urls: new Map(urls) };
}

/** The claim card as a reply that names its claim (so a posted card is kept up to date). */
export async function claimCardReply(
  turn: Turn,
  services: Services,
  actor: Actor,
  claim: Claim,
  notice?: Notice,
): Promise<Reply> {
  const { card, forEveryone } = await renderClaim(turn, services, actor, claim, notice);
  return cardReply(card, claim.number, forEveryone);
}

export async function showClaim(
  turn: Turn,
  services: Services,
  numberText: unknown,
): Promise<Reply> {
  const actor = await loadActor(turn, services);
  const claim = await visibleClaim(services, actor, claimNumberFrom(numberText));
  return claimCardReply(turn, services, actor, claim);
}

/**
 * Open from a list, a notice or a notification: in the user's 1:1 chat the claim card comes as a new
 * message and the card they clicked stays; elsewhere it answers in place (a new message in a group
 * chat or channel would show the claim to everybody).
 */
export async function openClaim(
  turn: Turn,
  services: Services,
  numberText: unknown,
): Promise<Reply> {
  const reply = await showClaim(turn, services, numberText);
  if (turn.scope !== 'personal' || !('card' in reply) || !reply.claim) return reply;
  return { ...reply, asNewMessage: turn.texts.t('overview.openedBelow', { number: reply.claim }) };
}

/**
 * Reviewers of the tenant, as recipients of "submitted" notifications; a reviewer away is replaced
 * by who covers for them.
 */
export async function reviewersOf(
  services: Services,
  tenantId: string,
  now = new Date(),
): Promise<Recipient[]> {
  const [reviewers, cover] = await Promise.all([
    services.users.withRole(tenantId, 'reviewer'),
    coverOf(services, tenantId, now),
  ]);
  return cover(
    reviewers.map((u) => ({
      id: u.id,
      name: u.name,
      ...(u.channelUserId ? { channelUserId: u.channelUserId } : {}),
    })),
  );
}

/** Replaces each person away (`away until`) by who covers for them, as the tenant's policy says. */
export async function coverOf(
  services: Services,
  tenantId: string,
  now = new Date(),
): Promise<(people: readonly Recipient[]) => Recipient[]> {
  const absences = awayNow(await services.policy.get(tenantId), now);
  return (people) => redirected(people, absences);
}

/** What the fund has left for this claim: its own pending amount is not counted against it. */
export async function remainingFor(
  services: Services,
  claim: Claim,
  ledger: FundLedger,
): Promise<Money> {
  const fund = await services.funds.get(claim.tenantId, claim.fundId);
  if (!fund) return money(0, fundCurrencyOf(claim));
  const totals = totalsFrom(fund, ledger);
  const own = PENDING_STATUSES.includes(claim.status) ? (reimbursableOf(claim)?.minor ?? 0) : 0;
  return money(totals.remaining.minor + own, totals.remaining.currency);
}

/**
 * Starts delivering what a change queued in the claim's outbox, and updating its posted cards;
 * `shown`: the card the turn answers with in the user's 1:1 chat, which their other cards of the
 * claim in that chat show too (rendered once).
 */
export function announce(services: Services, claim: Claim, turn: Turn, shown?: AdaptiveCard): void {
  if (claim.outbox.some((n) => n.state === 'pending')) {
    services.notifications.kick(claim.tenantId, claim.number, claim);
  }
  const conversationId = (turn.origin.conversation as { id?: unknown } | undefined)?.id;
  const view =
    shown && turn.scope === 'personal' && typeof conversationId === 'string'
      ? { viewerId: turn.user.id, conversationId, card: shown }
      : undefined;
  services.notifications.cardsChanged(claim, turn.replyToId, view);
}

export interface ClaimChange<P = undefined> {
  /** Loads what the change needs before the write (kept out of the retried write cycle). */
  prepare?(claim: Claim, actor: Actor): Promise<P>;
  apply(claim: Claim, actor: Actor, prepared: P): Claim;
  success?(claim: Claim): Notice | undefined;
}

/**
 * The claim with the card that was clicked remembered: an invoke's answer replaces that card
 * (Universal Actions), so it is kept up to date from now on — in the change's own write.
 */
export function withClickedCard(turn: Turn, claim: Claim): Claim {
  if (!turn.replyToId) return claim;
  return rememberCard(claim, {
    viewerId: turn.user.id,
    activityId: turn.replyToId,
    conversation: turn.origin,
    at: turn.now.toISOString(),
  });
}

/**
 * Every claim action, in one pass: `apply` reads the card's inputs and calls the domain rule, which
 * decides once whether the actor may (`authorize`; an invisible claim is "not found"); the store
 * writes in one conditional write; the answer is the saved claim's card, its buttons from one
 * `viewerRights`. A refusal answers with the current card (never to a viewer who may not see the
 * claim) and what was wrong, so the user never loses the card they were working on.
 *
 * A change with nothing to prepare starts from the version this process last read or wrote, without
 * reading it again: the write only succeeds if that is still the stored version (ETag), and a
 * refusal of it — not visible, not allowed, invalid — is checked against a fresh read before it
 * stands. Changes that prepare something from the claim read it first, if the actor may see it.
 */
export async function changeClaim<P = undefined>(
  turn: Turn,
  services: Services,
  numberText: unknown,
  change: ClaimChange<P>,
): Promise<Reply> {
  const actor = await loadActor(turn, services);
  const number = claimNumberFrom(numberText);
  const read = change.prepare ? await visibleClaim(services, actor, number) : undefined;
  try {
    const prepared = (read && change.prepare ? await change.prepare(read, actor) : undefined) as P;
    const saved = await services.claims.update(
      turn.tenantId,
      number,
      turn.activityId,
      (claim) => {
        const changed = change.apply(claim, actor, prepared);
        return changed === claim ? claim : withClickedCard(turn, changed);
      },
      { readMomentsAgo: read !== undefined },
    );
    const notice = change.success?.(saved);
    const { card, forEveryone } = await renderClaim(turn, services, actor, saved, notice).catch(
      (e: unknown) => {
        announce(services, saved, turn);
        throw e;
      },
    );
    // A notice speaks to this turn's answer alone: the other cards are rendered without it.
    announce(services, saved, turn, notice ? undefined : card);
    return cardReply(card, saved.number, forEveryone);
  } catch (e) {
    const err = asAppError(e);
    if (!err || err.code === 'CLAIM_NOT_FOUND' || err.code === 'STORAGE_UNAVAILABLE') throw e;
    const latest = services.claims.lastSeen(turn.tenantId, number) ?? read;
    if (!latest) throw e;
    return claimCardReply(turn, services, actor, latest, errorNotice(err, turn.texts));
  }
}

export async function showHistory(
  turn: Turn,
  services: Services,
  numberText: unknown,
  beforeText?: unknown,
): Promise<Reply> {
  const actor = await loadActor(turn, services);
  const claim = await visibleClaim(services, actor, claimNumberFrom(numberText));
  const before = Number(beforeText);
  const { events: page, next } = await services.claims.historyPage(claim, {
    ...(Number.isSafeInteger(before) && before > 0 ? { before } : {}),
    size: HISTORY_PAGE,
  });
  const texts = turn.texts;
  const render = (documents: 'shown' | 'withheld') =>
    renderHistory({
      t: texts.messages.history,
      heading: texts.t('history.title', { number: claim.number }),
      number: claim.number,
      events: page.map((e) => historyLine(texts, e, documents)),
      older: next ?? null,
    });
  // In a group chat or channel, the history everybody sees names no documents (see renderClaim).
  const forEveryone = turn.scope === 'personal' ? undefined : render('withheld');
  return cardReply(render('shown'), undefined, forEveryone);
}

/** A short confirmation card (a notice with an Open button for the claim). */
export function confirmation(turn: Turn, text: string, claim = ''): Reply {
  return cardReply(
    renderNotice({
      style: 'good',
      title: text,
      text: '',
      items: [],
      claim,
      openLabel: turn.texts.t('overview.open'),
    }),
  );
}
