import type { Claim, HistoryKind } from './claim/model';

/**
 * Four eyes: whoever had a hand in a claim may not review it. These are the events that give a
 * hand; being asked to contribute gives one too (see `withHands`).
 */
export const HAND_KINDS: readonly HistoryKind[] = [
  'created',
  'informationEdited',
  'metricAdded',
  'documentAdded',
  'documentReplaced',
  'documentRemoved',
  'explanationEdited',
  'uploadRequested',
  'submitted',
  'disputed',
];

/** At most this many people have a hand in one claim (asking more colleagues is refused). */
export const MAX_HANDS = 100;

/**
 * The ids of everyone who had a hand: kept on the claim, written with each change. A claim stored
 * before it was kept gets it from its owner, contributors and history.
 */
export function handsOf(claim: Claim): readonly string[] {
  if (claim.hands) return claim.hands;
  const ids = [
    claim.owner.id,
    ...claim.contributors.map((p) => p.id),
    ...claim.history.filter((e) => HAND_KINDS.includes(e.kind)).map((e) => e.by.id),
  ];
  return [...new Set(ids)];
}

export const hadAHand = (claim: Claim, userId: string): boolean =>
  claim.owner.id === userId ||
  claim.contributors.some((p) => p.id === userId) ||
  handsOf(claim).includes(userId);

/** The claim's hands with `ids` added (the same array when nothing is new). */
export function withHands(claim: Claim, ids: readonly string[]): readonly string[] {
  const hands = handsOf(claim);
  const added = [...new Set(ids)].filter((id) => !hands.includes(id));
  return added.length ? [...hands, ...added] : hands;
}

/**
 * Payment is a third pair of eyes: neither anyone with a hand in the claim, nor the reviewer who
 * took it, nor the one who decided it (another reviewer after a dispute) may record that the money
 * went out.
 */
export const paymentConflict = (claim: Claim, userId: string): boolean =>
  hadAHand(claim, userId) || claim.reviewer?.id === userId || claim.decidedBy?.id === userId;
