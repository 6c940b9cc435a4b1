import { randomUUID } from 'node:crypto';
import { addComment } from '../../src/domain/claim';
import { readDoc } from '../../src/store/cosmos';
import { invoke, makeUser } from './activities';
import { Bench, BenchApp } from './env';
import { MeasureResult } from './report';
import { buildClaim, actorOf, addFund, grant, storeClaims } from './seed';
import { bytes, ms, ratio, summarize } from './stats';

/**
 * 9. History growth: a comment on a claim with 500 events and on one with 3,000 (quick mode: 100
 * and 600), turn by turn in alternation (so that both meet the same machine), and the size of each
 * claim's document. A claim's history lives in items of its own (issue 16), so neither should grow
 * with it.
 */

/** History events of the two claims. */
const SIZES = { full: { small: 500, large: 3_000 }, quick: { small: 100, large: 600 } };
const MAX_RATIO = 2;
const MAX_DOC_BYTES = 64 * 1024;
const TURN_TIMEOUT_MS = 15_000;

/** Comments filed directly in the store until the claim has `events` history events. */
async function growTo(app: BenchApp, o: { tenantId: string; number: string; events: number }) {
  const claims = app.running.services.claims;
  let claim = await claims.get(o.tenantId, o.number);
  if (!claim) throw new Error(`history: ${o.number} missing`);
  const by = actorOf({ ...makeUser(o.tenantId, claim.owner.name), aadObjectId: claim.owner.id }, [
    'incentivesUser',
  ]);
  for (let seq = claim.history.at(-1)?.seq ?? 0; seq < o.events; seq++) {
    claim = await claims.update(o.tenantId, o.number, `grow-${seq}`, (c) =>
      addComment(
        c,
        by,
        `Seeded comment ${seq}: the venue confirmed the room and the catering.`,
        new Date().toISOString(),
      ),
    );
  }
}

const docBytes = async (app: BenchApp, tenantId: string, number: string): Promise<number> =>
  Buffer.byteLength(
    JSON.stringify((await readDoc(app.db.container('claims'), tenantId, number))?.doc),
  );

export async function measureHistory(bench: Bench): Promise<MeasureResult> {
  const grown = SIZES[bench.quick ? 'quick' : 'full'];
  const app = await bench.startApp('bench-history');
  const tenantId = randomUUID();
  const owner = makeUser(tenantId, 'Hanna History');
  await bench.teams.call('addUsers', [owner]);
  await grant(app.db, [owner], 'incentivesUser');
  await addFund(app.db, tenantId, owner);
  const [small, large] = [buildClaim(owner, 1, 'editing'), buildClaim(owner, 2, 'editing')];
  await storeClaims(app.db, [small, large]);
  await growTo(app, { tenantId, number: small.number, events: grown.small });
  await growTo(app, { tenantId, number: large.number, events: grown.large });
  const sizes = {
    small: await docBytes(app, tenantId, small.number),
    large: await docBytes(app, tenantId, large.number),
  };
  const turns = bench.quick ? 10 : 100;
  const latencies: Record<'small' | 'large', number[]> = { small: [], large: [] };
  for (let i = 0; i < turns + 5; i++) {
    for (const [which, number] of [
      ['small', small.number],
      ['large', large.number],
    ] as const) {
      const answer = await bench.teams.call('turn', {
        url: app.url,
        activity: invoke(bench.serviceUrl, owner, owner.personal, 'comment', {
          claim: number,
          comment: `Comment ${i} on ${number}: the attendee list is attached to the PoE.`,
        }),
        timeoutMs: TURN_TIMEOUT_MS,
      });
      if (answer.status !== 200 || !answer.text.includes(number)) {
        bench.breaks.push(`history: comment on ${number} answered ${answer.status}`);
      }
      // The first turns warm the app up.
      if (i >= 5) latencies[which].push(answer.ms);
    }
  }
  const s = summarize(latencies.small);
  const l = summarize(latencies.large);
  const p50 = l.p50 / s.p50;
  const p95 = l.p95 / s.p95;
  return {
    title: '9. History growth (one claim, many events)',
    rows: [
      {
        name: `comment turn p50 at ${grown.large} events`,
        figure: ms(l.p50),
        baseline: `${ms(s.p50)} at ${grown.small}`,
        ratio: ratio(p50),
        target: `≤ ${MAX_RATIO}×`,
        pass: p50 <= MAX_RATIO,
      },
      {
        name: `comment turn p95 at ${grown.large} events`,
        figure: ms(l.p95),
        baseline: `${ms(s.p95)} at ${grown.small}`,
        ratio: ratio(p95),
        target: `≤ ${MAX_RATIO}×`,
        pass: p95 <= MAX_RATIO,
      },
      {
        name: `claim document at ${grown.large} events`,
        figure: bytes(sizes.large),
        baseline: `${bytes(sizes.small)} at ${grown.small}`,
        ratio: ratio(sizes.large / sizes.small),
        target: `≤ ${bytes(MAX_DOC_BYTES)}`,
        pass: sizes.large <= MAX_DOC_BYTES && sizes.small <= MAX_DOC_BYTES,
      },
    ],
    details: [
      `Two claims of one owner, grown to ${grown.small} and ${grown.large} history events by comments filed ` +
        `in the store, then ${turns} **Comment** presses on each, alternating between them, each ` +
        'turn alone (after 5 warm-up presses each). The claim document keeps its newest events; ' +
        "older ones are items of their own in the claim's partition (README, Architecture).",
    ],
  };
}
