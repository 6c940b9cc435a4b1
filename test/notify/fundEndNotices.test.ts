import assert from 'node:assert/strict';
import { fundEndNoticeId } from '../../src/domain/fundEndNotice';
import { fundAdmins } from '../../src/bot/flows/fundRequests';
import { FundPeriodEnds } from '../../src/notify/fundPeriodEnds';
import { MemoryFundEndNoticeRepository } from '../../src/store/memory/fundEndNotices';
import { MemoryJobLeases } from '../../src/store/memory/jobLeases';
import { TeamsUser, Tenant } from '../support/teams';
import { World, addFund, grant, startWorld } from '../bot/world';
import { sleep, waitUntil, writesByConversation } from './helpers';

/**
 * Issue 32: the notice 30 days before a fund's period ends goes through the one outbox engine, so a
 * failed send is retried (it was sent once, directly, and lost on a 5xx or 429), a 429's Retry-After
 * is kept, and a notice queued by an instance that dies before sending it is sent by the next sweep,
 * once. The app's clock is a fake one; the tests never wait for the minute's sweep.
 */
describe('notify: fund-end notices through the outbox engine (issue 32, fake clock)', function () {
  this.timeout(60_000);
  let w: World;
  let tenant: Tenant;
  let ada: TeamsUser;
  let ivy: TeamsUser;
  const notices = new MemoryFundEndNoticeRepository();
  // The app's clock runs from a day of its own (a retry's time must come), in step with real time.
  const base = Date.parse('2031-03-03T09:00:00Z');
  const started = Date.now();
  const now = (): Date => new Date(base + Date.now() - started);
  const fakeDay = (offset: number): string =>
    new Date(base + offset * 86_400_000).toISOString().slice(0, 10);

  const heard = (u: TeamsUser, fund: string) =>
    w.connector
      .delivered(u.personal.id)
      .filter((r) => JSON.stringify(r).includes(`${fund} ends on`)).length;
  const noticeOf = async (fund: string) => {
    const found = (await w.app.services.funds.list(tenant.id)).find((f) => f.name === fund);
    assert.ok(found);
    return notices.get(tenant.id, fundEndNoticeId(found.id));
  };
  const addEnding = (name: string) =>
    addFund(w, ada, {
      Name: name,
      'Allocated amount': '10,000.00',
      'Period start': fakeDay(-100),
      'Period end': fakeDay(20),
    });

  before(async () => {
    w = await startWorld({ app: { clock: now, ports: { fundEndNotices: notices } } });
    tenant = w.teams.tenant('contoso');
    ada = w.teams.user(tenant, 'Ada Admin', { aadObjectId: w.bootstrapAdmins[0] });
    ivy = w.teams.user(tenant, 'Ivy Incentives');
    await grant(w, ada, w.teams.groupChat(tenant, [ada, ivy]), ivy, 'incentives admin');
    await w.teams.send(ivy, ivy.personal, 'help');
  });
  afterEach(() => w.connector.clearFaults());
  after(async () => {
    await w?.stop();
  });

  it('a notice whose first send meets a 503 is sent again on its own, and heard once', async () => {
    await addEnding('Retried fund');
    const from = w.connector.requests.length;
    w.connector.inject({
      status: 503,
      conversationId: ivy.personal.id,
      ops: ['send', 'reply'],
      count: 1,
    });
    await w.app.notifications.reminders.remind();
    const ivysItem = async () =>
      (await noticeOf('Retried fund'))?.outbox.find((n) => n.to.id === ivy.aadObjectId);
    await waitUntil(
      'the notice to Ivy delivered',
      async () => (await ivysItem())?.state === 'delivered',
      15_000,
    );
    assert.equal(heard(ivy, 'Retried fund'), 1);
    assert.deepEqual(
      (writesByConversation(w.connector, from).get(ivy.personal.id) ?? []).map((q) => q.status),
      [503, 201],
    );
    const item = await ivysItem();
    assert.equal(item?.attempts, 2);
    assert.equal(item?.lastError, 'http-503');
    // Looking again (the next hour, or another instance) queues nothing more.
    await w.app.notifications.reminders.remind();
    await w.app.notifications.idle();
    assert.equal(heard(ivy, 'Retried fund'), 1);
  });

  it('a 429 holds the notice for its Retry-After, then it goes out', async () => {
    await addEnding('Throttled fund');
    const from = w.connector.requests.length;
    w.connector.inject({
      status: 429,
      retryAfter: 2,
      conversationId: ivy.personal.id,
      ops: ['send', 'reply'],
      count: 1,
    });
    await w.app.notifications.reminders.remind();
    await waitUntil('Ivy hears of it', () => heard(ivy, 'Throttled fund') === 1, 15_000);
    const writes = writesByConversation(w.connector, from).get(ivy.personal.id) ?? [];
    assert.deepEqual(
      writes.map((q) => q.status),
      [429, 201],
    );
    assert.ok(
      writes[1].at - writes[0].at >= 1900,
      `sent again after ${writes[1].at - writes[0].at} ms`,
    );
  });

  it('a notice queued by an instance that died before sending it is sent by the sweep, once', async () => {
    await addEnding('Orphaned fund');
    const dying = new FundPeriodEnds({
      funds: w.app.services.funds,
      ledger: w.app.services.claims,
      admins: (tenantId) => fundAdmins(w.app.services, tenantId),
      leases: new MemoryJobLeases(),
      notices,
      deliver: () => undefined,
    });
    await dying.remind(now());
    await sleep(300);
    assert.equal(heard(ivy, 'Orphaned fund'), 0, 'queued, not sent');
    assert.equal((await noticeOf('Orphaned fund'))?.outbox[0]?.state, 'pending');
    await w.app.notifications.reminders.remind();
    await w.app.notifications.idle();
    assert.equal(heard(ivy, 'Orphaned fund'), 0, 'not queued a second time');
    const sweeper = w.app.notifications.fundEnds;
    assert.ok(sweeper);
    await Promise.all([sweeper.sweep(), sweeper.sweep()]);
    await w.app.notifications.idle();
    assert.equal(heard(ivy, 'Orphaned fund'), 1);
    await sweeper.sweep();
    assert.equal(heard(ivy, 'Orphaned fund'), 1, 'once');
  });
});
