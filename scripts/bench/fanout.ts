import { randomUUID } from 'node:crypto';
import { formatClaimNumber } from '../../src/domain/claim';
import { CosmosClaimRepository } from '../../src/store/claims';
import { BenchUser, groupChat, makeUser, message } from './activities';
import { Bench, BenchApp } from './env';
import { countsBetween, totalOf } from '../../testkit/countingProxy';
import { MeasureResult, Row } from './report';
import type { Sent } from './teamsWorker';
import { median, ratio, seconds } from './stats';
import { addFund, buildClaim, grant, storeClaims } from './seed';

/**
 * 5. Fan-out: one `request @A @B … invoice for CLM-x` in a group chat to 50 colleagues who each
 * said `help` to the bot before (so their 1:1 chats are known): the time until the recording
 * connector has all 50 notification cards, against the least the Teams limits allow; then the same
 * with every fifth colleague's first send answered 429 Retry-After: 1. Every colleague must get
 * exactly one card.
 */

const COLLEAGUES = 50;
/** Teams: per app per tenant 50 requests/s (per-conversation limits do not bind: 50 chats). */
const TENANT_PER_SECOND = 50;
const FAULT_EVERY = 5;
const RETRY_AFTER_S = 1;
const MAX_RATIO = 1.5;
const WAIT_MS = 60_000;
/** After the last card: how long to wait for doubles (quick mode: QUICK_QUIET_MS). */
const QUIET_MS = 1500;
const QUICK_QUIET_MS = 500;
const HELLO_AT_ONCE = 10;

interface Delivery {
  readonly faults: boolean;
  /** From posting the request to the last card's arrival. */
  readonly ms: number;
  readonly turnMs: number;
  readonly minimumMs: number;
  readonly lost: number;
  readonly doubled: number;
  readonly throttled: number;
  /** Most sends in any one second (Teams allows 50 per tenant). */
  readonly peakPerSecond: number;
  /** This request's outbox entries still open or failed after the run. */
  readonly undelivered: number;
  /** Storage requests from the request until delivery was done, per colleague. */
  readonly storagePerCard: number;
  /** Median time from a 429 to the card's accepted send (0 without faults). */
  readonly retryMs: number;
}

/** The least time N sends take at the tenant limit, with faulted sends retried after Retry-After. */
function minimumMs(faultedPositions: readonly number[]): number {
  const gap = 1000 / TENANT_PER_SECOND;
  const byRate = (COLLEAGUES + faultedPositions.length) * gap;
  const byRetry = Math.max(0, ...faultedPositions.map((p) => p * gap + RETRY_AFTER_S * 1000 + gap));
  return Math.max(byRate, byRetry, COLLEAGUES * gap);
}

function peakPerSecond(times: readonly number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let peak = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i] - sorted[j] >= 1000) j++;
    peak = Math.max(peak, i - j + 1);
  }
  return peak;
}

/** The owner, the colleagues who said `help`, and the group chat the request is posted in. */
interface FanoutWorld {
  readonly bench: Bench;
  readonly app: BenchApp;
  readonly owner: BenchUser;
  readonly colleagues: readonly BenchUser[];
  readonly chat: ReturnType<typeof groupChat>;
}

