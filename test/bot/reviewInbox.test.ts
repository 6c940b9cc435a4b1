import assert from 'node:assert/strict';
import { TeamsUser, Tenant, TurnResult, cardText, findAction } from '../support/teams';
import { World, addFund, createClaim, grant, seedReady, startWorld } from './world';

const MESSAGE = 'application/vnd.microsoft.activity.message';

describe("bot: a reviewer's inbox (issue 29)", () => {
  let w: World;
  let tenant: Tenant;
  let admin: TeamsUser;
  let olga: TeamsUser;
  let oscar: TeamsUser;
  let rita: TeamsUser;
  /** Olga's, submitted 3 days ago; Olga's in the second fund, submitted now; Oscar's, disputed. */
  let old: string;
  let other: string;
  let disputed: string;

  /** The user's answer once notifications on their way have landed (the answer is the last card). */
  const say = async (u: TeamsUser, text: string): Promise<TurnResult> => {
    await w.app.notifications.idle();
    return w.teams.send(u, u.personal, text);
  };
  const click = async (
    u: TeamsUser,
    from: TurnResult,
    title: string,
    inputs = {},
    near?: string,
  ) => {
    await w.app.notifications.idle();
    return w.teams.click(u, u.personal, from, title, inputs, near);
  };
  const listed = (r: TurnResult): string[] => cardText(r.card).match(/CLM-\d{4}/g) ?? [];

  async function submitted(owner: TeamsUser, fields: Record<string, string> = {}): Promise<string> {
    const { number } = await createClaim(w, owner, fields);
    await seedReady(w, owner, number);
    await click(owner, await say(owner, `claim ${number}`), 'Submit claim');
    return number;
  }

  before(async () => {
    w = await startWorld();
    tenant = w.teams.tenant('contoso');
    admin = w.teams.user(tenant, 'Ada Admin', { aadObjectId: w.bootstrapAdmins[0] });
    olga = w.teams.user(tenant, 'Olga Owner');
    oscar = w.teams.user(tenant, 'Oscar Owner');
    rita = w.teams.user(tenant, 'Rita Reviewer');
    const chat = w.teams.groupChat(tenant, [admin, olga, oscar, rita]);
    for (const u of [olga, oscar]) await grant(w, admin, chat, u, 'incentives user');
    await grant(w, admin, chat, rita, 'reviewer');
    await grant(w, admin, chat, olga, 'reviewer');
    await addFund(w, admin, { Name: 'Events fund' });
    await addFund(w, admin, { Name: 'Digital fund' });

    disputed = await submitted(oscar);
    const started = await click(rita, await say(rita, `claim ${disputed}`), 'Start review');
    await click(rita, started, 'Approve', {
      'Approved amount': '1,000.00',
      'Reason for approving less': 'Part of the cost is not eligible.',
    });
    await click(admin, await say(admin, `claim ${disputed}`), 'Dispute', { Reason: 'Too low' });
    old = await submitted(olga);
    const threeDaysAgo = new Date(Date.now() - 3 * 86_400_000 - 60_000).toISOString();
    await w.app.services.claims.update(tenant.id, old, `age-${old}`, (c) => ({
      ...c,
      submittedAt: threeDaysAgo,
    }));
    other = await submitted(olga, { Fund: 'Digital fund — $100,000.00 left' });
  });
  after(() => w?.stop());

  it('review: oldest waiting first, each with how long it has waited', async () => {
    const list = await say(rita, 'review');
    assert.deepEqual(listed(list), [old, other, disputed]);
    const text = cardText(list.card);
    assert.match(text, new RegExp(`Submitted · \\$1,250\\.00 · Olga Owner · waiting 3 days`));
    assert.match(text, /Disputed · \$1,250\.00 · Oscar Owner · waiting since today/);
    for (const title of ['All', 'Submitted', 'Disputed', 'Fund'])
      findAction(list.card ?? {}, title);
  });

  it('filters: Disputed, Submitted, a fund, and All again', async () => {
    const list = await say(rita, 'review');
    const onlyDisputed = await click(rita, list, 'Disputed');
    assert.equal(onlyDisputed.invokeCard !== undefined, true, 'the answer replaces the list');
    assert.deepEqual(listed(onlyDisputed), [disputed]);
    assert.match(cardText(onlyDisputed.card), /Disputed only/);
    const onlySubmitted = await click(rita, onlyDisputed, 'Submitted');
    assert.deepEqual(listed(onlySubmitted), [old, other]);
    const fund = await click(rita, onlySubmitted, 'Fund', { Fund: 'Digital fund' });
    assert.deepEqual(listed(fund), [other]);
    assert.match(cardText(fund.card), /Submitted only · Digital fund/);
    const all = await click(rita, fund, 'All');
    assert.deepEqual(listed(all), [other], 'All statuses, still of the fund');
    const forged = await w.teams.invoke(rita, rita.personal, 'reviewPage', {
      status: 'editing',
      fund: 'another tenant’s fund',
    });
    assert.deepEqual(listed(forged), [old, other, disputed], 'an unknown filter is no filter');
  });

  it('Open from the list sends the claim as a new message; the list stays', async () => {
    const list = await say(rita, 'review');
    const opened = await click(rita, list, 'Open', {}, old);
    assert.equal(opened.invokeCard, undefined, 'the list is not replaced');
    assert.equal((opened.body as { type?: string }).type, MESSAGE);
    assert.match(String((opened.body as { value?: string }).value), new RegExp(`${old} is open`));
    const sent = opened.sent.filter((r) => r.op === 'send' || r.op === 'reply');
    assert.equal(sent.length, 1);
    assert.match(cardText(opened.card), new RegExp(`^Waiting for your review, 3 days`));
  });

  it('after a decision the answer offers Next claim, which skips claims the reviewer had a hand in', async () => {
    let card = await say(rita, `claim ${old}`);
    card = await click(rita, card, 'Start review');
    const approved = await click(rita, card, 'Approve', { 'Approved amount': '1,250.00' });
    const next = findAction(approved.card ?? {}, 'Next claim').action;
    assert.equal(next.style, 'positive');
    const shown = await click(rita, approved, 'Next claim');
    assert.match(cardText(shown.card), new RegExp(`^${other}`, 'm'));
    // Olga reviews too, but owns both Submitted claims: her next claim is Oscar's.
    const hers = await w.teams.invoke(olga, olga.personal, 'nextClaim', { claim: '' });
    assert.match(cardText(hers.card), new RegExp(`^${disputed}`, 'm'));
  });

  it('Next claim when none is left for the reviewer; refused to non-reviewers', async () => {
    const none = await w.teams.invoke(olga, olga.personal, 'nextClaim', { claim: disputed });
    assert.match(cardText(none.card), /No other claim is waiting for your review\./);
    const refused = await w.teams.invoke(oscar, oscar.personal, 'nextClaim', { claim: '' });
    assert.match(refused.text, /not allowed/);
  });
});
