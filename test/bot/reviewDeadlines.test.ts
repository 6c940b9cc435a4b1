import assert from 'node:assert/strict';
import { businessDaysBetween } from '../../src/domain/policy';
import type { TeamsUser } from '../support/teams';
import { factValue } from '../support/teams';
import { notificationCards } from '../notify/helpers';
import { ReviewTeam, reviewTeam } from './policyKit';
import { World, createClaim, grant, seedReady, startWorld } from './world';

const DAY = 86_400_000;

describe('bot: review deadlines, reminder then escalation (issue 31, fake clock)', () => {
  let w: World;
  let team: ReviewTeam;
  let rita: TeamsUser;
  let ivy: TeamsUser;
  // Taken when the suite starts, not when mocha loads the file (minutes earlier in a parallel run).
  let start: Date;
  /** The app's clock. */
  let now: Date;

  const overdue = (u: TeamsUser) => notificationCards(w.connector, u.personal.id, 'Review overdue');
  const escalated = (u: TeamsUser) =>
    notificationCards(w.connector, u.personal.id, 'Review escalated');
  const remindAt = async (offsetDays: number): Promise<void> => {
    now = new Date(start.getTime() + offsetDays * DAY);
    await w.app.notifications.reminders.remind();
    await w.app.notifications.idle();
  };

  before(async () => {
    start = new Date();
    now = start;
    w = await startWorld({ app: { clock: () => now } });
    team = await reviewTeam(w, ['Rita Reviewer'], '10,000.00', ['Ivy Incentives']);
    [rita] = team.reviewers;
    [ivy] = team.others;
    await grant(w, team.admin, team.group, ivy, 'incentives admin');
    await w.teams.send(ivy, ivy.personal, 'help');
  });
  after(async () => {
    await w?.stop();
  });

  it('shows how long a claim waited; past Review within (5) the reviewers are reminded once a day, then the admins', async () => {
    const { olga } = team;
    const { number } = await createClaim(w, olga);
    await seedReady(w, olga, number);
    const submitted = await w.teams.invoke(olga, olga.personal, 'submit', { claim: number });
    assert.equal(factValue(submitted.card, 'Waiting'), '0 business days');

    await remindAt(1);
    assert.equal(overdue(rita).length, 0, 'not before the deadline');

    // Ten calendar days hold at least six business days: past the deadline of five.
    const days = businessDaysBetween(
      start.toISOString().slice(0, 10),
      new Date(start.getTime() + 10 * DAY).toISOString().slice(0, 10),
    );
    assert.ok(days > 5);
    now = new Date(start.getTime() + 10 * DAY);
    const later = await w.teams.send(rita, rita.personal, `claim ${number}`);
    assert.equal(factValue(later.card, 'Waiting'), `${days} business days`);

    await remindAt(10);
    assert.equal(overdue(rita).filter((c) => c.claim === number).length, 1, 'reviewers reminded');
    assert.equal(escalated(ivy).length, 0, 'admins not yet');
    await remindAt(10);
    assert.equal(overdue(rita).length, 1, 'at most once a day');

    await remindAt(11);
    assert.equal(
      escalated(ivy).filter((c) => c.claim === number).length,
      1,
      'escalated to the admins',
    );
    assert.equal(overdue(rita).length, 1);

    // Reviewed: no more reminders.
    await w.teams.invoke(rita, rita.personal, 'startReview', { claim: number });
    await w.teams.invoke(rita, rita.personal, 'approve', {
      claim: number,
      approvedAmount: '1,250.00',
    });
    await remindAt(12);
    assert.equal(escalated(ivy).length, 1);
  });
});
