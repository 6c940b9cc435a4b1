import assert from 'node:assert/strict';
import { ledgerKey } from '../../src/domain/fund';
import { CosmosClaimRepository } from '../../src/store/claims';
import { FundPeriodEnds } from '../../src/notify/fundPeriodEnds';
import { SubmitDeadlines } from '../../src/notify/submitDeadlines';
import { CosmosJobLeases } from '../../src/store/jobLeases';
import { fundAdmins } from '../../src/bot/flows/fundRequests';
import { CosmosFundEndNoticeRepository } from '../../src/store/fundEndNotices';
import type { RunningApp } from '../../src/app';
import { addFund, createClaim, day, grant } from '../bot/world';
import { TwoInstances, idle, startTwoInstances } from './twoInstances';

const DAY = 86_400_000;

/**
 * Issue 32 on two instances on one database behind the round-robin balancer: a withdrawal clicked
 * by two admins at once releases the reservation once; the submit deadline reminders, run by both
 * instances at once, are queued once; a fund's end is told to each admin once.
 */
describe('scale: withdrawn requests and submit deadline reminders on two instances (issue 32)', function () {
  this.timeout(180_000);
  let two: TwoInstances;

  before(async () => {
    two = await startTwoInstances();
  });
  after(async () => {
    await two?.stop();
  });

  const deadlinesOf = (app: RunningApp) =>
    new SubmitDeadlines({
      claims: app.services.claims,
      funds: app.services.funds,
      deliver: () => undefined,
    });

  it('parallel withdrawals on both instances release a reservation once; reminders and fund-end notices go out once', async () => {
    const { w, first, second } = two;
    const tenant = w.teams.tenant('Deadlines');
    const admin = w.teams.user(tenant, 'Ada Admin', { aadObjectId: first.bootstrapAdmins[0] });
    const olga = w.teams.user(tenant, 'Olga of Deadlines');
    const [pat, ian] = ['Pat', 'Ian'].map((n) => w.teams.user(tenant, `${n} of Deadlines`));
    const group = w.teams.groupChat(tenant, [admin, olga, pat, ian]);
    await grant(w, admin, group, olga, 'incentives user');
    for (const u of [pat, ian]) await grant(w, admin, group, u, 'incentives admin');
    await addFund(w, admin, { Name: 'Deadlines fund', 'Allocated amount': '10,000.00' });
    const [fund] = await w.app.services.funds.list(tenant.id);
    const numbers: string[] = [];
    for (let i = 0; i < 3; i++) {
      const sent = await w.teams.invoke(olga, olga.personal, 'createFundRequest', {
        formId: `withdraw-form-${i}`,
        activity: `Roadshow ${i}`,
        activityType: 'event',
        plannedStart: day(5),
        plannedEnd: day(6),
        plannedAmount: '1,000.00',
        fundId: fund.id,
      });
      const number = /Fund request (REQ-\d{4}) was sent/.exec(sent.text)?.[1] ?? '';
      assert.ok(number, sent.text);
      const approved = await w.teams.invoke(pat, pat.personal, 'approveRequest', {
        request: number,
      });
      assert.match(approved.text, /Approved: /);
      numbers.push(number);
    }
    const answers = await Promise.all(
      numbers.flatMap((n) =>
        [pat, ian].map((u) =>
          w.teams.invoke(u, u.personal, 'withdrawRequest', { request: n, reason: 'Cancelled' }),
        ),
      ),
    );
    for (const a of answers) assert.equal(a.invokeStatus, 200);
    assert.equal(
      answers.filter((a) => /Withdrawn: \$1,000\.00 went back to the fund\./.test(a.text)).length,
      numbers.length,
      answers.map((a) => a.text.slice(0, 120)).join('\n'),
    );
    for (const n of numbers) {
      const r = await w.app.services.fundRequests.get(tenant.id, n);
      assert.equal(r?.status, 'withdrawn');
      assert.equal(r?.history.filter((e) => e.kind === 'withdrawn').length, 1, n);
      await w.app.services.fundRequests.postLedgerEntries(tenant.id, n);
    }
    const sums = (await new CosmosClaimRepository(two.db).fundLedger(tenant.id))[
      ledgerKey(fund.id, 'USD')
    ];
    assert.equal(sums?.reserved ?? 0, 0, 'every reservation released, once');

    // A draft due in 35 days: both instances look for reminders 14 days before, twice each.
    const { number } = await createClaim(w, olga);
    const at = new Date(Date.now() + 21 * DAY);
    await Promise.all([first.app, second, first.app, second].map((a) => deadlinesOf(a).remind(at)));
    const claim = await new CosmosClaimRepository(two.db).get(tenant.id, number);
    assert.equal(claim?.outbox.filter((n) => n.kind === 'submitDeadlineNear').length, 1);
    assert.deepEqual(claim?.deadlineReminders, { deadline: day(35), sent: [14] });

    // A fund ending in 20 days: both instances look twice at once; each admin is told once.
    await addFund(w, admin, {
      Name: 'Ending fund',
      'Period start': day(-90),
      'Period end': day(20),
    });
    const endsOf = (app: RunningApp) =>
      new FundPeriodEnds({
        funds: app.services.funds,
        ledger: app.services.claims,
        admins: (tenantId) => fundAdmins(app.services, tenantId),
        leases: new CosmosJobLeases(two.db),
        notices: new CosmosFundEndNoticeRepository(two.db),
        deliver: (t, n) => app.notifications.fundEnds?.kick(t, n),
      });
    const today = new Date();
    await Promise.all([first.app, second, first.app, second].map((a) => endsOf(a).remind(today)));
    await Promise.all([idle(first.app), idle(second)]);
    const told = (u: { personal: { id: string } }) =>
      w.connector
        .delivered(u.personal.id)
        .filter((r) => JSON.stringify(r).includes('Ending fund ends on')).length;
    assert.deepEqual([told(pat), told(ian), told(olga)], [1, 1, 0]);
  });
});
