import { DatabaseCounts, totalOf } from '../../testkit/countingProxy';
import { bytes, median, ms } from './stats';
import type { ProbedTurn } from './world';

/** What storage a kind of turn costs, from turns probed one at a time. */
export interface StorageCost {
  /** Storage requests before the answer (median over the probed turns). */
  readonly roundTrips: number;
  /** Storage requests the turn caused after its answer (background), median. */
  readonly after: number;
  /** Bytes the storage answered before the answer, median. */
  readonly bytes: number;
  /** Time the storage requests took, summed (some run in parallel), median. */
  readonly storageMs: number;
  /** The turn's own time alone (no other load), median. */
  readonly turnMs: number;
  /** The probed turn with the median round trips, for its breakdown. */
  readonly typical: ProbedTurn;
}

export function storageCost(probes: readonly ProbedTurn[]): StorageCost {
  const trips = (p: ProbedTurn) => totalOf(p.inTurn.operations);
  const roundTrips = median(probes.map(trips));
  return {
    roundTrips,
    after: median(probes.map((p) => totalOf(p.after.operations))),
    bytes: median(probes.map((p) => totalOf(p.inTurn.responseBytes))),
    storageMs: median(probes.map((p) => totalOf(p.inTurn.milliseconds))),
    turnMs: median(probes.map((p) => p.answer.ms)),
    typical: probes.find((p) => trips(p) === roundTrips) ?? probes[0],
  };
}

/** `users.read 1, claims.query 3, ...`, most frequent first. */
export function operations(counts: DatabaseCounts): string {
  const entries = Object.entries(counts.operations).sort((a, b) => b[1] - a[1]);
  return entries.length ? entries.map(([k, v]) => `${k} ${v}`).join(', ') : 'none';
}

/** Markdown lines: each query a turn made, how often, and how much it returned. */
export function queryLines(counts: DatabaseCounts): string[] {
  return Object.entries(counts.queries)
    .sort((a, b) => b[1].bytes - a[1].bytes)
    .map(([q, v]) => `  - ${v.count}× \`${q}…\` — ${bytes(v.bytes)}`);
}

/**
 * Why a turn needs the storage round trips it makes, read from the operations it was seen doing
 * (and what would remove them); one sentence, or '' when nothing stands out.
 */
export function roundTripCauses(counts: DatabaseCounts): string {
  const ops = counts.operations;
  const has = (op: string): boolean => (ops[op] ?? 0) > 0;
  const causes: string[] = [];
  const plans = Object.entries(ops)
    .filter(([k]) => k.endsWith('.queryPlan'))
    .reduce((sum, [, v]) => sum + v, 0);
  if (plans) {
    causes.push(
      `${plans} of them are query-plan requests: @azure/cosmos 4.9 sends one alongside every ` +
        'query; the app answers those of queries within one tenant itself (src/store/cosmos.ts), ' +
        'so these are of queries across tenants (the sweeps)',
    );
  }
  if (has('conversations.upsert')) {
    causes.push(
      'the 1:1 conversation reference was upserted in the turn, and an upsert that counts as ' +
        'new also runs the recipientAppeared query (claims with notifications waiting for the user)',
    );
  }
  if (has('users.read')) causes.push("the user's roles were read from storage");
  if (has('claims.replace') || has('claims.batch')) {
    causes.push(
      'every claim write is a conditional replace of the whole claim document, in one batch ' +
        'with the item that marks its activity as applied (a card shown for the first time is ' +
        'remembered for later updates in that same write)',
    );
  }
  if (has('funds.read') || has('funds.query')) {
    causes.push('the fund was read for the card (funds change rarely: cacheable)');
  }
  const text = causes.join('; ');
  return text ? `${text[0].toUpperCase()}${text.slice(1)}.` : '';
}

export function costLine(cost: StorageCost): string {
  return (
    `${cost.roundTrips} storage round trips before the answer (${operations(cost.typical.inTurn)})` +
    `${cost.after ? `, ${cost.after} more after it (${operations(cost.typical.after)})` : ''}; ` +
    `alone the turn takes ${ms(cost.turnMs)}; its storage requests took ${ms(cost.storageMs)} ` +
    `together and answered ${bytes(cost.bytes)}`
  );
}
