import { AdaptiveCard, Notice, renderNotice } from '../../../cards';
import { Claim, ClaimPermissions, PostedCard, permissions } from '../../domain/claim';
import { AppError } from '../../domain/errors';
import { FundLedger, totalsFrom } from '../../domain/fund';
import { Money, money } from '../../domain/money';
import { fundCurrencyOf, reimbursableOf } from '../../domain/reimbursement';
import type { Actor } from '../../domain/roles';
import { PENDING_STATUSES } from '../../domain/status';
import { loadActor, storedActor } from '../actor';
import { Texts, texts } from '../../i18n/i18n';
import { errorCard } from '../errors';
import type { PersonalConversation } from '../../store/conversations';
import type { Services } from '../services';
import { Reply, Turn, cardReply } from '../turn';
import { DocumentDisplay, claimCard } from '../views/claim';
import { duplicateFlagsFor } from './duplicates';
import { claimNumberFrom, visibleClaim, viewerRights } from './claimAccess';

/** Open links on a claim card are read-only and expire: each render gets one with ≥ 10 minutes left. */
export const LINK_TTL_S = 15 * 60;

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
export async function renderClaim(
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
