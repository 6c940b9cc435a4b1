import assert from 'node:assert/strict';
import { texts } from '../../src/i18n/i18n';
import { TeamsUser, Tenant, buttonTitles, cardText } from '../support/teams';
import { notificationCards } from '../notify/helpers';
import { World, addFund, day, grant, seedReady, startWorld } from './world';

const DAY = 86_400_000;
const NL = { locale: 'nl-NL' };
const en = texts('en-US');
const nl = texts('nl-NL');

/** Issue 32: a draft's submit deadline on its card, reminders before it, and extensions. */
describe('bot: submit deadlines and extensions (issue 32, fake clock)', function () {
  this.timeout(60_000);
  let w: World;
  let tenant: Tenant;
  let ada: TeamsUser;
  let olga: TeamsUser;
  let pat: TeamsUser;
  // Taken when the suite starts, not when mocha loads the file (minutes earlier in a parallel run).
  let start: Date;
  /** The app's clock. */
  let now: Date;

  const open = (u: TeamsUser, number: string, opts = {}) =>
    w.teams.send(u, u.personal, `claim ${number}`, opts);
  /** A draft of Olga's on a fund by name (the main one unless named), from Create claim. */
  const newClaim = async (fields: Record<string, string> = {}, fund = 'FY27 Co-op') => {
    const funds = await w.app.services.funds.list(tenant.id);
    const r = await w.teams.invoke(olga, olga.personal, 'createClaim', {
      formId: `claim-form-${Math.random()}`.replace('.', ''),
      title: 'Spring partner webinar',
      fundId: funds.find((f) => f.name === fund)?.id,
      activityType: 'webinar',
      activityStart: day(-20),
      activityEnd: day(-10),
      amount: '1,250.00',
      ...fields,
    });
    const number = /CLM-\d{4}/.exec(cardText(r.card))?.[0];
    assert.ok(number, r.text);
    return { number, card: r };
  };
  const stored = async (number: string) => {
    const c = await w.app.services.claims.get(tenant.id, number);
    assert.ok(c);
    return c;
  };

  before(async () => {
    start = new Date();
    now = start;
    w = await startWorld({ app: { clock: () => now } });
    tenant = w.teams.tenant('contoso');
    ada = w.teams.user(tenant, 'Ada Admin', { aadObjectId: w.bootstrapAdmins[0] });
    olga = w.teams.user(tenant, 'Olga Owner');
    pat = w.teams.user(tenant, 'Pat Incentives');
    const group = w.teams.groupChat(tenant, [ada, olga, pat]);
    await grant(w, ada, group, olga, 'incentives user');
    await grant(w, ada, group, pat, 'incentives admin');
    await addFund(w, ada);
    // Ends 15 days ago with 20 days' grace: its claims are due in 5 days, before their own 45.
    await addFund(w, ada, {
      Name: 'Ending fund',
      'Period start': day(-60),
      'Period end': day(-15),
      ...{ 'Grace after the period (days)': '20' },
    });
    await w.teams.send(pat, pat.personal, 'help');
  });
  after(async () => {
    await w?.stop();
  });

  it('the draft’s card says when to submit by: 45 days after the activity, or the fund’s end plus grace if sooner', async () => {
    const { number } = await newClaim();
    const card = await open(olga, number);
    assert.match(cardText(card.card), new RegExp(`Submit by ${en.date(day(35))}`));
    const dutch = await open(olga, number, NL);
    assert.match(cardText(dutch.card), new RegExp(`Indienen vóór of op ${nl.date(day(35))}`));

    const made = (await newClaim({ title: 'Late in the fund' }, 'Ending fund')).card;
    assert.match(cardText(made.card), new RegExp(`Submit by ${en.date(day(5))}`));
  });

  it('past the deadline Submit is refused until an extension is granted; the admins are asked and the owner told', async () => {
    const { number } = await newClaim({
      title: 'Forgotten webinar',
      activityStart: day(-60),
      activityEnd: day(-50),
    });
    await seedReady(w, olga, number);
    const card = await open(olga, number);
    assert.match(
      cardText(card.card),
      new RegExp(`The deadline to submit passed on ${en.date(day(-5))}: request an extension\\.`),
    );
    const refused = await w.teams.invoke(olga, olga.personal, 'submit', { claim: number });
    assert.match(
      refused.text,
      new RegExp(
        `Submission by the deadline, ${en.date(day(-5))}: it has passed, so request an extension`,
      ),
    );
    assert.equal((await stored(number)).status, 'editing');
    const dutch = await w.teams.invoke(
      olga,
      olga.personal,
      'submit',
      { claim: number },
      undefined,
      NL,
    );
    assert.match(dutch.text, /die is voorbij, dus vraag uitstel aan/);

    const missing = await w.teams.click(olga, olga.personal, card, 'Request extension', {
      Reason: '',
    });
    assert.match(missing.text, /Reason is required\./);
    const asked = await w.teams.click(olga, olga.personal, card, 'Request extension', {
      Reason: 'The agency sent its invoice late',
    });
    assert.match(asked.text, /Your request for an extension was sent to the incentives admins\./);
    assert.match(cardText(asked.card), /Olga Owner asked for a later deadline on/);
    assert.match(cardText(asked.card), /The agency sent its invoice late/);
    assert.equal(buttonTitles(asked.card ?? {}).includes('Request extension'), false, 'asked once');
    assert.equal(buttonTitles(asked.card ?? {}).includes('Grant extension'), false, 'not her own');
    await w.app.notifications.idle();
    const told = notificationCards(w.connector, pat.personal.id, 'Extension requested');
    assert.equal(told.filter((c) => c.claim === number).length, 1, 'Pat was asked');

    const forged = await w.teams.invoke(olga, olga.personal, 'grantExtension', {
      claim: number,
      extendTo: day(30),
    });
    assert.match(forged.text, /You are not allowed to do that\./);
    const patCard = await open(pat, number);
    const past = await w.teams.click(pat, pat.personal, patCard, 'Grant extension', {
      'New deadline': day(-1),
    });
    assert.match(past.text, /New deadline cannot be in the past\./);
    const granted = await w.teams.click(pat, pat.personal, patCard, 'Grant extension', {
      'New deadline': day(20),
    });
    assert.match(
      granted.text,
      new RegExp(`Extension granted: the new deadline is ${en.date(day(20))}`),
    );
    const claim = await stored(number);
    assert.equal(claim.extendedTo, day(20));
    assert.equal(claim.extensionRequest, undefined);
    assert.deepEqual(
      claim.history.slice(-2).map((e) => e.kind),
      ['extensionRequested', 'extensionGranted'],
    );
    await w.app.notifications.idle();
    const heard = notificationCards(w.connector, olga.personal.id, 'Extension granted');
    assert.equal(heard.filter((c) => c.claim === number).length, 1, 'Olga was told');
    const submitted = await w.teams.invoke(olga, olga.personal, 'submit', { claim: number });
    assert.equal((await stored(number)).status, 'submitted', submitted.text);
  });

  it('an extension can be declined, in Dutch too', async () => {
    const { number } = await newClaim({
      title: 'Declined webinar',
      activityStart: day(-60),
      activityEnd: day(-50),
    });
    await w.teams.invoke(
      olga,
      olga.personal,
      'requestExtension',
      { claim: number, extensionReason: 'Vakantie' },
      undefined,
      NL,
    );
    const patCard = await open(pat, number, NL);
    assert.ok(buttonTitles(patCard.card ?? {}).includes('Uitstel afwijzen'));
    const declined = await w.teams.invoke(
      pat,
      pat.personal,
      'declineExtension',
      { claim: number, extensionNote: 'Te laat' },
      undefined,
      NL,
    );
    assert.match(declined.text, /Uitstel afgewezen: de uiterste datum blijft zoals hij was\./);
    const claim = await stored(number);
    assert.equal(claim.extensionRequest, undefined);
    assert.equal(claim.extendedTo, undefined);
    assert.equal(claim.history.at(-1)?.kind, 'extensionDeclined');
    await w.app.notifications.idle();
    assert.equal(
      notificationCards(w.connector, olga.personal.id, 'Uitstel afgewezen').length +
        notificationCards(w.connector, olga.personal.id, 'Extension declined').length,
      1,
    );
  });

  it('the owner is reminded 14, 7 and 1 days before the deadline, once each', async () => {
    const { number } = await newClaim({ title: 'Reminded webinar' });
    const reminders = () =>
      notificationCards(w.connector, olga.personal.id, 'Submit deadline').filter(
        (c) => c.claim === number,
      );
    const remindAt = async (offsetDays: number): Promise<void> => {
      now = new Date(start.getTime() + offsetDays * DAY);
      await w.app.notifications.reminders.remind();
      await w.app.notifications.idle();
    };
    try {
      // The deadline is in 35 days.
      await remindAt(20);
      assert.equal(reminders().length, 0, 'not 15 days before');
      await remindAt(21);
      assert.equal(reminders().length, 1, '14 days before');
      assert.match(reminders()[0].text, new RegExp(en.date(day(35))));
      await remindAt(21);
      await remindAt(25);
      assert.equal(reminders().length, 1, 'once');
      await remindAt(28);
      await remindAt(28);
      assert.equal(reminders().length, 2, '7 days before, once');
      await remindAt(34);
      await remindAt(35);
      assert.equal(reminders().length, 3, '1 day before, once');
      await remindAt(40);
      assert.equal(reminders().length, 3, 'none after the deadline');
      const kinds = (await stored(number)).outbox.filter((n) => n.kind === 'submitDeadlineNear');
      assert.equal(kinds.length, 3);
    } finally {
      now = start;
    }
  });

  it('30 days before a fund’s period ends the incentives admins hear what is unspent, once per fund', async () => {
    await addFund(w, ada, {
      Name: 'Ending soon',
      'Allocated amount': '10,000.00',
      'Period start': day(-100),
      'Period end': day(20),
    });
    // Pat's chat speaks Dutch since the decline above, Ivy's English.
    const ivy = w.teams.user(tenant, 'Ivy Incentives');
    await grant(w, ada, w.teams.groupChat(tenant, [ada, ivy]), ivy, 'incentives admin');
    await w.teams.send(ivy, ivy.personal, 'help');
    const heard = (u: TeamsUser, text: string) =>
      w.connector.delivered(u.personal.id).filter((r) => JSON.stringify(r).includes(text)).length;
    now = start;
    for (let i = 0; i < 2; i++) {
      await w.app.notifications.reminders.remind();
      await w.app.notifications.idle();
    }
    assert.equal(heard(ivy, `Ending soon ends on ${en.date(day(20))}`), 1, 'Ivy, once');
    assert.equal(heard(ivy, '$10,000.00 of its $10,000.00 is still unspent'), 1);
    const all = nl.money({ minor: 1_000_000, currency: 'USD' });
    assert.equal(heard(pat, `Ending soon loopt af op ${nl.date(day(20))}`), 1, 'Pat, in Dutch');
    assert.equal(heard(pat, `${all} van de ${all} is nog niet besteed`), 1);
    assert.equal(heard(olga, 'Ending soon'), 0, 'not the incentives user');
  });
});
