import type { HistoryEvent } from './model';

/**
 * A claim document keeps only its newest history events; older ones live as items of their own in
 * the claim's partition (the store moves them there). Between KEPT and MOST events stay, so a move
 * happens once every MOST - KEPT changes and a claim's size does not grow with its history.
 */
export const HISTORY_KEPT = 10;
export const HISTORY_MOST = 20;

/** The events a claim document keeps, and the older ones to move out, oldest first in both. */
export function splitHistory(history: readonly HistoryEvent[]): {
  readonly kept: readonly HistoryEvent[];
  readonly moved: readonly HistoryEvent[];
} {
  if (history.length <= HISTORY_MOST) return { kept: history, moved: [] };
  const at = history.length - HISTORY_KEPT;
  return { kept: history.slice(at), moved: history.slice(0, at) };
}

/** One page of a history, newest first: `next` is the `before` of the page after it. */
export interface HistoryPage {
  readonly events: readonly HistoryEvent[];
  readonly next?: number;
}

/**
 * The page `before` (a key; none: the newest) of at most `size` items, from items newest first
 * that reach at least one past the page where there are more: its `next` (the key of its last
 * item) says so.
 */
export function pageBefore<T>(
  newestFirst: readonly T[],
  keyOf: (item: T) => number,
  query: { readonly before?: number; readonly size: number },
): { readonly items: readonly T[]; readonly next?: number } {
  const before = query.before ?? Number.MAX_SAFE_INTEGER;
  const from = newestFirst.filter((item) => keyOf(item) < before);
  const items = from.slice(0, query.size);
  return from.length > query.size ? { items, next: keyOf(items[items.length - 1]) } : { items };
}

/** The page `before` (a sequence number; none: the newest) of a history's events, newest first. */
export function historyPageOf(
  newestFirst: readonly HistoryEvent[],
  query: { readonly before?: number; readonly size: number },
): HistoryPage {
  const { items, next } = pageBefore(newestFirst, (e) => e.seq, query);
  return next === undefined ? { events: items } : { events: items, next };
}
