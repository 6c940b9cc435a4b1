import assert from 'node:assert/strict';
import { RunningApp, startApp } from '../../src/app';
import type { Claim } from '../../src/domain/claim';
import { Fund, ledgerKey, ledgerOf } from '../../src/domain/fund';
import { CosmosClaimRepository } from '../../src/store/claims';
import { CosmosDb, openCosmos } from '../../src/store/cosmos';
import { Balancer, startBalancer } from '../../testkit/balancer';
import { TeamsClient, TeamsUser, Tenant, TurnResult } from '../support/teams';
import { World, addFund, createClaim, grant, seedReady, startWorld } from '../bot/world';
import { maxInWindow, notificationCards, waitUntil, writesByConversation } from '../notify/helpers';
import { TEAMS_CONVERSATION_LIMITS } from '../../src/notify/rateLimiter';
import { recordGrants } from '../support/grants';

const FUND_TOO_SMALL =
  /The fund does not have enough left for this claim: \$[\d,.]+ remains|no higher than what the fund has left \(\$[\d,.]+\)/;
const PARALLEL = 20;
const STORM = 12;

/**
 * The bot's own turns through a round-robin balancer in front of two instances on one database
 * (issue 23), as Azure runs them: no session affinity, so every other turn of a user lands on the
 * other instance, and both deliver notifications from the same outboxes.
 */
