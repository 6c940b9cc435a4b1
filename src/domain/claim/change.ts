import { HAND_KINDS, withHands } from '../fourEyes';
import { NotificationKind, Recipient, newNotification, trimOutbox } from '../notification';
import type { Actor, Person } from '../roles';
import type { Claim, HistoryEvent, HistoryKind } from './model';
import { person } from './permissions';

/** The app itself, as the author of events no user caused. */
export const SYSTEM: Person = { id: 'system', name: 'Co-op Claims' };

/** The events that decide a claim: results stay open for a while after the last one. */
const DECISIONS: readonly HistoryKind[] = ['approved', 'rejected'];

/** Who is told about a change, and what. */
export interface Announcement {
  readonly kind: NotificationKind;
  readonly to: readonly Recipient[];
  readonly note?: string;
  readonly details?: Record<string, string>;
  readonly origin?: Readonly<Record<string, unknown>>;
}

/** One change to a claim, as `record` writes it. */
export interface Change {
  readonly actor: Actor;
  readonly now: string;
  readonly kind: HistoryKind;
  readonly changes?: Partial<Claim>;
  /** What the event concerns (a metric, a document, a field list), shown literally. */
  readonly item?: string;
  readonly note?: string;
  readonly announce?: readonly Announcement[];
}

/** The sequence number the claim's next history event gets. */
export const nextSeq = (claim: Claim): number =>
  (claim.history[claim.history.length - 1]?.seq ?? 0) + 1;

export function uniqueRecipients(list: readonly Recipient[]): Recipient[] {
  const seen = new Set<string>();
  return list.filter((r) => !seen.has(r.id) && seen.add(r.id));
}

/** The people a decision is announced to: the owner and every contributor. */
export const ownerAndContributors = (claim: Claim): Recipient[] => [
  claim.owner,
  ...claim.contributors,
];

/**
 * Appends one history event, stamps the change time and queues the notifications the change causes:
 * every change goes through here, so history and outbox are written in the same document write.
 */
export function record(claim: Claim, change: Change): Claim {
  const { actor, now, kind, changes = {}, announce = [] } = change;
  const seq = nextSeq(claim);
  const from = person(actor);
  const event: HistoryEvent = {
    seq,
    at: now,
    by: from,
    kind,
    ...(actor.onBehalfOf ? { for: actor.onBehalfOf } : {}),
    ...(change.item !== undefined ? { item: change.item } : {}),
    ...(change.note !== undefined ? { note: change.note } : {}),
  };
  const queued = announce.flatMap((a, ai) =>
    uniqueRecipients(a.to)
      .filter((to) => to.id !== actor.userId)
      .map((to, i) =>
        newNotification({
          id: `${claim.number}-${seq}-${ai}-${i}`,
          kind: a.kind,
          to,
          from,
          now,
          note: a.note,
          details: { claim: claim.number, ...a.details },
          origin: a.origin,
        }),
      ),
  );
  const outbox = queued.length
    ? trimOutbox([...(changes.outbox ?? claim.outbox), ...queued])
    : (changes.outbox ?? claim.outbox);
  const hands = withHands(claim, [
    ...(HAND_KINDS.includes(kind) ? [actor.userId] : []),
    ...(changes.contributors ?? []).map((p) => p.id),
  ]);
  return {
    ...claim,
    ...changes,
    ...(DECISIONS.includes(kind) ? { decidedAt: now } : {}),
    outbox,
    hands,
    updatedAt: now,
    history: [...claim.history, event],
  };
}

/** An event no user caused (the app's own), with no notification and no hand in the claim. */
export function recordSystemEvent(
  claim: Claim,
  event: {
    readonly now: string;
    readonly kind: HistoryKind;
    readonly item?: string;
    readonly note?: string;
  },
): Claim {
  const { now, kind, ...details } = event;
  const entry: HistoryEvent = { seq: nextSeq(claim), at: now, by: SYSTEM, kind, ...details };
  return { ...claim, history: [...claim.history, entry] };
}
