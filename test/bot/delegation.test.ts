import assert from 'node:assert/strict';
import type { TeamsUser } from '../support/teams';
import { cardText } from '../support/teams';
import { recordedText } from './fileKit';
import { ReviewTeam, approveAs, reviewTeam } from './policyKit';
import { World, createClaim, grant, seedReady, startWorld } from './world';

const DAY = 86_400_000;
const dayAt = (d: Date): string => d.toISOString().slice(0, 10);

describe('bot: away until <date> @Name, and back (issue 31)', () => {
  let w: World;
  let team: ReviewTeam;
  let megan: TeamsUser;
  let isaiah: TeamsUser;
  let olga: TeamsUser;
  /** The app's clock: moved forward to let an absence run out. */
  let now = new Date();

  const invoke = (u: TeamsUser, verb: string, data: Record<string, string>) =>
    w.teams.invoke(u, u.personal, verb, data);
  const stored = async (n: string) => {
    const claim = await w.app.services.claims.get(team.tenant.id, n);
    assert.ok(claim);
    return claim;
  };
  /** A claim of Olga's (or `owner`'s), submitted; returns its number and where the connector stood. */
  async function submitted(owner = olga): Promise<{ number: string; since: number }> {
    const { number } = await createClaim(w, owner);
    await seedReady(w, owner, number);
    const since = w.connector.seq;
    assert.match((await invoke(owner, 'submit', { claim: number })).text, /Submitted\./);
    await w.app.notifications.idle();
    return { number, since };
  }
  const told = (u: TeamsUser, since: number, number: string): boolean =>
    w.connector
      .since(since, u.personal.id)
      .some(
        (r) =>
          r.op !== 'update' &&
          /submitted a claim for review/.test(recordedText(r)) &&
          recordedText(r).includes(number),
      );
  const away = (until: string) =>
    w.teams.send(megan, team.group, `away until ${until} <at>${isaiah.name}</at>`);

  before(async () => {
    w = await startWorld({ app: { clock: () => now } });
    team = await reviewTeam(w, ['Megan Bowen'], '50,000.00', ['Isaiah Langer']);
    ({ olga } = team);
    [megan] = team.reviewers;
    [isaiah] = team.others;
    await grant(w, team.admin, team.group, isaiah, 'incentives user');
    await w.teams.send(isaiah, isaiah.personal, 'help');
  });
  after(async () => {
    await Promise.race([w?.app.notifications.idle(), new Promise((r) => setTimeout(r, 10_000))]);
    await w?.stop();
  });

  it('while Megan is away, Isaiah gets her notifications, reviews for her ("Isaiah Langer for Megan Bowen"), and his own four eyes still apply', async () => {
    const set = await away(dayAt(new Date(now.getTime() + 3 * DAY)));
    assert.match(set.text, /While you are away until .*, Isaiah Langer gets your notifications/);

    const { number, since } = await submitted();
    assert.ok(told(isaiah, since, number), 'Isaiah was told of the submit');
    assert.equal(told(megan, since, number), false, 'Megan was not');

    const queue = await w.teams.send(isaiah, isaiah.personal, 'review');
    assert.match(cardText(queue.card), new RegExp(number));
    await invoke(isaiah, 'startReview', { claim: number });
    const approved = await approveAs(w, isaiah, number);
    assert.match(approved.text, /Approved/);
    const last = (await stored(number)).history.at(-1);
    assert.equal(last?.kind, 'approved');
    assert.equal(last?.by.name, 'Isaiah Langer');
    assert.equal(last?.for?.name, 'Megan Bowen');
    const history = await w.teams.send(isaiah, isaiah.personal, `history ${number}`);
    assert.match(cardText(history.card), /Isaiah Langer for Megan Bowen/);

    // His own claim: the delegate had a hand in it, so he cannot review it for her.
    const own = await submitted(isaiah);
    const refused = await invoke(isaiah, 'startReview', { claim: own.number });
    assert.match(refused.text, /You had a hand in this claim, so someone else must review it/);
    assert.equal((await stored(own.number)).status, 'submitted');
  });

  it('ends by itself on the date (fake clock): notifications go to Megan again and Isaiah cannot review', async () => {
    now = new Date(now.getTime() + 4 * DAY);
    const { number, since } = await submitted();
    assert.ok(told(megan, since, number), 'Megan was told again');
    assert.equal(told(isaiah, since, number), false);
    const r = await invoke(isaiah, 'startReview', { claim: number });
    assert.match(r.text, /was not found/);
    assert.equal((await stored(number)).status, 'submitted');
  });

  it('back ends it before the date', async () => {
    await away(dayAt(new Date(now.getTime() + 10 * DAY)));
    const { number: covered } = await submitted();
    assert.match((await invoke(isaiah, 'startReview', { claim: covered })).text, /Under review/);
    assert.match((await w.teams.send(megan, megan.personal, 'back')).text, /Welcome back/);
    const { number, since } = await submitted();
    assert.ok(told(megan, since, number));
    assert.match((await invoke(isaiah, 'startReview', { claim: number })).text, /was not found/);
    assert.match((await w.teams.send(megan, megan.personal, 'back')).text, /not marked as away/);
  });

  it('a dispute of a claim Megan decided goes to Isaiah while she is away', async () => {
    const { number } = await submitted();
    await invoke(megan, 'startReview', { claim: number });
    assert.match((await approveAs(w, megan, number)).text, /Approved/);
    await w.app.notifications.idle();
    await away(dayAt(new Date(now.getTime() + 10 * DAY)));
    const since = w.connector.seq;
    const disputed = await invoke(team.admin, 'dispute', { claim: number, reason: 'Check it' });
    assert.match(disputed.text, /Disputed/);
    await w.app.notifications.idle();
    const disputeNotice = (u: TeamsUser): boolean =>
      w.connector
        .since(since, u.personal.id)
        .some((r) => r.op !== 'update' && /disputed the decision/.test(recordedText(r)));
    assert.ok(disputeNotice(isaiah), 'Isaiah was told of the dispute');
    assert.equal(disputeNotice(megan), false, 'Megan was not');
    await w.teams.send(megan, megan.personal, 'back');
  });
});
