import { Claim, MAX_POSTED_CARDS, PostedCard } from './model';

/** Whether this card (message and viewer) is already kept up to date. */
export const isCardRemembered = (claim: Claim, card: PostedCard): boolean =>
  (claim.postedCards ?? []).some(
    (c) => c.activityId === card.activityId && c.viewerId === card.viewerId,
  );

/** Remembers a posted claim card (the newest replace the oldest). */
export function rememberCard(claim: Claim, card: PostedCard): Claim {
  if (isCardRemembered(claim, card)) return claim;
  const others = (claim.postedCards ?? []).filter((c) => c.activityId !== card.activityId);
  return { ...claim, postedCards: [...others, card].slice(-MAX_POSTED_CARDS) };
}

export function forgetCard(claim: Claim, activityId: string): Claim {
  const cards = claim.postedCards ?? [];
  if (!cards.some((c) => c.activityId === activityId)) return claim;
  return { ...claim, postedCards: cards.filter((c) => c.activityId !== activityId) };
}