/** One request to every colleague for the invoice of claim `number` (`faults`: some sends 429). */
async function deliver(world: FanoutWorld, number: string, faults: boolean): Promise<Delivery> {
  const { bench, app, owner, colleagues, chat } = world;
  const faulted = faults ? colleagues.filter((_, i) => (i + 1) % FAULT_EVERY === 0) : [];
  await bench.teams.call('clearRecords');
  if (faulted.length) {
    await bench.teams.call('injectFaults', {
      conversationIds: faulted.map((c) => c.personalConversationId),
      status: 429,
      retryAfter: RETRY_AFTER_S,
    });
  }
  const before = await bench.counts(app.database);
  const mentions = colleagues.map((c) => `<at>${c.name}</at>`).join(' ');
  const text = `request ${mentions} invoice for ${number} benchmark fan-out`;
  const answer = await bench.teams.call('turn', {
    url: app.url,
    activity: message(bench.serviceUrl, owner, chat, text, colleagues),
  });
  if (answer.status !== 200 || !JSON.stringify(answer.sent).includes(number)) {
    bench.breaks.push(`fan-out: the request was answered ${answer.status}: ${answer.text}`);
  }
  const personal = new Set(colleagues.map((c) => c.personalConversationId));
  const sent = (
    await bench.teams.call('waitForSends', {
      conversationIds: [...personal],
      timeoutMs: WAIT_MS,
      quietMs: bench.quick ? QUICK_QUIET_MS : QUIET_MS,
    })
  ).filter((s: Sent) => s.op !== 'update' && personal.has(s.conversationId));
  await app.running.notifications.idle();
  const storage = countsBetween(before, await bench.counts(app.database));
  const cards = sent.filter((s) => s.status < 300);
  const perChat = new Map<string, number>();
  for (const s of cards) {
    if (JSON.stringify(s.activity).includes(number)) {
      perChat.set(s.conversationId, (perChat.get(s.conversationId) ?? 0) + 1);
    }
  }
  const claim = await new CosmosClaimRepository(app.db).get(owner.tenantId, number);
  // Settled entries beyond the newest 30 are trimmed from the outbox: count what is not delivered.
  const requests = (claim?.outbox ?? []).filter((n) => n.kind === 'uploadRequested');
  const positions = faulted.map((c) => colleagues.indexOf(c));
  const retries = faulted.flatMap((c) => {
    const mine = sent.filter((x) => x.conversationId === c.personalConversationId);
    const throttledAt = mine.find((x) => x.status === 429)?.at;
    const deliveredAt = mine.find((x) => x.status < 300)?.at;
    return throttledAt !== undefined && deliveredAt !== undefined
      ? [deliveredAt - throttledAt]
      : [];
  });
  return {
    faults,
    ms: Math.max(...cards.map((s) => s.at)) - answer.startedAt,
    turnMs: answer.ms,
    minimumMs: minimumMs(positions),
    lost: [...personal].filter((id) => !perChat.get(id)).length,
    doubled: [...perChat.values()].filter((n) => n > 1).length,
    throttled: sent.filter((s) => s.status === 429).length,
    peakPerSecond: peakPerSecond(sent.map((s) => s.at)),
    undelivered: requests.filter((n) => n.state !== 'delivered').length,
    storagePerCard: totalOf(storage.operations) / COLLEAGUES,
    retryMs: retries.length ? median(retries) : 0,
  };
}

export async function measureFanout(bench: Bench): Promise<MeasureResult> {
  const runs = bench.quick ? 1 : 3;
  const world = await seedFanout(bench, runs);
  await sayHello(world);
  const { owner, colleagues, chat } = world;
  const memberIds = [owner, ...colleagues].map((u) => u.id);
  await bench.teams.call('addConversation', { ...chat, memberIds });

  const results: Delivery[] = [];
  for (let run = 0; run < runs; run++) {
    for (const faults of [false, true]) {
      const number = formatClaimNumber(run * 2 + (faults ? 2 : 1));
      results.push(await deliver(world, number, faults));
    }
  }
  for (const r of results) {
    if (r.lost || r.doubled || r.undelivered) {
      bench.breaks.push(
        `fan-out${r.faults ? ' with 429s' : ''}: ${r.lost} colleagues got no card, ` +
          `${r.doubled} got it twice, ${r.undelivered} notifications not marked delivered`,
      );
    }
  }
  return {
    title: '5. Fan-out (50 upload requests)',
    rows: fanoutRows(results),
    details: fanoutDetails(results),
  };
}

/** The owner with a fund and two claims per run, and 50 colleagues without a role. */
async function seedFanout(bench: Bench, runs: number): Promise<FanoutWorld> {
  const app = await bench.startApp('bench-fanout');
  const tenantId = randomUUID();
  const owner = makeUser(tenantId, 'Claim Owner');
  const colleagues = Array.from({ length: COLLEAGUES }, (_, i) =>
    makeUser(tenantId, `Colleague ${String(i + 1).padStart(2, '0')}`),
  );
  await bench.teams.call('addUsers', [owner, ...colleagues]);
  await grant(app.db, [owner], 'incentivesUser');
  await addFund(app.db, tenantId, owner);
  await storeClaims(
    app.db,
    Array.from({ length: 2 * runs }, (_, i) => buildClaim(owner, i + 1, 'editing')),
  );
  return { bench, app, owner, colleagues, chat: groupChat(tenantId) };
}

