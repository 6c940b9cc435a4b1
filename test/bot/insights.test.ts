import assert from 'node:assert/strict';
import { notificationCards } from '../notify/helpers';
import type { TeamsUser, TurnResult } from '../support/teams';
import { cardText, factValue } from '../support/teams';
import { ReviewTeam, reviewTeam } from './policyKit';
import { ofType } from './cardNodes';
import { World, createClaim, seedReady, startWorld } from './world';

const DAY = 86_400_000;

describe('bot: results and insights (issue 33)', () => {
  let w: World;
  let team: ReviewTeam;
  let rita: TeamsUser;
  // Taken when the suite starts, not when mocha loads the file (minutes earlier in a parallel run):
  // the claims' dates come from the real day, and the reminders' days from this clock.
  let start: Date;
  let now: Date;
  let paid: string;
  let quiet: string;

  const approved = async (amount: string): Promise<string> => {
    const { olga } = team;
    const { number } = await createClaim(w, olga, { Amount: amount });
    await seedReady(w, olga, number);
    await w.teams.invoke(olga, olga.personal, 'submit', { claim: number });
    await w.teams.invoke(rita, rita.personal, 'startReview', { claim: number });
    await w.teams.invoke(rita, rita.personal, 'approve', { claim: number, approvedAmount: amount });
    return number;
  };

  before(async () => {
    start = new Date();
    now = start;
    w = await startWorld({ app: { clock: () => now } });
    team = await reviewTeam(w, ['Rita Reviewer']);
    [rita] = team.reviewers;
    paid = await approved('1,000.00');
    quiet = await approved('500.00');
  });
  after(async () => {
    await w?.stop();
  });

  it('after approval the owner adds Pipeline and Revenue won in the claim currency, and changes them with history', async () => {
    const { olga } = team;
    const add = (kind: string, value: string): Promise<TurnResult> =>
      w.teams.invoke(olga, olga.personal, 'addMetric', {
        claim: paid,
        metricKind: kind,
        metricValue: value,
      });
    await add('pipeline', '8,000.00');
    await add('revenue', '2,500.00');
    const changed = await add('pipeline', '12,000.00');
    assert.equal(factValue(changed.card, 'Pipeline'), '$12,000.00');
    assert.equal(factValue(changed.card, 'Revenue won'), '$2,500.00');
    const stored = await w.app.services.claims.get(olga.tenantId, paid);
    assert.equal(stored?.metrics.filter((m) => m.kind === 'pipeline').length, 1);
    assert.equal(stored?.history.at(-1)?.kind, 'resultsRecorded');
    assert.equal(stored?.history.at(-1)?.item, 'Pipeline: 8,000.00 USD → 12,000.00 USD');
    // Rita reviewed it: she may not report its results.
    const refused = await w.teams.invoke(rita, rita.personal, 'addMetric', {
      claim: paid,
      metricKind: 'leads',
      metricValue: '3',
    });
    assert.match(cardText(refused.card), /not allowed/);
    const after = await w.app.services.claims.get(olga.tenantId, paid);
    assert.deepEqual(after?.metrics, stored?.metrics);
  });

  it('insights shows the admin the tenant: a donut per fund, spend and pipeline per type, return on spend, a gauge; every chart with a fallback', async () => {
    const { admin } = team;
    const r = await w.teams.send(admin, admin.personal, 'insights');
    const donut = ofType(r.card, 'Chart.Donut')[0];
    assert.ok(donut, cardText(r.card));
    const slices = donut.data as { legend: string; value: number }[];
    assert.deepEqual(
      slices.map((s) => [s.legend, s.value]),
      [
        ['Approved', 1500],
        ['Pending', 0],
        ['Reserved by requests', 0],
        ['Remaining', 8500],
      ],
    );
    for (const type of ['Chart.Donut', 'Chart.VerticalBar', 'Chart.HorizontalBar', 'Chart.Gauge']) {
      const charts = ofType(r.card, type);
      assert.ok(charts.length > 0, `${type} shown`);
      for (const c of charts) assert.ok(c.fallback, `${type} has a fallback`);
    }
    const bars = ofType(r.card, 'Chart.HorizontalBar')[0].data as { x: string; y: number }[];
    assert.deepEqual(bars, [{ x: 'Webinar', y: 12000 }]);
    // 12,000 pipeline on 1,500 approved; 2,500 revenue on 1,500.
    assert.equal(factValue(r.card, 'Pipeline ÷ approved'), '8.0×');
    assert.equal(factValue(r.card, 'Revenue won ÷ approved'), '1.7×');
    assert.match(cardText(r.card), /Every claim of the organisation/);
  });

  it('others see their own claims; Dutch numbers in nl-NL; in a group chat it goes to the 1:1 chat', async () => {
    const { olga, group } = team;
    const own = await w.teams.send(olga, olga.personal, 'insights');
    assert.match(cardText(own.card), /your own claims/);
    const rows = ofType(own.card, 'Chart.VerticalBar')[0].data as { x: string; y: number }[];
    assert.deepEqual(rows, [{ x: 'Webinar', y: 1500 }]);
    const dutch = await w.teams.send(olga, olga.personal, 'inzichten', { locale: 'nl-NL' });
    assert.equal(factValue(dutch.card, 'Pijplijn ÷ goedgekeurd'), '8,0×');
    // Back to English: notifications follow the language she last wrote in.
    await w.teams.send(olga, olga.personal, 'help');
    const shared = await w.teams.send(olga, group, 'insights');
    assert.equal(shared.card, undefined, 'nothing of it in the group chat');
    assert.match(shared.text, /1:1 chat/);
  });

  it('asks the owner for results once, 30 days after the activity ended, however often and wherever the reminders run', async () => {
    const { olga } = team;
    const asked = () =>
      notificationCards(w.connector, olga.personal.id, 'Results wanted').filter(
        (c) => c.claim === quiet,
      );
    const remindAt = async (offsetDays: number): Promise<void> => {
      now = new Date(start.getTime() + offsetDays * DAY);
      await Promise.all([
        w.app.notifications.reminders.remind(),
        w.app.notifications.reminders.remind(),
      ]);
      await w.app.notifications.idle();
    };
    // The claims' activity ended 10 days ago: due in 20 days.
    await remindAt(19);
    assert.equal(asked().length, 0, 'not before');
    await remindAt(20);
    assert.equal(asked().length, 1);
    await remindAt(21);
    assert.equal(asked().length, 1, 'once');
    assert.equal(
      notificationCards(w.connector, olga.personal.id, 'Results wanted').filter(
        (c) => c.claim === paid,
      ).length,
      0,
      'a claim with results is not asked about',
    );
  });
});
