import assert from 'node:assert/strict';
import { Chat, TeamsUser, Tenant, TurnResult, cardText, press } from '../support/teams';
import { sharedStack } from '../support/stack';
import { CLAIM, World, addFund, createClaim, grant } from '../bot/world';
import { Fault, FaultProxy } from './faultProxy';
import { RejectionWatch, TRY_AGAIN, postActivity } from './http';
import { startTrustWorld } from './kit';

/** Teams gives up on an invoke after 15 s: the answer must come well before. */
const ANSWER_WITHIN_MS = 10_000;

describe('trust: Cosmos DB failing under the app', function () {
  this.timeout(120_000);
  let proxy: FaultProxy;
  let w: World;
  let contoso: Tenant;
  let ada: TeamsUser;
  let olivia: TeamsUser;
  let group: Chat;
  let number: string;
  const watch = new RejectionWatch();

  const readyz = async (): Promise<{ status: number; body: unknown }> => {
    const res = await fetch(`${w.app.url}/readyz`, { signal: AbortSignal.timeout(10_000) });
    return { status: res.status, body: await res.json() };
  };

  /** Polls /readyz until it answers `status`; how long that took. */
  async function readyzBecomes(status: number, withinMs: number): Promise<number> {
    const start = Date.now();
    for (;;) {
      const r = await readyz();
      if (r.status === status) return Date.now() - start;
      assert.ok(
        Date.now() - start < withinMs,
        `/readyz still ${r.status} ${JSON.stringify(r.body)}`,
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async function timed(turn: Promise<TurnResult>): Promise<TurnResult & { ms: number }> {
    const start = Date.now();
    const r = await turn;
    return { ...r, ms: Date.now() - start };
  }

  /** Answered in time with the try-again card (an invoke: HTTP 200 and statusCode 200). */
  function assertTryAgain(r: TurnResult & { ms: number }, what: string): void {
    assert.equal(r.status, 200, `${what}: HTTP ${r.status} ${r.text}`);
    if (r.invokeStatus !== undefined) {
      assert.equal(r.invokeStatus, 200, what);
      assert.ok(r.invokeCard, `${what}: a card`);
    }
    assert.match(r.text, TRY_AGAIN, `${what}: ${r.text}`);
    assert.ok(r.ms < ANSWER_WITHIN_MS, `${what}: answered after ${r.ms} ms`);
  }

  before(async () => {
    const stack = await sharedStack();
    proxy = await FaultProxy.start(stack.cosmos.endpoint);
    w = await startTrustWorld({ COSMOS_ENDPOINT: proxy.url }, { storage: 'emulators' });
    contoso = w.teams.tenant('contoso');
    ada = w.teams.user(contoso, 'Ada Admin', { aadObjectId: w.bootstrapAdmins[0] });
    olivia = w.teams.user(contoso, 'Olivia Owner');
    group = w.teams.groupChat(contoso, [ada, olivia]);
    await grant(w, ada, group, olivia, 'incentives user');
    await addFund(w, ada);
    ({ number } = await createClaim(w, olivia, { Title: 'Before the outage' }));
    watch.install();
  });
  after(async () => {
    watch.uninstall();
    await proxy?.recover();
    await w?.stop();
    await proxy?.stop();
  });
  afterEach(() => proxy.recover());

  const faults: [string, Fault][] = [
    ['refuses connections (down)', { kind: 'refuse' }],
    ['answers 503', { kind: 'status', status: 503 }],
    ['answers 429 (throttled)', { kind: 'status', status: 429, retryAfterMs: 10 }],
    [
      'fails the write after the reads passed (mid-turn 503)',
      { kind: 'status', status: 503, writesOnly: true },
    ],
    // No turn writes twice any more (Create claim stores the claim and its number in one batch),
    // so a throttled write is what can come between a turn's reads and its answer.
    [
      'throttles the writes while reads pass (mid-turn 429)',
      { kind: 'status', status: 429, writesOnly: true, retryAfterMs: 10 },
    ],
  ];

  for (const [name, fault] of faults) {
    it(`${name}: a try-again card, nothing partial, and service resumes by itself`, async () => {
      const before = await w.app.services.claims.get(contoso.id, number);
      const form = await w.teams.send(olivia, olivia.personal, 'new claim');
      const title = `During ${name}`;
      const create = press(form.card ?? {}, 'Create claim', { ...CLAIM, Title: title });
      const metric = { claim: number, metricName: `Reach ${name}`, metricValue: '5' };

      await proxy.fail(fault);
      const answers = {
        create: await timed(w.teams.invoke(olivia, olivia.personal, create.verb, create.data)),
        metric: await timed(w.teams.invoke(olivia, olivia.personal, 'addMetric', metric)),
      };
      assertTryAgain(answers.create, 'Create claim');
      assertTryAgain(answers.metric, 'Add metric');
      if (fault.kind !== 'status' || !fault.writesOnly) {
        assertTryAgain(await timed(w.teams.send(olivia, olivia.personal, 'claims')), 'claims');
        const ready = await readyz();
        assert.equal(ready.status, 503, JSON.stringify(ready.body));
        assert.deepEqual(ready.body, { cosmos: 'unreachable', blob: 'ok' });
      }
      if (fault.kind !== 'refuse') assert.ok(proxy.stats.failed > 0, 'the fault was hit');

      await proxy.recover();
      await readyzBecomes(200, 10_000);
      // Nothing partial: the claim is as it was, no claim of that title exists.
      assert.deepEqual(
        (await w.app.services.claims.get(contoso.id, number))?.metrics,
        before?.metrics,
      );
      const titled = async (): Promise<number> =>
        (
          await w.app.services.claims.list(contoso.id, { kind: 'tenant' }, { size: 100 })
        ).items.filter((c) => c.title === title).length;
      assert.equal(await titled(), 0, 'no claim was created');
      // Pressing the same buttons again now works, once.
      const again = await w.teams.invoke(olivia, olivia.personal, create.verb, create.data);
      assert.ok(again.text.includes(title), again.text);
      const metricAgain = await w.teams.invoke(olivia, olivia.personal, 'addMetric', metric);
      assert.ok(metricAgain.text.includes(`Reach ${name}`), metricAgain.text);
      assert.equal(await titled(), 1);
      const after = await w.app.services.claims.get(contoso.id, number);
      assert.equal(after?.metrics.filter((m) => m.name === metric.metricName).length, 1);
      assert.deepEqual(watch.seen, [], 'no unhandled rejection');
    });
  }

  it('throttled for long (429, Retry-After 1.5 s): still answers within Teams’ deadline', async () => {
    await proxy.fail({ kind: 'status', status: 429, retryAfterMs: 1500 });
    const start = Date.now();
    const answer = await postActivity(
      w.teams.botUrl,
      w.teams.invokeActivity(olivia, olivia.personal, 'openClaim', { claim: number }),
      {},
      ANSWER_WITHIN_MS,
    ).catch((e: unknown) => ({ status: 0, cardText: String(e) }));
    const ms = Date.now() - start;
    assert.ok(ms < ANSWER_WITHIN_MS && answer.status === 200, `no answer after ${ms} ms`);
    assert.match(answer.cardText, TRY_AGAIN);
  });
});

describe('trust: the Bot Connector failing', function () {
  this.timeout(60_000);
  let w: World;
  let olivia: TeamsUser;
  let number: string;
  const watch = new RejectionWatch();

  before(async () => {
    w = await startTrustWorld();
    const contoso = w.teams.tenant('contoso');
    const ada = w.teams.user(contoso, 'Ada Admin', { aadObjectId: w.bootstrapAdmins[0] });
    olivia = w.teams.user(contoso, 'Olivia Owner');
    await grant(w, ada, w.teams.groupChat(contoso, [ada, olivia]), olivia, 'incentives user');
    await addFund(w, ada);
    ({ number } = await createClaim(w, olivia, { Title: 'Connector trouble' }));
    watch.install();
  });
  after(async () => {
    watch.uninstall();
    await w?.stop();
  });
  afterEach(() => w.connector.clearFaults());

  /** The Claims overview card reached the user's chat after `seq`. */
  const overviewDelivered = (seq: number): boolean =>
    w.connector
      .since(seq, olivia.personal.id)
      .some((r) => cardText(r.activity.attachments?.[0]?.content).includes('Connector trouble'));

  for (const [name, fault] of [
    ['a 503 once', { status: 503, count: 1 }],
    ['a 429 with Retry-After', { status: 429, count: 1, retryAfter: 1 }],
  ] as const) {
    it(`${name} on the reply: the turn still answers with the reply`, async () => {
      const seq = w.connector.seq;
      w.connector.inject({ ...fault, conversationId: olivia.personal.id });
      const r = await w.teams.send(olivia, olivia.personal, 'claims');
      assert.ok(r.status < 500, `HTTP ${r.status}`);
      assert.ok(
        w.connector.since(seq, olivia.personal.id).length > 0,
        'the user got an answer at all',
      );
      assert.ok(
        overviewDelivered(seq),
        `the reply itself arrived; got: ${w.connector
          .since(seq, olivia.personal.id)
          .map((x) => x.activity.text ?? 'card')
          .join(' | ')}`,
      );
      assert.deepEqual(watch.seen, []);
    });
  }

  it('down: card actions still answer in the HTTP body and change what they should', async () => {
    w.connector.inject({ status: 503, count: 10_000 });
    const r = await w.teams.invoke(olivia, olivia.personal, 'addMetric', {
      claim: number,
      metricName: 'While the connector is down',
      metricValue: '3',
    });
    assert.equal(r.status, 200);
    assert.equal(r.invokeStatus, 200);
    assert.match(r.text, /While the connector is down/);
    const stored = await w.app.services.claims.get(olivia.tenantId, number);
    assert.equal(stored?.metrics.length, 1);
    // Once the connector is back, messages are answered again.
    w.connector.clearFaults();
    const seq = w.connector.seq;
    await w.teams.send(olivia, olivia.personal, 'claims');
    assert.ok(overviewDelivered(seq), 'served again once the connector is back');
    assert.deepEqual(watch.seen, []);
  });
});
