import type { Container } from '@azure/cosmos';
import {
  type HistoryPage,
  type Claim,
  type HistoryEvent,
  historyPageOf,
  splitHistory,
} from '../../domain/claim';
import { queryAll, upsertAll } from '../cosmos';

/** A history event moved out of its claim's document: an item of its own in the tenant's partition. */
interface EventItem extends HistoryEvent {
  readonly id: string;
  readonly tenantId: string;
  readonly type: 'claimEvent';
  readonly claim: string;
}

const itemId = (number: string, seq: number): string => `${number}.e${seq}`;

/** The page of a claim's history to read (newest first): events before `before`, at most `size`. */
export interface HistoryQuery {
  readonly before?: number;
  readonly size: number;
}

/**
 * A claim's history beyond the newest events its document keeps. Events only ever move out of a
 * document that was written (they are committed), and a move writes each under an id of its own
 * (claim and sequence number), so writing one twice — two instances, a retried write — is harmless.
 */
export class ClaimHistoryItems {
  constructor(private readonly container: Container) {}

  /**
   * Before `next` replaces `current`: writes the events `next` no longer keeps as items. The events
   * come from `current`, a version that was stored, so never from a change that may yet fail.
   */
  async moveOut(
    tenantId: string,
    number: string,
    current: Claim | undefined,
    next: Claim,
  ): Promise<void> {
    const oldestKept = next.history[0]?.seq ?? Number.MAX_SAFE_INTEGER;
    const moved = (current?.history ?? []).filter((e) => e.seq < oldestKept);
    if (!moved.length) return;
    await upsertAll(
      this.container,
      tenantId,
      moved.map(
        (e): EventItem => ({
          ...e,
          id: itemId(number, e.seq),
          tenantId,
          type: 'claimEvent',
          claim: number,
        }),
      ),
    );
  }

  /** Newest first: the events the claim keeps, then those moved out, read a page at a time. */
  async page(claim: Claim, query: HistoryQuery): Promise<HistoryPage> {
    const before = query.before ?? Number.MAX_SAFE_INTEGER;
    const wanted = query.size + 1; // one more tells whether another page follows
    const events = claim.history
      .filter((e) => e.seq < before)
      .reverse()
      .slice(0, wanted);
    const oldestKept = claim.history[0]?.seq ?? 1;
    const below = Math.min(before, oldestKept);
    if (events.length < wanted && below > 1) {
      const rows = await queryAll<EventItem>(
        this.container,
        `SELECT TOP ${wanted - events.length} * FROM c WHERE c.tenantId = @t AND c.type = 'claimEvent' AND c.claim = @n AND c.seq < @before ORDER BY c.seq DESC`,
        [
          { name: '@t', value: claim.tenantId },
          { name: '@n', value: claim.number },
          { name: '@before', value: below },
        ],
      );
      events.push(...rows.map(toEvent));
    }
    return historyPageOf(events, { size: query.size });
  }
}

function toEvent(item: EventItem): HistoryEvent {
  const { seq, at, by, kind, item: what, note } = item;
  return {
    seq,
    at,
    by,
    kind,
    ...(what !== undefined ? { item: what } : {}),
    ...(note !== undefined ? { note } : {}),
  };
}

/** The claim as its document stores it: with its newest events only (see historyWindow.ts). */
export const withKeptHistory = (claim: Claim): Claim => {
  const { kept } = splitHistory(claim.history);
  return kept === claim.history ? claim : { ...claim, history: kept };
};
