import assert from 'node:assert/strict';
import { Chat, TeamsUser, Tenant, cardText, factValue, findInput } from '../support/teams';
import { World, addFund, assertNotFound, createClaim, essence, grant, startWorld } from './world';

describe('bot: who sees a claim, and forged card data', () => {
  let w: World;
  let contoso: Tenant;
  let fabrikam: Tenant;
  let admin: TeamsUser;
  let alice: TeamsUser;
  let bob: TeamsUser;
  let nora: TeamsUser;
  let fay: TeamsUser;
  let zed: TeamsUser;
  let group: Chat;
  let number: string;

  const stored = () => w.app.services.claims.get(contoso.id, number);

  before(async () => {
    w = await startWorld({ bootstrapAdmins: 2 });
    contoso = w.teams.tenant('contoso');
    fabrikam = w.teams.tenant('fabrikam');
    admin = w.teams.user(contoso, 'Ada Admin', { aadObjectId: w.bootstrapAdmins[0] });
    alice = w.teams.user(contoso, 'Alice Baker');
    bob = w.teams.user(contoso, 'Bob Carter');
    nora = w.teams.user(contoso, 'Nora Norole');
    fay = w.teams.user(fabrikam, 'Fay Admin', { aadObjectId: w.bootstrapAdmins[1] });
    zed = w.teams.user(fabrikam, 'Zed Zimmer');
    group = w.teams.groupChat(contoso, [admin, alice, bob]);
    await grant(w, admin, group, alice, 'incentives user');
    await grant(w, admin, group, bob, 'incentives user');
    await grant(w, fay, w.teams.groupChat(fabrikam, [fay, zed]), zed, 'incentives user');
    await addFund(w, admin, { Name: 'Contoso secret fund' });
    ({ number } = await createClaim(w, alice, { Title: 'Contoso launch event' }));
  });
  after(() => w?.stop());

  it('answers "not found" to a colleague without access, and lists nothing of it', async () => {
    assertNotFound(await w.teams.send(bob, bob.personal, `claim ${number}`), number);
    assertNotFound(await w.teams.send(bob, bob.personal, `history ${number}`), number);
    assertNotFound(await w.teams.invoke(bob, bob.personal, 'openClaim', { claim: number }), number);
    const claims = await w.teams.send(bob, bob.personal, 'claims');
    assert.doesNotMatch(claims.text, /Contoso launch event|CLM-0001/);
  });

  it('refuses changes by a colleague without access, and changes nothing', async () => {
    const before = await stored();
    const verbs: [string, Record<string, string>][] = [
      ['addMetric', { metricName: 'Leads', metricValue: '5' }],
      ['comment', { comment: 'sneaky' }],
      [
        'editInformation',
        {
          title: 'Taken over',
          activityType: 'webinar',
          activityStart: '2026-01-01',
          activityEnd: '2026-01-02',
          amount: '1',
        },
      ],
      ['submit', {}],
      ['history', {}],
    ];
    for (const [verb, data] of verbs) {
      const r = await w.teams.invoke(bob, bob.personal, verb, { ...data, claim: number });
      assertNotFound(r, number);
      assert.doesNotMatch(r.text, /Contoso launch event/, verb);
    }
    assert.deepEqual(essence(await stored()), essence(before));
  });

  it('explains to a user with no role that there is nothing to show', async () => {
    const claims = await w.teams.send(nora, nora.personal, 'claims');
    assert.match(claims.text, /You have no role in Co-op Claims yet/);
    assert.doesNotMatch(claims.text, /Contoso launch event|Contoso secret fund/);
    assertNotFound(await w.teams.send(nora, nora.personal, `claim ${number}`), number);
    assertNotFound(
      await w.teams.invoke(nora, nora.personal, 'comment', { claim: number, comment: 'hi' }),
      number,
    );
  });

  it('answers "not found" to another tenant, even its global admin, and shows none of it in claims', async () => {
    for (const u of [zed, fay]) {
      assertNotFound(await w.teams.send(u, u.personal, `claim ${number}`), number);
      assertNotFound(
        await w.teams.invoke(u, u.personal, 'addMetric', {
          claim: number,
          metricName: 'x',
          metricValue: '1',
        }),
        number,
      );
      const claims = await w.teams.send(u, u.personal, 'claims');
      assert.equal(claims.status, 200);
      assert.doesNotMatch(claims.text, /Contoso launch event|Contoso secret fund|CLM-0001/);
    }
    const funds = await w.teams.send(fay, fay.personal, 'funds');
    assert.doesNotMatch(funds.text, /Contoso secret fund/);
    assert.equal((await stored())?.metrics.length, 0);
  });

  it('ignores a tenant id forged into card data', async () => {
    const r = await w.teams.invoke(zed, zed.personal, 'openClaim', {
      claim: number,
      tenantId: contoso.id,
    });
    assertNotFound(r, number);
  });

  it('answers an unknown verb with a card, never an error', async () => {
    for (const verb of ['deleteEverything', '__proto__', 'constructor', 'toString', '']) {
      const r = await w.teams.invoke(alice, alice.personal, verb, { claim: number });
      assert.equal(r.status, 200, verb);
      assert.equal(r.invokeStatus, 200, verb);
      assert.match(r.text, /this button is no longer supported/, verb);
    }
  });

  it('answers data that is not an object with a card saying what is wrong', async () => {
    for (const data of [number, null, [number], 42, true, undefined]) {
      for (const verb of ['openClaim', 'addMetric', 'createClaim', 'history', 'claimsPage']) {
        const r = await w.teams.invoke(alice, alice.personal, verb, data);
        assert.equal(r.status, 200, `${verb} ${JSON.stringify(data)}`);
        assert.equal(r.invokeStatus, 200, `${verb} ${JSON.stringify(data)}`);
        assert.ok(r.invokeCard, `${verb} ${JSON.stringify(data)}: a card`);
        assert.doesNotMatch(r.text, /Something went wrong/, `${verb} ${JSON.stringify(data)}`);
      }
    }
    assert.equal((await stored())?.metrics.length, 0);
  });

  it('answers wrongly typed fields with a card and changes nothing', async () => {
    const before = await stored();
    const forged: [string, Record<string, unknown>][] = [
      ['openClaim', { claim: { number } }],
      ['openClaim', { claim: [number] }],
      ['addMetric', { claim: number, metricName: ['Leads'], metricValue: 5 }],
      ['addMetric', { claim: number, metricName: 'Leads', metricValue: { value: '5' } }],
      ['comment', { claim: number, comment: { text: 'x' } }],
      ['history', { claim: number, before: { $gt: 0 } }],
      ['history', { claim: number, before: -1e308 }],
      ['claimsPage', { before: 'DROP TABLE' }],
      ['createClaim', { formId: { id: 1 }, title: 42 }],
      ['editInformation', { claim: number, title: null, amount: 12 }],
    ];
    for (const [verb, data] of forged) {
      const r = await w.teams.invoke(alice, alice.personal, verb, data);
      assert.equal(r.invokeStatus, 200, `${verb} ${JSON.stringify(data)}`);
      assert.ok(r.invokeCard, `${verb}: a card`);
      assert.doesNotMatch(r.text, /Something went wrong/, `${verb} ${JSON.stringify(data)}`);
    }
    assert.deepEqual(essence(await stored()), essence(before));
  });

  it('is not fooled by __proto__ keys in card data', async () => {
    const data = JSON.parse(
      '{"__proto__": {"claim": "CLM-0001", "metricName": "Leads", "metricValue": "7"}, "constructor": {"prototype": {"claim": "CLM-0001"}}}',
    );
    for (const u of [alice, bob]) {
      const r = await w.teams.invoke(u, u.personal, 'addMetric', data);
      assert.equal(r.invokeStatus, 200);
      assert.match(r.text, /not found/);
    }
    assert.equal(({} as Record<string, unknown>).claim, undefined, 'Object.prototype is untouched');
    assert.equal((await stored())?.metrics.length, 0);
  });

  it('shows template syntax and markdown in a title literally', async () => {
    const title = '${title} **bold** [click](https://evil.example) ${$root.number} <b>x</b>';
    const { result, number: n } = await createClaim(w, alice, { Title: title });
    const runs = (card: unknown): string[] => {
      const out: string[] = [];
      JSON.stringify(card, (_k, v) => {
        if (v && v.type === 'TextRun') out.push(v.text);
        return v;
      });
      return out;
    };
    assert.ok(runs(result.card).includes(title), `detail: ${runs(result.card).join(' | ')}`);
    const claims = await w.teams.send(alice, alice.personal, 'claims');
    assert.ok(runs(claims.card).includes(title), 'overview');
    assert.equal(findInput(result.card ?? {}, 'Title')?.value, title, 'the Edit information form');
    assert.equal((await w.app.services.claims.get(contoso.id, n))?.title, title);
    assert.equal(factValue(result.card, 'Status'), 'Editing');
    assert.doesNotMatch(cardText(result.card), /Contoso launch event/);
  });

  it('never answers 5xx to malformed invokes', async () => {
    const base = w.teams.invokeActivity(alice, alice.personal, 'openClaim', { claim: number });
    const values: Record<string, unknown> = {
      'no value': undefined,
      'value {}': {},
      'action null': { action: null },
      'verb 42': { action: { type: 'Action.Execute', verb: 42, data: {} } },
      'no verb': { action: { type: 'Action.Execute', data: { claim: number } } },
    };
    const answers: string[] = [];
    for (const [name, value] of Object.entries(values)) {
      const r = await w.teams.post({ ...base, value });
      answers.push(`${name}: HTTP ${r.status}${r.invokeStatus ? `/${r.invokeStatus}` : ''}`);
    }
    const noAadId = await w.teams.post({ ...base, from: { id: alice.id, name: alice.name } });
    answers.push(`no aadObjectId: HTTP ${noAadId.status}/${noAadId.invokeStatus}`);
    assert.deepEqual(
      answers.filter((a) => /HTTP 5|\/5/.test(a)),
      [],
      answers.join(', '),
    );
  });
});
