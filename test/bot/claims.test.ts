import assert from 'node:assert/strict';
import {
  Chat,
  TeamsUser,
  Tenant,
  TurnResult,
  allInputs,
  buttonTitles,
  cardText,
  factAmount,
  factValue,
  findInput,
  press,
} from '../support/teams';
import { CLAIM, World, addFund, createClaim, day, essence, grant, startWorld } from './world';

describe('bot: creating and working on a claim', () => {
  let w: World;
  let tenant: Tenant;
  let admin: TeamsUser;
  let alice: TeamsUser;
  let group: Chat;
  let foreignFundId: string;
  let form: TurnResult;

  const count = async () =>
    (await w.app.services.claims.list(tenant.id, { kind: 'tenant' }, { size: 100 })).items.length;
  const stored = (n: string) => w.app.services.claims.get(tenant.id, n);
  const open = (n: string) => w.teams.send(alice, alice.personal, `claim ${n}`);

  before(async () => {
    w = await startWorld({ bootstrapAdmins: 2 });
    tenant = w.teams.tenant('contoso');
    admin = w.teams.user(tenant, 'Ada Admin', { aadObjectId: w.bootstrapAdmins[0] });
    alice = w.teams.user(tenant, 'Alice Baker');
    group = w.teams.groupChat(tenant, [admin, alice]);
    await grant(w, admin, group, alice, 'incentives user');
    await addFund(w, admin);
    const fabrikam = w.teams.tenant('fabrikam');
    const admin2 = w.teams.user(fabrikam, 'Fay Admin', { aadObjectId: w.bootstrapAdmins[1] });
    await addFund(w, admin2, { Name: 'Fabrikam fund' });
    [{ id: foreignFundId }] = await w.app.services.funds.list(fabrikam.id);
  });
  after(() => w?.stop());

  it('shows the New claim form with every input and the fund to pick', async () => {
    form = await w.teams.send(alice, alice.personal, 'new claim');
    const card = form.card ?? {};
    for (const label of [
      'Title',
      'Fund',
      'Activity type',
      'Activity start',
      'Activity end',
      'Amount',
      'Description',
    ]) {
      assert.ok(findInput(card, label), `input "${label}"`);
    }
    const fund = findInput(card, 'Fund');
    assert.deepEqual(
      fund?.choices.map((c: { title: string }) => c.title),
      ['FY27 Co-op — $100,000.00 left'],
    );
    assert.equal(press(card, 'Create claim').verb, 'createClaim');
  });

  it('opens the New claim form without template text in its inputs', async () => {
    const inputs = allInputs(form.card ?? {}).filter((i) => String(i.value ?? '').includes('${'));
    assert.deepEqual(
      inputs.map((i) => `${i.label}: ${i.value}`),
      [],
    );
  });

  it('creates a claim: CLM-0001, its title, status Editing, stored with its owner', async () => {
    const r = await w.teams.click(alice, alice.personal, form, 'Create claim', CLAIM);
    assert.equal(r.invokeStatus, 200);
    assert.match(cardText(r.card), /^CLM-0001$/m);
    assert.match(cardText(r.card), new RegExp(`^${CLAIM.Title}$`, 'm'));
    assert.equal(factValue(r.card, 'Status'), 'Editing');
    assert.equal(factValue(r.card, 'Claimed cost'), '$1,250.00');
    assert.equal(factValue(r.card, 'Owner'), 'Alice Baker');
    const claim = await stored('CLM-0001');
    assert.equal(claim?.title, CLAIM.Title);
    assert.deepEqual(claim?.amount, { minor: 125_000, currency: 'USD' });
    assert.equal(claim?.owner.id, alice.aadObjectId);
    assert.equal(claim?.status, 'editing');
  });

  it('creates one claim for a double click (same form, two activities)', async () => {
    const before = await count();
    const fresh = await w.teams.send(alice, alice.personal, 'new claim');
    const { verb, data } = press(fresh.card ?? {}, 'Create claim', { ...CLAIM, Title: 'Twice' });
    const first = await w.teams.invoke(alice, alice.personal, verb, data, fresh.cardActivityId);
    const second = await w.teams.invoke(alice, alice.personal, verb, data, fresh.cardActivityId);
    assert.match(cardText(first.card), /^CLM-0002$/m);
    assert.match(cardText(second.card), /^CLM-0002$/m);
    const racing = await w.teams.send(alice, alice.personal, 'new claim');
    const again = press(racing.card ?? {}, 'Create claim', { ...CLAIM, Title: 'Racing' });
    await Promise.all(
      [1, 2, 3].map(() =>
        w.teams.invoke(alice, alice.personal, verb, again.data, racing.cardActivityId),
      ),
    );
    assert.equal(await count(), before + 2);
  });

  const bad: {
    name: string;
    inputs?: Record<string, string>;
    data?: () => Record<string, string>;
    message: RegExp;
  }[] = [
    { name: 'no title', inputs: { Title: '' }, message: /Title is required\./ },
    { name: 'a blank title', inputs: { Title: ' \u200b ' }, message: /Title is required\./ },
    {
      name: 'an end before the start',
      inputs: { 'Activity start': day(-5), 'Activity end': day(-6) },
      message: /Activity end cannot be before the start\./,
    },
    { name: 'amount -5', inputs: { Amount: '-5' }, message: /Amount cannot be negative\./ },
    { name: 'amount 1e309', inputs: { Amount: '1e309' }, message: /Amount must be a number/ },
    { name: 'amount 0x10', inputs: { Amount: '0x10' }, message: /Amount must be a number/ },
    { name: 'amount 0', inputs: { Amount: '0' }, message: /Amount must be greater than zero/ },
    { name: 'amount 1.001', inputs: { Amount: '1.001' }, message: /at most 2 decimals/ },
    {
      name: 'a date that does not exist',
      inputs: { 'Activity start': '2026-02-30' },
      message: /Activity start must be a date/,
    },
    {
      name: 'a huge title',
      inputs: { Title: 'x'.repeat(50_000) },
      message: /Title is too long \(at most 120 characters\)/,
    },
    {
      name: 'a huge description',
      inputs: { Description: 'y'.repeat(200_000) },
      message: /Description is too long/,
    },
    {
      name: 'an unknown fund id',
      data: () => ({ fundId: 'no-such-fund' }),
      message: /Fund is not valid\./,
    },
    {
      name: 'the fund of another tenant',
      data: () => ({ fundId: foreignFundId }),
      message: /Fund is not valid\./,
    },
    {
      name: 'an unknown activity type',
      data: () => ({ activityType: 'party' }),
      message: /Activity type is not valid\./,
    },
  ];
  for (const c of bad) {
    it(`returns the form with the problem and stores nothing for ${c.name}`, async () => {
      const before = await count();
      const { verb, data } = press(form.card ?? {}, 'Create claim', { ...CLAIM, ...c.inputs });
      const r = await w.teams.invoke(alice, alice.personal, verb, { ...data, ...c.data?.() });
      assert.equal(r.status, 200);
      assert.equal(r.invokeStatus, 200);
      assert.match(r.text, /Please check what you entered/);
      assert.match(r.text, c.message);
      assert.ok(buttonTitles(r.card ?? {}).includes('Create claim'), 'the form comes back');
      assert.equal(press(r.card ?? {}, 'Create claim').data.formId, data.formId, 'same form');
      if (c.name !== 'a huge title' && c.name !== 'no title' && c.name !== 'a blank title') {
        assert.equal(
          findInput(r.card ?? {}, 'Title')?.value,
          CLAIM.Title,
          'what was typed is kept',
        );
      }
      assert.equal(await count(), before);
    });
  }

  it('lists the claim and the fund totals in claims, with an Open button', async () => {
    const r = await w.teams.send(alice, alice.personal, 'claims');
    const text = cardText(r.card);
    assert.match(text, /^CLM-0001 $/m);
    assert.match(text, new RegExp(`^${CLAIM.Title}$`, 'm'));
    assert.match(text, /^Editing · \$1,250\.00$/m);
    assert.match(text, /^FY27 Co-op$/m);
    assert.equal(factValue(r.card, 'Allocated'), '$100,000.00');
    assert.equal(factAmount(r.card, 'Remaining'), '$100,000.00');
    const opened = await w.teams.click(alice, alice.personal, r, 'Open', {}, 'CLM-0001');
    assert.match(cardText(opened.card), /^CLM-0001$/m);
    assert.equal(factValue(opened.card, 'Status'), 'Editing');
  });

  it('shows one claim with claim CLM-x, whatever the case and zeros', async () => {
    for (const n of ['CLM-0001', 'clm-1', 'Clm-00001']) {
      const r = await open(n);
      assert.match(cardText(r.card), /^CLM-0001$/m, n);
      for (const b of ['Add metric', 'Edit information', 'Comment', 'History', 'Submit claim']) {
        assert.ok(buttonTitles(r.card ?? {}).includes(b), `${n}: button ${b}`);
      }
    }
    const detail = await open('CLM-0001');
    const templated = allInputs(detail.card ?? {}).filter((i) => String(i.value).includes('${'));
    assert.deepEqual(
      templated.map((i) => i.label),
      [],
      'inputs showing template text',
    );
    const missing = await open('CLM-0999');
    assert.match(missing.text, /Claim CLM-0999 was not found/);
  });

  it('adds a metric', async () => {
    const detail = await open('CLM-0001');
    const r = await w.teams.click(alice, alice.personal, detail, 'Add metric', {
      Metric: 'Attendees',
      Value: '1,250',
    });
    assert.equal(r.invokeStatus, 200);
    assert.equal(factValue(r.card, 'Attendees'), '1,250');
    const claim = await stored('CLM-0001');
    assert.deepEqual(
      claim?.metrics.map((m) => [m.name, m.value]),
      [['Attendees', 1250]],
    );
  });

  it('keeps every metric when users add several at the same moment', async () => {
    const before = (await stored('CLM-0002'))?.metrics.length ?? 0;
    await Promise.all(
      [1, 2, 3, 4].map((i) =>
        w.teams.invoke(alice, alice.personal, 'addMetric', {
          claim: 'CLM-0002',
          metricName: `Parallel ${i}`,
          metricValue: String(i),
        }),
      ),
    );
    const claim = await stored('CLM-0002');
    assert.equal(claim?.metrics.length, before + 4);
    const seqs = claim?.history.map((e) => e.seq) ?? [];
    assert.equal(new Set(seqs).size, seqs.length, 'history sequence numbers stay unique');
  });

  it('refuses a metric without a number and keeps the claim as it was', async () => {
    const detail = await open('CLM-0001');
    const r = await w.teams.click(alice, alice.personal, detail, 'Add metric', {
      Metric: 'Leads',
      Value: 'lots',
    });
    assert.equal(r.invokeStatus, 200);
    assert.match(r.text, /Value must be a number/);
    assert.deepEqual(
      (await stored('CLM-0001'))?.metrics.map((m) => m.name),
      ['Attendees'],
    );
  });

  it('edits the information', async () => {
    const detail = await open('CLM-0001');
    const r = await w.teams.click(alice, alice.personal, detail, 'Edit information', {
      Title: 'Spring partner webinar (EMEA)',
      Amount: '1,300.00',
    });
    assert.match(r.text, /^Saved\.$/m);
    assert.match(cardText(r.card), /^Spring partner webinar \(EMEA\)$/m);
    assert.equal(factValue(r.card, 'Claimed cost'), '$1,300.00');
    const claim = await stored('CLM-0001');
    assert.equal(claim?.title, 'Spring partner webinar (EMEA)');
    assert.equal(claim?.amount.minor, 130_000);
    assert.equal(claim?.description, CLAIM.Description, 'untouched fields stay');
  });

  it('refuses bad information with the reason and changes nothing', async () => {
    const detail = await open('CLM-0001');
    const r = await w.teams.click(alice, alice.personal, detail, 'Edit information', {
      Title: 'Changed?',
      Amount: '-1',
    });
    assert.match(r.text, /Amount cannot be negative/);
    const claim = await stored('CLM-0001');
    assert.equal(claim?.title, 'Spring partner webinar (EMEA)');
  });

  it('posts a comment', async () => {
    const detail = await open('CLM-0001');
    const r = await w.teams.click(alice, alice.personal, detail, 'Comment', {
      Comment: 'Invoice follows next week',
    });
    assert.equal(r.invokeStatus, 200);
    assert.match(r.text, /Invoice follows next week/);
    const claim = await stored('CLM-0001');
    assert.equal(claim?.history.at(-1)?.kind, 'commented');
    assert.equal(claim?.history.at(-1)?.note, 'Invoice follows next week');
  });

  it('shows the history newest first', async () => {
    const r = await w.teams.send(alice, alice.personal, 'history CLM-0001');
    const text = cardText(r.card);
    assert.match(text, /History of CLM-0001/);
    const order = [
      'commented',
      'edited the information',
      'added a metric',
      'created the claim',
    ].map((what) => text.search(new RegExp(`^${what}$`, 'm')));
    assert.ok(
      order.every((i) => i >= 0),
      `every event is shown: ${order}`,
    );
    assert.deepEqual(
      [...order].sort((a, b) => a - b),
      order,
      'newest first',
    );
    assert.equal(buttonTitles(r.card ?? {}).includes('Older'), false);
  });

  it('pages the history with an Older button after 10 events', async () => {
    for (let i = 1; i <= 8; i++) {
      await w.teams.invoke(alice, alice.personal, 'comment', {
        claim: 'CLM-0001',
        comment: `Note ${i}`,
      });
    }
    assert.equal((await stored('CLM-0001'))?.history.length, 12);
    const first = await w.teams.send(alice, alice.personal, 'history CLM-0001');
    const page1 = cardText(first.card);
    assert.equal(
      page1.match(/^(commented|edited the information|added a metric|created the claim)$/gm)
        ?.length,
      10,
    );
    assert.ok(page1.indexOf('Note 8') < page1.indexOf('Note 1'), 'newest first');
    assert.doesNotMatch(page1, /^created the claim$/m);
    const older = await w.teams.click(alice, alice.personal, first, 'Older');
    const page2 = cardText(older.card);
    assert.equal(
      page2.match(/^(commented|edited the information|added a metric|created the claim)$/gm)
        ?.length,
      2,
    );
    assert.match(page2, /^added a metric$/m);
    assert.match(page2, /^created the claim$/m);
    assert.equal(buttonTitles(older.card ?? {}).includes('Older'), false);
    const back = await w.teams.click(alice, alice.personal, older, 'Back to claim');
    assert.match(cardText(back.card), /^CLM-0001$/m);
  });

  it('lists every unmet core requirement on Submit claim and changes nothing', async () => {
    const { number } = await createClaim(w, alice, {
      Title: 'Future event',
      'Activity start': day(-1),
      'Activity end': day(5),
      Amount: '150,000.00',
    });
    const before = await stored(number);
    const r = await w.teams.click(alice, alice.personal, await open(number), 'Submit claim');
    assert.equal(r.invokeStatus, 200);
    assert.match(r.text, /Before you can submit, this is missing:/);
    const items = cardText(r.card)
      .split('\n')
      .filter((l) => l.startsWith('• '));
    assert.deepEqual(items, [
      '• At least one invoice or CSR',
      '• At least one proof of execution (PoE)',
      '• At least one metric (for example attendees, leads or clicks)',
      '• An amount no higher than what the fund has left ($100,000.00)',
      `• The activity must have ended (it ends ${new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(day(5)))})`,
    ]);
    assert.equal(factValue(r.card, 'Status'), 'Editing');
    assert.deepEqual(essence(await stored(number)), essence(before));
  });

  it('names the missed submission deadline', async () => {
    const { number } = await createClaim(w, alice, {
      'Activity start': day(-70),
      'Activity end': day(-60),
    });
    const r = await w.teams.invoke(alice, alice.personal, 'submit', { claim: number });
    assert.match(r.text, /Submission by the deadline, .*: it has passed, so request an extension/);
    assert.equal((await stored(number))?.status, 'editing');
  });

  it('adds a metric once when Teams retries the same invoke activity', async () => {
    const activity = w.teams.invokeActivity(alice, alice.personal, 'addMetric', {
      claim: 'CLM-0001',
      metricName: 'Leads',
      metricValue: '40',
    });
    const first = await w.teams.post(activity);
    const retry = await w.teams.post(activity);
    for (const r of [first, retry]) {
      assert.equal(r.invokeStatus, 200);
      assert.equal(factValue(r.card, 'Leads'), '40');
    }
    const claim = await stored('CLM-0001');
    assert.equal(claim?.metrics.filter((m) => m.name === 'Leads').length, 1);
    assert.equal(claim?.history.filter((e) => e.kind === 'metricAdded').length, 2);
  });
});
