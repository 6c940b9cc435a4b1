import assert from 'node:assert/strict';
import { texts } from '../../src/i18n/i18n';
import type { Recorded } from '../../testkit/connector';
import { TeamsUser, Tenant, TurnResult, buttonTitles, cardText, factValue } from '../support/teams';
import { recordedCard } from './fileKit';
import { World, addFund, createClaim, day, grant, startWorld } from './world';

const NL = { locale: 'nl-NL' };
const WITHDRAW = 'Withdraw request';

/** Issue 32: a fund's period (plus its grace) bounds what it pays for; an approval can be withdrawn. */
describe('bot: fund periods and withdrawn fund requests (issue 32)', function () {
  this.timeout(60_000);
  let w: World;
  let tenant: Tenant;
  let ada: TeamsUser;
  let ann: TeamsUser;
  let pat: TeamsUser;
  let ian: TeamsUser;

  /** FY27 Short: from 30 days ago to 60 days ahead, the default grace. */
  const PERIOD = { Name: 'FY27 Short', 'Period start': day(-30), 'Period end': day(60) };
  const REQUEST = {
    activity: 'Summit far away',
    activityType: 'event',
    plannedStart: '2032-03-01',
    plannedEnd: '2032-03-02',
    plannedAmount: '2,000.00',
  };
  let fundId = '';

  const request = (user: TeamsUser, fields: Record<string, string>, opts = {}) =>
    w.teams.invoke(
      user,
      user.personal,
      'createFundRequest',
      { formId: `form-${Math.random()}`.replace('.', ''), ...REQUEST, fundId, ...fields },
      undefined,
      opts,
    );
  const numberOf = (r: TurnResult): string => {
    // The turn's text holds notifications delivered meanwhile too: the answer names the request.
    const n = /Fund request (REQ-\d{4}) was sent/.exec(r.text)?.[1];
    assert.ok(n, r.text);
    return n;
  };
  const reserved = async (): Promise<number> => {
    const ledger = await w.app.services.claims.fundLedger(tenant.id);
    return ledger[`${fundId} USD`]?.reserved ?? 0;
  };
  /** An approved request of Ann's for `amount`, inside the period. */
  const approved = async (activity: string): Promise<string> => {
    const number = numberOf(
      await request(ann, { activity, plannedStart: day(5), plannedEnd: day(6) }),
    );
    const r = await w.teams.invoke(pat, pat.personal, 'approveRequest', { request: number });
    assert.match(r.text, /Approved: /);
    return number;
  };

  before(async () => {
    w = await startWorld();
    tenant = w.teams.tenant('contoso');
    ada = w.teams.user(tenant, 'Ada Admin', { aadObjectId: w.bootstrapAdmins[0] });
    ann = w.teams.user(tenant, 'Ann Requester');
    pat = w.teams.user(tenant, 'Pat Approver');
    ian = w.teams.user(tenant, 'Ian Second');
    const group = w.teams.groupChat(tenant, [ada, ann, pat, ian]);
    await grant(w, ada, group, ann, 'incentives user');
    await grant(w, ada, group, pat, 'incentives admin');
    await grant(w, ada, group, ian, 'incentives admin');
    const added = await addFund(w, ada, PERIOD);
    assert.match(added.text, /FY27 Short/);
    const funds = await w.app.services.funds.list(tenant.id);
    fundId = funds.find((f) => f.name === 'FY27 Short')?.id ?? '';
    assert.equal(funds.find((f) => f.id === fundId)?.graceDays, 45, 'the default grace');
  });
  after(async () => {
    await w?.stop();
  });

  it('a fund request planned after the period plus its grace is refused with the period named', async () => {
    const en = texts('en-US');
    const r = await request(ann, {});
    assert.ok(
      r.text.includes(
        `Planned end: the activity must fall within the fund's period, ${en.date(day(-30))} – ` +
          `${en.date(day(60))}, plus 45 days' grace.`,
      ),
      r.text,
    );
    assert.doesNotMatch(r.text, /REQ-\d{4}/);
    const nl = texts('nl-NL');
    const dutch = await request(ann, {}, NL);
    assert.ok(
      dutch.text.includes(
        `Gepland einde: de activiteit moet binnen de looptijd van het fonds vallen, ` +
          `${nl.date(day(-30))} – ${nl.date(day(60))}, plus 45 dagen uitloop.`,
      ),
      dutch.text,
    );
    assert.equal((await w.app.services.fundRequests.list(tenant.id, { size: 50 })).length, 0);
    // Within the grace (the period ends in 60 days, the grace runs 45 more) it is taken.
    numberOf(await request(ann, { plannedStart: day(90), plannedEnd: day(100) }));
  });

  it('a claim whose activity falls outside the period is refused, on Create claim and on Edit information', async () => {
    const early = await w.teams.invoke(ann, ann.personal, 'createClaim', {
      formId: 'early-claim-form',
      title: 'Before the fund',
      fundId,
      activityType: 'webinar',
      activityStart: day(-40),
      activityEnd: day(-35),
      amount: '100.00',
    });
    assert.match(early.text, /Activity end: the activity must fall within the fund's period/);
    const { number } = await createClaim(w, ann);
    const claim = await w.app.services.claims.get(tenant.id, number);
    const edited = await w.teams.invoke(
      ann,
      ann.personal,
      'editInformation',
      {
        claim: number,
        title: 'Moved to 2032',
        activityType: 'webinar',
        activityStart: '2032-01-01',
        activityEnd: '2032-01-02',
        amount: '1250',
        description: '',
        additionalInfo: '',
      },
      undefined,
      NL,
    );
    assert.match(edited.text, /Einddatum activiteit: de activiteit moet binnen de looptijd/);
    assert.deepEqual(await w.app.services.claims.get(tenant.id, number), claim, 'unchanged');
  });

  it('the grace is the admin’s to set on Add fund, from 0 to 365 days', async () => {
    const bad = await addFund(w, ada, {
      Name: 'No grace',
      ...{ 'Grace after the period (days)': '400' },
    });
    assert.match(
      bad.text,
      /Grace after the period \(days\) must be a whole number of days from 0 to 365\./,
    );
    await addFund(w, ada, { Name: 'No grace', ...{ 'Grace after the period (days)': '0' } });
    const fund = (await w.app.services.funds.list(tenant.id)).find((f) => f.name === 'No grace');
    assert.equal(fund?.graceDays, 0);
  });

  it('an incentives admin withdraws an approved request with a reason: released once, the requester told', async () => {
    const number = await approved('Cancelled roadshow');
    const before = await reserved();
    assert.ok(before >= 200_000);
    const card = await w.teams.send(pat, pat.personal, `fund request ${number}`);
    assert.ok(buttonTitles(card.card ?? {}).includes(WITHDRAW));
    const annCard = await w.teams.send(ann, ann.personal, `fund request ${number}`);
    assert.equal(buttonTitles(annCard.card ?? {}).includes(WITHDRAW), false, 'not the requester’s');
    const missing = await w.teams.click(pat, pat.personal, card, WITHDRAW, { Reason: '' });
    assert.match(missing.text, /Reason is required\./);
    const since = w.connector.seq;
    // Two admins press it at once.
    const answers = await Promise.all(
      [pat, ian].map((u) =>
        w.teams.invoke(u, u.personal, 'withdrawRequest', {
          request: number,
          reason: 'The roadshow was cancelled',
        }),
      ),
    );
    const done = answers.filter((a) =>
      /Withdrawn: \$2,000\.00 went back to the fund\./.test(a.text),
    );
    assert.equal(done.length, 1, answers.map((a) => a.text).join('\n'));
    const other = answers.find((a) => !done.includes(a));
    assert.match(other?.text ?? '', /Withdrawn/);
    assert.equal(await reserved(), before - 200_000, 'released exactly once');
    const stored = await w.app.services.fundRequests.get(tenant.id, number);
    assert.equal(stored?.status, 'withdrawn');
    assert.equal(stored?.history.filter((e) => e.kind === 'withdrawn').length, 1);
    assert.equal(factValue(done[0].card, 'Reason'), 'The roadshow was cancelled');
    assert.equal(buttonTitles(done[0].card ?? {}).includes(WITHDRAW), false);
    const heard = await w.connector.waitFor(
      (x: Recorded) =>
        x.seq > since &&
        x.conversationId === ann.personal.id &&
        cardText(recordedCard(x)).includes('withdrew the approval of your fund request'),
    );
    assert.ok(heard, 'Ann was told');
    assert.match(cardText(recordedCard(heard)), /The roadshow was cancelled/);
    const create = await w.teams.invoke(ann, ann.personal, 'claimFromRequest', { request: number });
    assert.doesNotMatch(create.text, /CLM-\d{4}/);
  });

  it('only an admin withdraws, only an approved request, and in Dutch', async () => {
    const number = await approved('Dutch roadshow');
    const byAnn = await w.teams.invoke(ann, ann.personal, 'withdrawRequest', {
      request: number,
      reason: 'mine',
    });
    assert.match(byAnn.text, /You are not allowed to do that\./);
    const card = await w.teams.send(pat, pat.personal, `fund request ${number}`, NL);
    assert.ok(buttonTitles(card.card ?? {}).includes('Aanvraag intrekken'));
    const r = await w.teams.invoke(
      pat,
      pat.personal,
      'withdrawRequest',
      { request: number, reason: 'Geen budget meer' },
      undefined,
      NL,
    );
    assert.match(r.text, /Ingetrokken: .*2\.000,00 gaat terug naar het fonds\./);
    assert.equal(factValue(r.card, 'Status'), 'Ingetrokken');
    const requested = numberOf(
      await request(ann, { activity: 'Not yet decided', plannedStart: day(5), plannedEnd: day(6) }),
    );
    const early = await w.teams.invoke(pat, pat.personal, 'withdrawRequest', {
      request: requested,
      reason: 'too early',
    });
    assert.match(early.text, /Requested/, early.text);
    assert.equal(
      (await w.app.services.fundRequests.get(tenant.id, requested))?.status,
      'requested',
    );
  });
});