describe('scale: two instances behind a round-robin balancer (issue 23)', function () {
  this.timeout(180_000);
  let first: World;
  /** The world with its Teams client pointed at the balancer. */
  let w: World;
  let second: RunningApp;
  let balancer: Balancer;
  let db: CosmosDb;
  let tenant: Tenant;
  let admin: TeamsUser;
  let olga: TeamsUser;
  let rita: TeamsUser;

  const stored = async (numbers: readonly string[]): Promise<Claim[]> =>
    Promise.all(
      numbers.map(async (n) => {
        const claim = await w.app.services.claims.get(tenant.id, n);
        assert.ok(claim, `${n} is stored`);
        return claim;
      }),
    );
  const withStatus = async (numbers: readonly string[], status: string): Promise<string[]> =>
    (await stored(numbers)).filter((c) => c.status === status).map((c) => c.number);
  /** Notification cards Rita (the reviewer) received for `number`. */
  const toRita = (number: string) =>
    notificationCards(w.connector, rita.personalConversationId).filter((c) => c.claim === number);
  const idle = (app: RunningApp) =>
    Promise.race([app.notifications.idle(), new Promise((r) => setTimeout(r, 10_000))]);

  function assertAnswered(results: readonly TurnResult[], success: RegExp): void {
    for (const r of results) {
      assert.equal(r.invokeStatus, 200);
      assert.ok(success.test(r.text) || FUND_TOO_SMALL.test(r.text), r.text.slice(0, 300));
    }
  }

  /** `count` claims of Olga's for $200 each, ready to submit. */
  async function readyClaims(count: number, title: string): Promise<string[]> {
    const numbers: string[] = [];
    for (let i = 0; i < count; i++) {
      const { number } = await createClaim(w, olga, { Title: `${title} ${i}`, Amount: '200.00' });
      await seedReady(w, olga, number);
      numbers.push(number);
    }
    return numbers;
  }

  /** Olga submits every claim at once; returns when Rita was told of each. */
  async function submitAllAndAwaitRita(numbers: readonly string[]): Promise<void> {
    const submits = await Promise.all(
      numbers.map((n) => w.teams.invoke(olga, olga.personal, 'submit', { claim: n })),
    );
    assertAnswered(submits, /Submitted\./);
    await waitUntil(
      'every reviewer notification',
      () => numbers.every((n) => toRita(n).length >= 1),
      60_000,
    );
  }

  /**
   * A new organisation: Ada (admin), Olga (Incentives user), Rita (reviewer, who has talked to the
   * bot, so her 1:1 chat is known), and one fund of `allocated` dollars.
   */
  async function organisation(name: string, allocated: string): Promise<Fund> {
    tenant = w.teams.tenant(name);
    admin = w.teams.user(tenant, 'Ada Admin', { aadObjectId: first.bootstrapAdmins[0] });
    // Names unique across the organisations: a mention is resolved by name.
    olga = w.teams.user(tenant, `Olga of ${name}`);
    rita = w.teams.user(tenant, `Rita of ${name}`);
    const group = w.teams.groupChat(tenant, [admin, olga, rita]);
    await grant(w, admin, group, olga, 'incentives user');
    await grant(w, admin, group, rita, 'reviewer');
    await w.teams.send(rita, rita.personal, 'help');
    await addFund(w, admin, { Name: name, 'Allocated amount': allocated });
    const [fund] = await w.app.services.funds.list(tenant.id);
    assert.ok(fund);
    return fund;
  }

  before(async () => {
    first = await startWorld({ storage: 'emulators', env: { SCALE_OUT: 'true' } });
    second = await startApp(first.config);
    balancer = await startBalancer({ upstreams: [first.app.url, second.url] });
    w = { ...first, teams: new TeamsClient(`${balancer.url}/api/messages`, first.connector) };
    assert.ok(first.config.cosmos);
    db = await openCosmos(first.config.cosmos);
  });
  after(async () => {
    await balancer?.stop();
    await second?.stop();
    await first?.stop();
    db?.close();
  });

  it('a claim from New claim to Approved, every turn on the other instance than the one before', async () => {
    await organisation('Life cycle', '10,000.00');
    const before = balancer.counts();
    const [number] = await readyClaims(1, 'Life');
    const submitted = await w.teams.invoke(olga, olga.personal, 'submit', { claim: number });
    assert.match(submitted.text, /Submitted\./);
    const review = await w.teams.send(rita, rita.personal, `claim ${number}`);
    const started = await w.teams.click(rita, rita.personal, review, 'Start review');
    assert.match(started.text, /Under review/);
    const approved = await w.teams.click(rita, rita.personal, started, 'Approve', {
      'Approved amount': '150.00',
      'Reason for approving less': 'Part of the cost is not eligible.',
    });
    assert.match(approved.text, /Approved/);
    const after = balancer.counts();
    assert.ok(
      after.every((n, i) => n - before[i] >= 2),
      `both instances answered turns: ${JSON.stringify({ before, after })}`,
    );
    await waitUntil('the owner is told of the approval', () =>
      notificationCards(w.connector, olga.personalConversationId).some(
        (c) => c.claim === number && /approved/i.test(c.kind),
      ),
    );
    await Promise.all([idle(first.app), idle(second)]);
    assert.equal(toRita(number).length, 1, 'the reviewer was told of the submit once');
  });

  it(`${PARALLEL} parallel submits, then parallel approvals, on one fund: never over-committed, the ledger equals the claims`, async () => {
    const fund = await organisation('Parallel', '1,000.00');
    const numbers = await readyClaims(PARALLEL, 'Parallel');
    const submits = await Promise.all(
      numbers.map((n) => w.teams.invoke(olga, olga.personal, 'submit', { claim: n })),
    );
    assertAnswered(submits, /Submitted\./);
    const submitted = await withStatus(numbers, 'submitted');
    assert.equal(submitted.length, 5, 'exactly what fits: 5 × $200 of $1,000');
    await Promise.all(
      submitted.map((n) => w.teams.invoke(rita, rita.personal, 'startReview', { claim: n })),
    );
    const round = await Promise.all([
      ...submitted.map((n) =>
        w.teams.invoke(rita, rita.personal, 'approve', {
          claim: n,
          approvedAmount: '100.00',
          approveReason: 'Half the cost is eligible.',
          approveNote: '',
        }),
      ),
      ...(await withStatus(numbers, 'editing')).map((n) =>
        w.teams.invoke(olga, olga.personal, 'submit', { claim: n }),
      ),
    ]);
    assertAnswered(round, /Submitted\.|Approved/);
    // What the approvals gave back is there to take: submits one after another fill the fund up.
    for (const n of await withStatus(numbers, 'editing')) {
      await w.teams.invoke(olga, olga.personal, 'submit', { claim: n });
    }
    const claims = await stored(numbers);
    const sums = ledgerOf(claims)[ledgerKey(fund.id, 'USD')];
    assert.equal(sums.approved, 5 * 10_000);
    assert.ok(sums.approved + sums.pending <= fund.allocated.minor, JSON.stringify(sums));
    assert.ok(
      fund.allocated.minor - sums.approved - sums.pending < 20_000,
      `nothing held back by a lost reservation: ${JSON.stringify(sums)}`,
    );
    const recorded = (await new CosmosClaimRepository(db).fundLedger(tenant.id))[
      ledgerKey(fund.id, 'USD')
    ];
    assert.deepEqual(
      recorded,
      sums,
      'the stored sums, as any instance reads them, equal the claims',
    );
  });

  it(`a 429 storm from the connector while ${STORM} claims are submitted: every notification delivered once`, async () => {
    await organisation('Storm', '100,000.00');
    const numbers = await readyClaims(STORM, 'Storm');
    w.connector.inject({
      status: 429,
      retryAfter: 1,
      count: 3 * STORM,
      ops: ['send', 'reply', 'create'],
    });
    await submitAllAndAwaitRita(numbers);
    await Promise.all([idle(first.app), idle(second)]);
    assert.ok(w.connector.tally().faulted >= 3 * STORM, 'the storm happened');
    for (const n of numbers) assert.equal(toRita(n).length, 1, `${n}: once`);
    for (const claim of await stored(numbers)) {
      assert.deepEqual(
        claim.outbox.filter((x) => x.state !== 'delivered').map((x) => x.state),
        [],
        `${claim.number}: nothing left owed`,
      );
    }
  });

  it(`Teams' send limits hold for both instances together: ${PARALLEL} notifications into one chat from both`, async () => {
    await waitUntil(
      'both instances counting two on the roll',
      () => [first.app, second].every((app) => app.notifications.limitShare() === 0.5),
      30_000,
    );
    await organisation('Limits', '100,000.00');
    const numbers = await readyClaims(PARALLEL, 'Limits');
    const from = w.connector.requests.length;
    const slots = [first.app, second].map((app) =>
      recordGrants(app.conversationLimiter, rita.personalConversationId),
    );
    await submitAllAndAwaitRita(numbers);
    for (const s of slots) s.stop();
    // Every write the instances made into her chat on their own: new cards and card updates.
    const writes = writesByConversation(w.connector, from).get(rita.personalConversationId) ?? [];
    assert.ok(writes.length >= PARALLEL, `${writes.length} sends`);
    // Judged when the instances granted each send its slot (a limit counts a send then), not when
    // the connector received it: on a busy machine a request can arrive late, beside later ones.
    const granted = slots.flatMap((s) => s.grants);
    assert.ok(
      granted.length >= writes.length,
      `${granted.length} slots for ${writes.length} sends`,
    );
    for (const window of TEAMS_CONVERSATION_LIMITS.slice(0, 2)) {
      const seen = maxInWindow(granted, window.windowMs);
      assert.ok(
        seen <= window.max,
        `${seen} sends in ${window.windowMs} ms (Teams allows ${window.max})`,
      );
    }
  });
});
