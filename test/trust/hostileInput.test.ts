import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { verbHandlers } from '../../src/bot/verbs';
import type { Claim } from '../../src/domain/claim';
import { COMMAND_HANDLERS } from '../../src/bot/commands';
import {
  Activity,
  Card,
  Chat,
  TeamsUser,
  Tenant,
  TurnResult,
  findInput,
  press,
} from '../support/teams';
import { CLAIM, World, addFund, createClaim, day, grant } from '../bot/world';
import { RejectionWatch } from './http';
import { FileServer, allStrings, markdownTexts, sendFile, snapshot, startTrustWorld } from './kit';
import { UNEXPECTED, NASTY, leaf, key, json, problemsOf, short } from './fuzzKit';

const VERBS = verbHandlers().map((h) => h.verb);

describe('trust: hostile input', function () {
  this.timeout(120_000);
  let w: World;
  let files: FileServer;
  let contoso: Tenant;
  let ada: TeamsUser;
  let olivia: TeamsUser;
  let nora: TeamsUser;
  let group: Chat;
  let number: string;
  const watch = new RejectionWatch();

  const stored = async (n = number): Promise<Claim | undefined> =>
    w.app.services.claims.get(contoso.id, n);
  const claimCount = async (): Promise<number> =>
    (await w.app.services.claims.list(contoso.id, { kind: 'tenant' }, { size: 1000 })).items.length;

  /** Posts a raw JSON text as the body of an activity (for shapes JSON.stringify cannot make). */
  async function postRaw(text: string): Promise<{ status: number; body: string }> {
    const res = await fetch(w.teams.botUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: text,
      signal: AbortSignal.timeout(30_000),
    });
    return { status: res.status, body: await res.text() };
  }

  /** An invoke whose `data` is the given JSON text, spliced in verbatim. */
  async function invokeRaw(
    user: TeamsUser,
    verb: string,
    dataJson: string,
  ): Promise<{ status: number; body: string; card?: Card }> {
    const marker = `"__data_${randomUUID()}__"`;
    const activity = w.teams.invokeActivity(user, user.personal, verb, 'x');
    activity.value.action.data = JSON.parse(marker);
    const text = JSON.stringify(activity).replace(marker, dataJson);
    const r = await postRaw(text);
    let card: Card | undefined;
    try {
      const body = JSON.parse(r.body) as { value?: Card };
      card = body.value;
    } catch {
      card = undefined;
    }
    return { ...r, card };
  }

  before(async () => {
    files = await FileServer.start();
    w = await startTrustWorld();
    contoso = w.teams.tenant('contoso');
    ada = w.teams.user(contoso, 'Ada Admin', { aadObjectId: w.bootstrapAdmins[0] });
    olivia = w.teams.user(contoso, 'Olivia Owner');
    nora = w.teams.user(contoso, 'Nora Norole');
    group = w.teams.groupChat(contoso, [ada, olivia, nora]);
    await grant(w, ada, group, olivia, 'incentives user');
    await addFund(w, ada);
    ({ number } = await createClaim(w, olivia, { Title: 'Fuzz target' }));
    const doc = await sendFile(w, files, olivia, `${number} invoice: the invoice`);
    assert.match(doc.text, /added/i);
    watch.install();
  });
  after(async () => {
    watch.uninstall();
    await w?.stop();
    await files?.stop();
  });

  /** A test that also fails on an unhandled rejection or a polluted Object.prototype during it. */
  const test = (name: string, body: () => Promise<void>): Mocha.Test =>
    it(name, async () => {
      await body();
      assert.deepEqual(watch.seen.map(String), [], 'no unhandled rejection');
      assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype intact');
    });

  describe('properties', () => {
    test('every verb, any payload: 200, an Adaptive Card, never an unexpected error', async () => {
      const users = (): TeamsUser[] => [olivia, ada, nora];
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...VERBS),
          fc.nat(2),
          fc.oneof(fc.constant(undefined), fc.constant(number), leaf),
          fc.oneof(fc.dictionary(key, json, { maxKeys: 8, noNullPrototype: true }), json),
          async (verb, who, claim, payload) => {
            const data =
              payload && typeof payload === 'object' && !Array.isArray(payload)
                ? { claim, ...payload }
                : payload;
            const user = users()[who];
            const r = await w.teams.invoke(user, user.personal, verb, data);
            const problems = problemsOf(r, `invoke ${verb} by ${user.name} ${short(data)}`);
            assert.deepEqual(problems, [], r.text.slice(0, 300));
          },
        ),
        { numRuns: 50, endOnFailure: true },
      );
    });

    test('any activity value, any verb name: 200 and an Adaptive Card', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            json,
            fc.record({
              action: fc.oneof(
                json,
                fc.record({
                  type: fc.oneof(fc.constant('Action.Execute'), leaf),
                  verb: fc.oneof(fc.constantFrom(...VERBS), leaf),
                  data: json,
                }),
              ),
            }),
          ),
          async (value) => {
            const activity: Activity = {
              ...w.teams.invokeActivity(olivia, olivia.personal, 'openClaim', {}),
              value,
            };
            const r = await w.teams.post(activity);
            assert.deepEqual(problemsOf(r, `invoke value ${short(value)}`), [], r.text);
          },
        ),
        { numRuns: 25, endOnFailure: true },
      );
    });

    test('every command, any text, personal chat or group chat: 200 and an answer', async () => {
      const prefixes = [
        ...COMMAND_HANDLERS.map((c) => `${c.name} `),
        'claim ',
        'history ',
        `claim ${number}`,
        `history ${number} `,
        `request <at>${nora.name}</at> `,
        `request <at>${nora.name}</at> invoice for ${number} `,
        'grant ',
        `revoke <at>${nora.name}</at> `,
        '<at>Co-op Claims</at> ',
        '',
      ];
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...prefixes),
          fc.oneof(
            fc.constantFrom(...NASTY),
            fc.string({ maxLength: 60 }),
            fc.string({ unit: 'binary', maxLength: 40 }),
          ),
          fc.boolean(),
          fc.constantFrom(olivia, nora),
          async (prefix, tail, inGroup, user) => {
            const chat = inGroup ? group : user.personal;
            const text = `${prefix}${tail}`;
            const seq = w.connector.seq;
            const r = await w.teams.send(user, chat, text);
            const problems = problemsOf(r, `"${text}" in ${chat.type}`);
            if (!w.connector.since(seq, chat.id).length) problems.push(`"${text}": no answer`);
            assert.deepEqual(problems, [], r.text.slice(0, 300));
          },
        ),
        { numRuns: 40, endOnFailure: true },
      );
    });
  });

  describe('named cases', () => {
    test('huge strings: a 1 MB title, every field at 140 KB, a 1 MB comment, a 1.5 MB body', async () => {
      const count = await claimCount();
      const before = snapshot(await stored());
      const form = await w.teams.send(olivia, olivia.personal, 'new claim');
      const click = press(form.card ?? {}, 'Create claim', CLAIM);
      const answers: [string, TurnResult][] = [];
      answers.push([
        '1 MB title',
        await w.teams.invoke(olivia, olivia.personal, click.verb, {
          ...click.data,
          title: 'T'.repeat(1_000_000),
        }),
      ]);
      const big = 'B'.repeat(140_000);
      answers.push([
        'every field 140 KB',
        await w.teams.invoke(olivia, olivia.personal, click.verb, {
          ...click.data,
          title: big,
          activityType: big,
          activityStart: big,
          activityEnd: big,
          amount: big,
          description: big,
        }),
      ]);
      answers.push([
        '1 MB comment',
        await w.teams.invoke(olivia, olivia.personal, 'comment', {
          claim: number,
          comment: 'C'.repeat(1_000_000),
        }),
      ]);
      answers.push([
        '900 KB command',
        await w.teams.send(olivia, olivia.personal, `claim ${'9'.repeat(900_000)}`),
      ]);
      const problems = answers.flatMap(([name, r]) => problemsOf(r, name));
      assert.deepEqual(problems, []);
      assert.match(answers[0][1].text, /Title is too long \(at most 120 characters\)/);
      assert.match(answers[2][1].text, /Comment is too long/);
      const huge = await invokeRaw(
        olivia,
        'comment',
        JSON.stringify({ claim: number, comment: 'H'.repeat(1_500_000) }),
      );
      assert.ok(huge.status < 500, `1.5 MB body: HTTP ${huge.status}`);
      assert.equal(await claimCount(), count, 'no claim created');
      assert.deepEqual(snapshot(await stored()), before, 'the claim is unchanged');
    });

    test('deep JSON (10,000 levels) in card data, in a field and in the activity', async () => {
      const before = snapshot(await stored());
      const deep = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
      const deepArray = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
      const answers = [
        await invokeRaw(olivia, 'addMetric', deep),
        await invokeRaw(olivia, 'addMetric', `{"claim":"${number}","metricName":${deep}}`),
        await invokeRaw(olivia, 'comment', `{"claim":${deepArray},"comment":"x"}`),
        await invokeRaw(olivia, 'createClaim', `{"formId":${deep},"title":${deepArray}}`),
      ];
      for (const [i, r] of answers.entries()) {
        assert.equal(r.status, 200, `case ${i}: ${r.body.slice(0, 200)}`);
        assert.equal(r.card?.type, 'AdaptiveCard', `case ${i}`);
        assert.doesNotMatch(allStrings(r.card), UNEXPECTED, `case ${i}`);
      }
      const activity = w.teams.message(olivia, olivia.personal, 'claims');
      const marker = '"__deep__"';
      activity.channelData.extra = JSON.parse(marker);
      const message = await postRaw(JSON.stringify(activity).replace(marker, deep));
      assert.ok(message.status < 500, `deep channelData: HTTP ${message.status}`);
      assert.deepEqual(snapshot(await stored()), before);
    });

    test('__proto__ and constructor keys neither pollute objects nor reach the handlers', async () => {
      const before = snapshot(await stored());
      const payloads = [
        `{"claim":"${number}","__proto__":{"metricName":"Polluted","metricValue":"1","polluted":"yes"}}`,
        `{"claim":"${number}","constructor":{"prototype":{"metricName":"Polluted","polluted":"yes"}}}`,
        `{"__proto__":{"claim":"${number}","comment":"polluted"},"comment":"x"}`,
      ];
      for (const [verb, payload] of [
        ['addMetric', payloads[0]],
        ['addMetric', payloads[1]],
        ['comment', payloads[2]],
        ['editInformation', payloads[0]],
        ['createClaim', payloads[1]],
      ] as const) {
        const r = await invokeRaw(olivia, verb, payload);
        assert.equal(r.status, 200, verb);
        assert.equal(r.card?.type, 'AdaptiveCard', verb);
      }
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
      assert.equal(({} as Record<string, unknown>).metricName, undefined);
      assert.deepEqual(snapshot(await stored()), before, 'nothing stored');
      // As plain values they are just text.
      const r = await w.teams.invoke(olivia, olivia.personal, 'addMetric', {
        claim: number,
        metricName: '__proto__',
        metricValue: '2',
      });
      assert.deepEqual(problemsOf(r, 'metric "__proto__"'), []);
      assert.ok((await stored())?.metrics.some((m) => m.name === '__proto__'));
    });

    test('template expressions, markdown and HTML in user text are shown literally', async () => {
      const titles = [
        "${title} ${$root.t.open} ${$root.number} ${if(true, 'yes', 'no')} {{title}}",
        '**bold** [click](https://evil.example) ![x](https://evil.example/x.png) <b>hi</b> <script>alert(1)</script>',
        '# Heading\n- item\n> quote `code` ~~strike~~ _it_ ${json($root)}',
      ];
      for (const title of titles) {
        const { result, number: n } = await createClaim(w, olivia, { Title: title });
        const comment = `note ${title}`;
        const commented = await w.teams.invoke(olivia, olivia.personal, 'comment', {
          claim: n,
          comment,
        });
        await w.teams.invoke(olivia, olivia.personal, 'addMetric', {
          claim: n,
          metricName: title.slice(0, 60),
          metricValue: '1',
        });
        const history = await w.teams.invoke(olivia, olivia.personal, 'history', { claim: n });
        const overview = await w.teams.send(olivia, olivia.personal, 'claims');
        const detail = await w.teams.invoke(olivia, olivia.personal, 'openClaim', { claim: n });
        assert.equal((await stored(n))?.title, title.trim());
        assert.ok(allStrings(result.card).includes(title.trim()), `detail shows ${title}`);
        assert.equal(findInput(detail.card ?? {}, 'Title')?.value, title.trim(), 'edit form');
        assert.ok(allStrings(overview.card).includes(title.trim()), `overview shows ${title}`);
        assert.ok(allStrings(commented.card).includes(comment.trim()), 'comment literal');
        for (const [name, r] of [
          ['detail', detail],
          ['history', history],
          ['overview', overview],
        ] as const) {
          for (const text of markdownTexts(r.card)) {
            assert.doesNotMatch(
              text,
              /\]\(https:\/\/evil|(^|[^\\])\*\*bold|^# Heading/m,
              `${name}`,
            );
          }
        }
      }
    });

    test('a user display name with markdown is shown literally', async () => {
      const mallory = w.teams.user(contoso, '[Admin](https://evil.example) **urgent**');
      await grant(w, ada, w.teams.groupChat(contoso, [ada, mallory]), mallory, 'incentives user');
      const { number: n } = await createClaim(w, mallory, { Title: 'Named' });
      const cards = [
        (await w.teams.invoke(mallory, mallory.personal, 'comment', { claim: n, comment: 'c' }))
          .card,
        (await w.teams.invoke(mallory, mallory.personal, 'history', { claim: n })).card,
        (await w.teams.invoke(ada, ada.personal, 'openClaim', { claim: n })).card,
      ];
      for (const card of cards) {
        for (const text of markdownTexts(card)) {
          assert.doesNotMatch(text, /\]\(https:\/\/evil|(^|[^\\])\*\*urgent/, text);
        }
      }
    });

    test('RTL overrides are removed and zero-width-only text counts as empty', async () => {
      const { number: n } = await createClaim(w, olivia, {
        Title: 'Invoice\u202egnp.exe',
        Description: 'left\u2066right\u2069\u202d',
      });
      const claim = await stored(n);
      assert.equal(claim?.title, 'Invoicegnp.exe');
      assert.doesNotMatch(claim?.description ?? '', /[\u202a-\u202e\u2066-\u2069]/);
      const count = await claimCount();
      const form = await w.teams.send(olivia, olivia.personal, 'new claim');
      const blank = await w.teams.click(olivia, olivia.personal, form, 'Create claim', {
        ...CLAIM,
        Title: '\u200b\u200c\u200d\u2060\ufeff',
      });
      assert.match(blank.text, /Title is required/);
      const comment = await w.teams.invoke(olivia, olivia.personal, 'comment', {
        claim: n,
        comment: '\u200b \u2060',
      });
      assert.match(comment.text, /Comment is required/);
      assert.equal(await claimCount(), count);
      const metric = await w.teams.invoke(olivia, olivia.personal, 'addMetric', {
        claim: n,
        metricName: 'Reach\u202e',
        metricValue: '5',
      });
      assert.deepEqual(problemsOf(metric, 'metric'), []);
      assert.equal((await stored(n))?.metrics[0]?.name, 'Reach');
    });

    test('invalid dates are refused and change nothing', async () => {
      const bad = [
        '2026-02-30',
        '2026-13-01',
        '2026-00-10',
        '1999-12-31',
        '2101-01-01',
        '2026-2-3',
        '2026-02-28T00:00:00Z',
        '+02026-02-01',
        '２０２６-０１-０１',
        '2026-01-01\u202e',
      ];
      const count = await claimCount();
      const before = snapshot(await stored());
      const form = await w.teams.send(olivia, olivia.personal, 'new claim');
      const click = press(form.card ?? {}, 'Create claim', CLAIM);
      for (const date of bad) {
        const r = await w.teams.invoke(olivia, olivia.personal, click.verb, {
          ...click.data,
          activityStart: date,
        });
        assert.match(r.text, /Activity start must be a date/, date);
        const edit = await w.teams.invoke(olivia, olivia.personal, 'editInformation', {
          claim: number,
          title: 'Edited',
          activityType: 'webinar',
          activityStart: day(-20),
          activityEnd: date,
          amount: '10.00',
        });
        assert.match(edit.text, /Activity end must be a date/, date);
      }
      assert.equal(await claimCount(), count);
      assert.deepEqual(snapshot(await stored()), before);
    });

    test('amounts like 1e309, -0, 0x10, NaN and Infinity are refused and change nothing', async () => {
      const amounts = [
        '1e309',
        '-0',
        '0x10',
        'NaN',
        'Infinity',
        '-Infinity',
        '1e3',
        '-1',
        '0',
        '0.00',
        '0.001',
        '1,2,3',
        '١٢٣',
        '10000000001',
        '9'.repeat(400),
        '1_000',
        '0b101',
        '1.5.5',
      ];
      const count = await claimCount();
      const funds = snapshot(await w.app.services.funds.list(contoso.id));
      const form = await w.teams.send(olivia, olivia.personal, 'new claim');
      const click = press(form.card ?? {}, 'Create claim', CLAIM);
      const fundsCard = await w.teams.send(ada, ada.personal, 'funds');
      const addFundClick = press(fundsCard.card ?? {}, 'Add fund', {
        Name: 'Never',
        Currency: 'USD',
        'Period start': day(-1),
        'Period end': day(1),
      });
      const accepted: string[] = [];
      for (const [k, amount] of amounts.entries()) {
        const answers = [
          await w.teams.invoke(olivia, olivia.personal, click.verb, { ...click.data, amount }),
        ];
        // The first few also as a metric value and as a fund's allocated amount.
        if (k < 7) {
          answers.push(
            await w.teams.invoke(olivia, olivia.personal, 'addMetric', {
              claim: number,
              metricName: `Reach ${amount}`,
              metricValue: amount,
            }),
            await w.teams.invoke(ada, ada.personal, addFundClick.verb, {
              ...addFundClick.data,
              formId: randomUUID(),
              allocated: amount,
            }),
          );
        }
        for (const [i, r] of answers.entries()) {
          assert.deepEqual(problemsOf(r, `${amount} #${i}`), []);
          if (!/Please check what you entered/.test(r.text)) accepted.push(`${amount} #${i}`);
        }
      }
      assert.deepEqual(accepted, [], 'every one refused with what to check');
      assert.equal(await claimCount(), count);
      assert.deepEqual(snapshot(await w.app.services.funds.list(contoso.id)), funds);
      const metrics = (await stored())?.metrics.map((m) => m.name) ?? [];
      assert.deepEqual(
        metrics.filter((m) => m.startsWith('Reach ')),
        [],
      );
    });
  });
});
