import { AdaptiveCard, Notice } from '../../../cards';
import { Claim, rememberCard } from '../../domain/claim';
import type { Actor } from '../../domain/roles';
import { loadActor } from '../actor';
import { asAppError, errorNotice } from '../errors';
import type { Services } from '../services';
import { Reply, Turn, cardReply } from '../turn';
import { claimNumberFrom, visibleClaim } from './claimAccess';
import { claimCardReply, renderClaim } from './claimCards';

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
