import assert from 'node:assert/strict';
import { RunningApp, startApp } from '../../src/app';
import type { Claim } from '../../src/domain/claim';
import { Fund, FundSums, ledgerKey, ledgerOf } from '../../src/domain/fund';
import { CosmosClaimRepository } from '../../src/store/claims';
import { CosmosDb, openCosmos } from '../../src/store/cosmos';
import { Chat, TeamsClient, TeamsUser, Tenant, TurnResult } from '../support/teams';
import { World, addFund, createClaim, grant, seedReady, startWorld } from '../bot/world';

/** A refusal because the fund has too little left, from the pre-check or from the reservation. */
const FUND_TOO_SMALL =
  /The fund does not have enough left for this claim: \$[\d,.]+ remains|no higher than what the fund has left \(\$[\d,.]+\)/;
const CLAIMS = 50;

describe('trust: a fund cannot be over-committed, by two instances on one database (issue 14)', function () {
  this.timeout(180_000);
  let w: World;
  let second: RunningApp;
  /** One Teams client per instance: turns alternate between the two. */
  let clients: TeamsClient[];
  let db: CosmosDb;
  let tenant: Tenant;
  let olga: TeamsUser;
  let rita: TeamsUser;
  let admin: TeamsUser;
  let group: Chat;
  let fund: Fund;
  const numbers: string[] = [];

  const invoke = (i: number, u: TeamsUser, verb: string, data: Record<string, string>) =>
    clients[i % 2].invoke(u, u.personal, verb, data);
  const stored = async (): Promise<Claim[]> =>
    Promise.all(
      numbers.map(async (n) => {
        const claim = await w.app.services.claims.get(tenant.id, n);
        assert.ok(claim, `${n} is stored`);
        return claim;
      }),
    );
  const withStatus = async (status: string): Promise<string[]> =>
    (await stored()).filter((c) => c.status === status).map((c) => c.number);

  /** Every answer is a success or a refusal naming what remains: never an error card. */
  function assertAnswered(results: readonly TurnResult[], success: RegExp): void {
    for (const r of results) {
      assert.equal(r.invokeStatus, 200);
      assert.ok(success.test(r.text) || FUND_TOO_SMALL.test(r.text), r.text.slice(0, 300));
    }
  }

  /** The invariant: approved + pending never above allocated, whichever instance looks. */
  async function assertWithinAllocation(): Promise<void> {
    const sums = ledgerOf(await stored())[ledgerKey(fund.id, 'USD')];
    assert.ok(
      sums.approved + sums.pending <= fund.allocated.minor,
      `approved ${sums.approved} + pending ${sums.pending} > allocated ${fund.allocated.minor}`,
    );
  }

  before(async () => {
    w = await startWorld({ storage: 'emulators' });
    second = await startApp(w.config);
    clients = [w.teams, new TeamsClient(`${second.url}/api/messages`, w.connector)];
    assert.ok(w.config.cosmos);
    db = await openCosmos(w.config.cosmos);
    tenant = w.teams.tenant('contoso');
    admin = w.teams.user(tenant, 'Ada Admin', { aadObjectId: w.bootstrapAdmins[0] });
    olga = w.teams.user(tenant, 'Olga Owner');
    rita = w.teams.user(tenant, 'Rita Reviewer');
    group = w.teams.groupChat(tenant, [admin, olga, rita]);
    await grant(w, admin, group, olga, 'incentives user');
    await grant(w, admin, group, rita, 'reviewer');
    await addFund(w, admin, { 'Allocated amount': '1,000.00' });
    [fund] = await w.app.services.funds.list(tenant.id);
    for (let i = 0; i < CLAIMS; i++) {
      const { number } = await createClaim(w, olga, { Title: `Parallel ${i}`, Amount: '200.00' });
      await seedReady(w, olga, number);
      numbers.push(number);
    }
  });
  after(async () => {
    const idle = (app: RunningApp) =>
      Promise.race([app.notifications.idle(), new Promise((r) => setTimeout(r, 10_000))]);
    await Promise.all([w && idle(w.app), second && idle(second)]);
    await second?.stop();
    await w?.stop();
    db?.close();
  });

  it(`${CLAIMS} parallel submits on both instances: exactly what fits is submitted, the rest refused naming what remains`, async () => {
    const results = await Promise.all(
      numbers.map((n, i) => invoke(i, olga, 'submit', { claim: n })),
    );
    assertAnswered(results, /Submitted\./);
    assert.equal((await withStatus('submitted')).length, 5);
    await assertWithinAllocation();
  });

  it('parallel approvals below the claimed amount, resubmits and disputes: never over-committed', async () => {
    const submitted = await withStatus('submitted');
    await Promise.all(submitted.map((n, i) => invoke(i, rita, 'startReview', { claim: n })));
    const refused = await withStatus('editing');
    const round = await Promise.all([
      ...submitted.map((n, i) =>
        invoke(i, rita, 'approve', {
          claim: n,
          approvedAmount: '100.00',
          approveNote: '',
          approveReason: 'Half the cost is eligible.',
        }),
      ),
      ...refused.map((n, i) => invoke(i + 1, olga, 'submit', { claim: n })),
    ]);
    assertAnswered(round, /Submitted\.|Approved/);
    assert.equal((await withStatus('approved')).length, submitted.length);
    await assertWithinAllocation();

    const approved = await withStatus('approved');
    const stillRefused = await withStatus('editing');
    const last = await Promise.all([
      ...approved.map((n, i) => invoke(i, admin, 'dispute', { claim: n, reason: 'recheck' })),
      ...stillRefused.map((n, i) => invoke(i + 1, olga, 'submit', { claim: n })),
    ]);
    assertAnswered(last, /Submitted\.|Disputed/);
    await assertWithinAllocation();
    assert.ok(FUND_TOO_SMALL.test(last.map((r) => r.text).join('\n')), 'some were refused');
  });

  it('the ledger equals the sum over the claims, once every posting is done', async () => {
    for (const n of numbers) await w.app.services.claims.postLedgerEntries(tenant.id, n);
    const claims = await stored();
    assert.equal(
      claims.some((c) => c.ledgerEntries?.length),
      false,
    );
    const key = ledgerKey(fund.id, 'USD');
    const fresh: FundSums | undefined = (await new CosmosClaimRepository(db).fundLedger(tenant.id))[
      key
    ];
    assert.deepEqual(fresh, ledgerOf(claims)[key]);
    assert.ok(fresh && fresh.approved + fresh.pending <= fund.allocated.minor);
  });

  it("a dispute that no longer fits is refused naming what remains, in the user's language, and changes nothing", async () => {
    const [pending] = [...(await withStatus('submitted')), ...(await withStatus('disputed'))];
    assert.ok(pending, 'a claim is pending');
    if ((await stored()).find((c) => c.number === pending)?.status === 'submitted') {
      await invoke(0, rita, 'startReview', { claim: pending });
    }
    await invoke(1, rita, 'reject', { claim: pending, reason: 'not this one' });
    // Filled on the instance that released the funds: the other one's Submit pre-check may go by
    // sums up to a second old (the reservation itself never does).
    for (const n of await withStatus('editing')) {
      const r = await invoke(1, olga, 'submit', { claim: n });
      if (FUND_TOO_SMALL.test(r.text)) break;
    }
    const sums = ledgerOf(await stored())[ledgerKey(fund.id, 'USD')];
    const remaining = fund.allocated.minor - sums.approved - sums.pending;
    assert.ok(remaining < 20_000, `the fund is nearly full (${remaining} left)`);
    const before = (await stored()).find((c) => c.number === pending);

    const english = await invoke(0, admin, 'dispute', { claim: pending, reason: 'recheck' });
    const shown = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(
      remaining / 100,
    );
    assert.ok(
      english.text.includes(`The fund does not have enough left for this claim: ${shown} remains.`),
      english.text,
    );
    const dutch = await new TeamsClient(`${second.url}/api/messages`, w.connector, {
      locale: 'nl-NL',
    }).invoke(admin, admin.personal, 'dispute', { claim: pending, reason: 'opnieuw' });
    assert.match(dutch.text, /Het fonds heeft niet genoeg over voor deze claim: er resteert .+\./);
    const after = (await stored()).find((c) => c.number === pending);
    assert.equal(after?.status, 'rejected');
    assert.equal(after?.history.length, before?.history.length);
  });
});
