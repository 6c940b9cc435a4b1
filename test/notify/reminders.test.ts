import assert from 'node:assert/strict';
import { addDocument } from '../../src/domain/claim';
import type { Notifications } from '../../src/notify/notifications';
import type { World } from '../bot/world';
import type { TeamsUser, Tenant } from '../support/teams';
import {
  actorOf,
  dispatcherFor,
  notificationCards,
  seedClaim,
  seedRequest,
  startNotifyWorld,
  storeIncentivesUser,
  storePersonalChat,
} from './helpers';

/**
 * Reminders.remind() on a virtual clock. Nina is asked on Monday 4 March 2030 (due Monday 11
 * March, five business days), Oscar on Wednesday 6 March (due Wednesday 13 March), on one claim.
 * Reminders start the day before the due date and go on daily until the request is fulfilled.
 */
describe('notify: reminders for open upload requests (virtual clock)', function () {
  this.timeout(20_000);
  let w: World;
  let tenant: Tenant;
  let alice: TeamsUser;
  let nina: TeamsUser;
  let oscar: TeamsUser;
  let number: string;
  let now = new Date('2030-03-04T09:00:00Z');
  const clock = (): Date => now;
  let first: Notifications;
  let second: Notifications;

  const reminders = (u: TeamsUser) => notificationCards(w.connector, u.personal.id, 'Reminder');
  /** Runs the reminder job at `iso` on each dispatcher at once and waits for the deliveries. */
  const remindAt = async (iso: string, ds: Notifications[] = [first]): Promise<void> => {
    now = new Date(iso);
    await Promise.all(ds.map((d) => d.reminders.remind()));
    await Promise.all(ds.map((d) => d.idle()));
  };
  const counts = () => [reminders(nina).length, reminders(oscar).length];

  before(async () => {
    w = await startNotifyWorld();
    await w.app.notifications.stop();
    tenant = w.teams.tenant('contoso');
    alice = w.teams.user(tenant, 'Alice Baker');
    nina = w.teams.user(tenant, 'Nina Nguyen');
    oscar = w.teams.user(tenant, 'Oscar Olsen');
    await storeIncentivesUser(w.app.services.users, alice);
    for (const u of [alice, nina, oscar]) {
      await storePersonalChat(w.app.services.conversations, w.teams, u);
    }
    const claims = w.app.services.claims;
    ({ number } = await seedClaim(claims, alice, 'Reminders', '2030-03-04T08:00:00.000Z'));
    await seedRequest(claims, w.teams, alice, number, [nina], {
      now: '2030-03-04T09:00:00.000Z',
    });
    const claim = await seedRequest(claims, w.teams, alice, number, [oscar], {
      types: ['poe'],
      now: '2030-03-06T09:00:00.000Z',
    });
    assert.deepEqual(
      claim.uploadRequests.map((r) => [r.to.name, r.due]),
      [
        ['Nina Nguyen', '2030-03-11'],
        ['Oscar Olsen', '2030-03-13'],
      ],
    );
    first = dispatcherFor(w.app, { clock });
    second = dispatcherFor(w.app, { clock });
    await first.outbox.sweep(); // the requests themselves
  });
  after(async () => {
    await Promise.all([first?.stop(), second?.stop()]);
    await w?.stop();
  });

  it('sends nothing while the due dates are further than a day away', async () => {
    await remindAt('2030-03-07T09:00:00Z');
    await remindAt('2030-03-09T09:00:00Z');
    assert.deepEqual(counts(), [0, 0]);
  });

  it('reminds the day before the due date, with the request on the card', async () => {
    await remindAt('2030-03-10T08:00:00Z');
    assert.deepEqual(counts(), [1, 0]);
    const [card] = reminders(nina);
    assert.equal(card.claim, number);
    for (const text of [
      'Alice Baker is waiting for your documents',
      'Documents: Invoice',
      'Due: Mar 11, 2030',
      'Upload now',
    ]) {
      assert.ok(card.text.includes(text), `"${text}" on:\n${card.text}`);
    }
  });

  it('reminds at most once a day, also with two instances running the job', async () => {
    await remindAt('2030-03-10T17:30:00Z');
    await remindAt('2030-03-10T23:59:00Z', [first, second]);
    assert.deepEqual(counts(), [1, 0], 'nothing more on the same day');
    await remindAt('2030-03-11T09:00:00Z', [first, second]);
    assert.deepEqual(counts(), [2, 0], 'one on the due day');
    await remindAt('2030-03-11T15:00:00Z', [second, first]);
    assert.deepEqual(counts(), [2, 0]);
  });

  it('goes on daily while a request is overdue, each request on its own schedule', async () => {
    await remindAt('2030-03-12T09:00:00Z');
    assert.deepEqual(counts(), [3, 1], 'Nina overdue; Oscar due tomorrow');
    await remindAt('2030-03-13T09:00:00Z');
    assert.deepEqual(counts(), [4, 2]);
  });

  it('stops once the request is fulfilled', async () => {
    await w.app.services.claims.update(tenant.id, number, 'nina-uploads', (c) =>
      addDocument(
        c,
        actorOf(nina, []),
        {
          id: 'd-nina',
          type: 'invoice',
          fileName: 'invoice.pdf',
          blobName: `${tenant.id}/${number}/d-nina/invoice.pdf`,
          size: 1234,
          contentType: 'application/pdf',
          sha256: '0'.repeat(64),
          explanation: 'Agency invoice',
        },
        '2030-03-13T10:00:00.000Z',
      ),
    );
    await remindAt('2030-03-14T09:00:00Z');
    await remindAt('2030-03-15T09:00:00Z');
    assert.deepEqual(counts(), [4, 4], 'Nina no more; Oscar still daily');
    const fulfilled = notificationCards(w.connector, alice.personal.id, 'Request fulfilled');
    assert.equal(fulfilled.length, 1, 'Alice is told that Nina sent it');
  });
});