/** Each colleague says `help` in their 1:1 chat, so that the bot knows the chat. */
async function sayHello({ bench, app, colleagues }: FanoutWorld): Promise<void> {
  for (let i = 0; i < colleagues.length; i += HELLO_AT_ONCE) {
    const answers = await Promise.all(
      colleagues.slice(i, i + HELLO_AT_ONCE).map((c) =>
        bench.teams.call('turn', {
          url: app.url,
          activity: message(bench.serviceUrl, c, c.personal, 'help'),
        }),
      ),
    );
    const bad = answers.find((a) => a.status !== 200);
    if (bad) bench.breaks.push(`fan-out: help answered ${bad.status}`);
  }
  await app.running.notifications.idle();
}

/** Time to the last card against the Teams minimum, without and with 429s; then lost / doubled. */
function fanoutRows(results: readonly Delivery[]): Row[] {
  const rows: Row[] = [false, true].map((faults) => {
    const mine = results.filter((r) => r.faults === faults);
    const took = median(mine.map((r) => r.ms));
    const minimum = median(mine.map((r) => r.minimumMs));
    const share = median(mine.map((r) => r.ms / r.minimumMs));
    const turn = median(mine.map((r) => r.turnMs));
    const perCard = median(mine.map((r) => r.storagePerCard));
    const peak = median(mine.map((r) => r.peakPerSecond));
    return {
      name: faults ? `50 cards, 20% answered 429` : '50 cards delivered',
      figure: seconds(took),
      baseline: `Teams minimum ${seconds(minimum)}`,
      ratio: ratio(share),
      target: `≤ ${MAX_RATIO}×`,
      pass: share <= MAX_RATIO,
      why:
        `The last card arrived ${seconds(took)} after the request (the request turn itself ` +
        `took ${seconds(turn)}); the bot sent at most ${peak} cards in any second where Teams ` +
        `allows ${TENANT_PER_SECOND}, with ${perCard.toFixed(1)} storage requests per card` +
        (faults
          ? `; a throttled card went out again ${seconds(median(mine.map((r) => r.retryMs)))} ` +
            `after its 429 (Retry-After: ${RETRY_AFTER_S} s)`
          : '') +
        '. ' +
        (peak < TENANT_PER_SECOND * 0.8
          ? 'Sending up to the tenant limit at once (leases taken together, a throttled send ' +
            'retried without holding the others) would close it.'
          : 'The sends keep close to the limit; what is left is the request turn and the ' +
            'storage writes around each send.'),
    };
  });
  const bad = results.filter((r) => r.lost || r.doubled || r.undelivered);
  rows.push({
    name: 'lost / doubled',
    figure: `${results.reduce((s, r) => s + r.lost, 0)} lost, ${results.reduce((s, r) => s + r.doubled, 0)} doubled`,
    baseline: `${results.length * COLLEAGUES} sent`,
    ratio: '',
    target: 'none',
    pass: bad.length === 0,
    why: 'See the table below: a lost or doubled notification also fails the benchmark run.',
  });
  return rows;
}

function fanoutDetails(results: readonly Delivery[]): string[] {
  return [
    `${COLLEAGUES} colleagues without a role, each of whom sent \`help\` in their 1:1 chat first; ` +
      `the owner sends \`request @… (×${COLLEAGUES}) invoice for CLM-x\` in a group chat with ` +
      `${COLLEAGUES} mention entities. Time: from posting the message to the arrival of the last ` +
      `of the ${COLLEAGUES} notification cards at the recording connector. Minimum: ` +
      `${COLLEAGUES} sends at the tenant's ${TENANT_PER_SECOND}/s (${seconds((COLLEAGUES * 1000) / TENANT_PER_SECOND)}); ` +
      `with faults, every ${FAULT_EVERY}th colleague's first send is answered 429 ` +
      `Retry-After: ${RETRY_AFTER_S}, which can be retried no sooner than a second later ` +
      '(and the retries count against the rate too). Lost: a colleague without a card; ' +
      'doubled: a colleague with two; undelivered: outbox entries left open or failed.',
    '',
    '| run | 429s | request turn | last card after | minimum | ratio | 429 answers | sent again after | most sends in 1 s | storage requests per card | lost | doubled | undelivered |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...results.map(
      (r, i) =>
        `| ${Math.floor(i / 2) + 1} | ${r.faults ? '20%' : 'none'} | ${seconds(r.turnMs)} | ${seconds(r.ms)} | ${seconds(r.minimumMs)} | ${ratio(r.ms / r.minimumMs)} | ${r.throttled} | ${r.faults ? seconds(r.retryMs) : '—'} | ${r.peakPerSecond} | ${r.storagePerCard.toFixed(1)} | ${r.lost} | ${r.doubled} | ${r.undelivered} |`,
    ),
  ];
}
