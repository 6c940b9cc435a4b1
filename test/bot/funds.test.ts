import assert from 'node:assert/strict';
import {
  Chat,
  TeamsUser,
  Tenant,
  allInputs,
  factAmount,
  factValue,
  findInput,
  press,
} from '../support/teams';
import { FUND, World, addFund, day, grant, startWorld } from './world';

describe('bot: funds', () => {
  let w: World;
  let tenant: Tenant;
  let admin: TeamsUser;
  let alice: TeamsUser;
  let group: Chat;

  const storedFunds = () => w.app.services.funds.list(tenant.id);

  before(async () => {
    w = await startWorld();
    tenant = w.teams.tenant('contoso');
    admin = w.teams.user(tenant, 'Ada Admin', { aadObjectId: w.bootstrapAdmins[0] });
    alice = w.teams.user(tenant, 'Alice Baker');
    group = w.teams.groupChat(tenant, [admin, alice]);
    await grant(w, admin, group, alice, 'incentives user');
  });
  after(() => w?.stop());

  it('shows an admin the funds card with the Add fund form', async () => {
    const r = await w.teams.send(admin, admin.personal, 'funds');
    assert.match(r.text, /No funds yet/);
    for (const label of ['Name', 'Allocated amount', 'Currency', 'Period start', 'Period end']) {
      assert.ok(findInput(r.card ?? {}, label), `input "${label}"`);
    }
    assert.equal(press(r.card ?? {}, 'Add fund').verb, 'addFund');
  });

  it('opens the Add fund form empty but for the defaults, currency and grace (no template text in inputs)', async () => {
    const r = await w.teams.send(admin, admin.personal, 'funds');
    const values = Object.fromEntries(allInputs(r.card ?? {}).map((i) => [i.label, i.value ?? '']));
    assert.deepEqual(values, {
      Name: '',
      'Allocated amount': '',
      Currency: 'USD',
      'Reimbursement rate (%, empty is 100)': '',
      'Cap per claim (optional)': '',
      'Period start': '',
      'Period end': '',
      'Grace after the period (days)': '45',
    });
  });

  it('adds a valid fund and shows its totals', async () => {
    const r = await addFund(w, admin, { Name: 'FY27 Co-op', 'Allocated amount': '50,000.50' });
    assert.equal(r.invokeStatus, 200);
    assert.match(r.text, /Fund "FY27 Co-op" added\./);
    assert.equal(factValue(r.card, 'Allocated'), '$50,000.50');
    assert.equal(factAmount(r.card, 'Remaining'), '$50,000.50');
    const funds = await storedFunds();
    assert.equal(funds.length, 1);
    assert.deepEqual(funds[0].allocated, { minor: 5_000_050, currency: 'USD' });
    assert.equal(funds[0].periodStart, FUND['Period start']);
  });

  const invalid: { name: string; fields: Record<string, string>; messages: RegExp[] }[] = [
    {
      name: 'an unknown currency and an end before the start',
      fields: { Currency: 'XYZ', 'Period start': day(10), 'Period end': day(-10) },
      messages: [/Currency must be an ISO 4217 code/, /Period end cannot be before the start/],
    },
    {
      name: 'a currency that is not three letters',
      fields: { Currency: 'US$' },
      messages: [/Currency must be an ISO 4217 code/],
    },
    {
      name: 'a negative amount',
      fields: { 'Allocated amount': '-100' },
      messages: [/Allocated amount cannot be negative/],
    },
    {
      name: 'a zero amount and no name',
      fields: { Name: '', 'Allocated amount': '0' },
      messages: [/Name is required/, /Allocated amount must be greater than zero/],
    },
  ];
  for (const c of invalid) {
    it(`returns the form with every problem and stores nothing for ${c.name}`, async () => {
      const before = (await storedFunds()).length;
      const r = await addFund(w, admin, { Name: 'Bad fund', ...c.fields });
      assert.equal(r.invokeStatus, 200);
      assert.match(r.text, /Please check what you entered/);
      for (const m of c.messages) assert.match(r.text, m);
      assert.doesNotMatch(r.text, /added\./);
      assert.equal((await storedFunds()).length, before);
      if (c.fields.Name === undefined) {
        assert.equal(findInput(r.card ?? {}, 'Name')?.value, 'Bad fund', 'the typed name is kept');
      }
    });
  }

  it('stores one fund for a double click on Add fund', async () => {
    const before = (await storedFunds()).length;
    const form = await w.teams.send(admin, admin.personal, 'funds');
    const { verb, data } = press(form.card ?? {}, 'Add fund', { ...FUND, Name: 'Twice' });
    await Promise.all([
      w.teams.invoke(admin, admin.personal, verb, data, form.cardActivityId),
      w.teams.invoke(admin, admin.personal, verb, data, form.cardActivityId),
    ]);
    const funds = await storedFunds();
    assert.equal(funds.length, before + 1);
    assert.equal(funds.filter((f) => f.name === 'Twice').length, 1);
  });

  it('refuses funds to a user who is not an admin, also a forged Add fund', async () => {
    const before = (await storedFunds()).length;
    const r = await w.teams.send(alice, alice.personal, 'funds');
    assert.match(r.text, /not allowed/);
    const forged = await w.teams.invoke(alice, alice.personal, 'addFund', {
      formId: 'forged-form-0001',
      fundName: 'Mine',
      allocated: '1000',
      currency: 'USD',
      periodStart: day(-1),
      periodEnd: day(1),
    });
    assert.equal(forged.invokeStatus, 200);
    assert.match(forged.text, /not allowed/);
    assert.equal((await storedFunds()).length, before);
  });

  it('shows a fund name literally in the confirmation (no markdown from user text)', async () => {
    const name = '**Big** [win](https://evil.example)';
    const r = await addFund(w, admin, { Name: name });
    assert.match(r.text, /added/);
    const nodes: { type?: string; text?: string }[] = [];
    const walk = (n: unknown): void => {
      if (Array.isArray(n)) n.forEach(walk);
      else if (n && typeof n === 'object') {
        nodes.push(n as { type?: string; text?: string });
        Object.values(n).forEach(walk);
      }
    };
    walk(r.card);
    const notice = nodes.find((n) => typeof n.text === 'string' && n.text.includes('added'));
    assert.ok(notice, 'a confirmation line');
    // A TextRun is never markdown; a TextBlock must escape it.
    if (notice.type !== 'TextRun') {
      assert.doesNotMatch(
        String(notice.text),
        /(^|[^\\])\*\*Big/,
        `the name is rendered as markdown: ${notice.text}`,
      );
    }
    assert.ok(String(notice.text).includes(name), 'the name is shown as typed');
  });
});
