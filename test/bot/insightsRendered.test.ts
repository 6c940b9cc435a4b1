import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type * as ACTypes from 'adaptivecards';
import { ACTIVITY_TYPES, createClaim } from '../../src/domain/claim';
import { money } from '../../src/domain/money';
import { FUNDS_PER_PAGE } from '../../src/bot/flows/insights';
import { launchChromium, testScreenshotPath } from '../../testkit/browser';
import { Theme, renderCard } from '../../testkit/cardRenderer';
import type { TeamsUser, TurnResult } from '../support/teams';
import { ofType } from './cardNodes';
import { World, actorOf, startWorld } from './world';

// The package's `main` is extension-less ESM that Node cannot load; its UMD bundle works in Node.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const AC = require('adaptivecards/dist/adaptivecards.min.js') as typeof ACTypes;

/** Safe for every Teams client (issue 33's done-when). */
const MAX_BYTES = 28 * 1024;
const FUNDS = 50;
const CHARTS = ['Chart.Donut', 'Chart.VerticalBar', 'Chart.HorizontalBar', 'Chart.Gauge'];

/**
 * `insights` for a tenant with 50 funds in two currencies: under 28 KB (a page of donuts; the rest
 * added up), and drawn by the Adaptive Cards JS renderer at 340 px and at full width. That renderer
 * cannot draw Teams' charts (Chart.*), so what it shows is each chart's fallback: the text tables a
 * client without charts shows. The PNGs are kept in dist/test-screenshots/insights/.
 */
describe('bot: insights for 50 funds, its size and its fallbacks rendered (issue 33)', function () {
  this.timeout(120_000);
  let w: World;
  let admin: TeamsUser;
  let browser: Browser;
  let page: Page;
  const answers = new Map<string, TurnResult>();
  const shots = testScreenshotPath('insights');

  before(async () => {
    w = await startWorld();
    const tenant = w.teams.tenant('contoso');
    admin = w.teams.user(tenant, 'Ada Admin', { aadObjectId: w.bootstrapAdmins[0] });
    const owner = actorOf(w.teams.user(tenant, 'Olga Owner'));
    for (let i = 0; i < FUNDS; i++) {
      const currency = i % 2 ? 'EUR' : 'USD';
      const id = `fund-${String(i).padStart(2, '0')}`;
      await w.app.services.funds.create({
        id,
        tenantId: tenant.id,
        name: `FY27 partner fund number ${i + 1} (${currency})`,
        periodStart: '2026-07-01',
        periodEnd: i % 3 ? '2027-06-30' : '2026-12-31',
        allocated: money(250_000_00, currency),
        createdBy: { id: 'setup', name: 'Setup' },
        createdAt: new Date().toISOString(),
      });
      for (const [k, activityType] of ACTIVITY_TYPES.entries()) {
        const made = await w.app.services.claims.create(tenant.id, `${id}-${k}`, (seq) =>
          createClaim({
            actor: owner,
            seq,
            formId: `${id}-${k}`,
            fund: { id, currency },
            info: {
              title: `Claim ${seq}`,
              activityType,
              activityStart: '2026-09-01',
              activityEnd: '2026-09-02',
              amount: money(4_000_00 + k * 1_000_00, currency),
              description: '',
              additionalInfo: '',
            },
            now: new Date().toISOString(),
          }),
        );
        await w.app.services.claims.update(tenant.id, made.number, 'decided', (c) => ({
          ...c,
          status: k % 2 ? 'approved' : 'submitted',
          submittedAt: new Date().toISOString(),
          approvedAmount: c.amount,
          metrics: [{ id: 'p', kind: 'pipeline', name: 'Pipeline', value: 40_000_00 }],
        }));
      }
    }
    answers.set('en-US', await w.teams.send(admin, admin.personal, 'insights'));
    answers.set(
      'nl-NL',
      await w.teams.send(admin, admin.personal, 'inzichten', { locale: 'nl-NL' }),
    );
    mkdirSync(shots, { recursive: true });
    browser = await launchChromium();
    page = await browser.newPage();
  });
  after(async () => {
    await browser?.close();
    await w?.stop();
  });

  for (const locale of ['en-US', 'nl-NL']) {
    it(`stays under 28 KB with a page of ${FUNDS_PER_PAGE} donuts, valid, every chart with a fallback (${locale})`, () => {
      const card = answers.get(locale)?.card;
      assert.ok(card);
      const bytes = Buffer.byteLength(JSON.stringify(card));
      assert.ok(bytes < MAX_BYTES, `${bytes} bytes`);
      assert.equal(ofType(card, 'Chart.Donut').length, FUNDS_PER_PAGE);
      const sdkCard = new AC.AdaptiveCard();
      const context = new AC.SerializationContext();
      sdkCard.parse(card, context);
      const problems: string[] = [];
      for (let i = 0; i < context.eventCount; i++) {
        const message = context.getEventAt(i).message;
        // Teams' chart elements are newer than the SDK: each carries a fallback, checked below.
        if (!/^Unknown element type "Chart\./.test(message)) problems.push(message);
      }
      assert.deepEqual(problems, []);
      for (const type of CHARTS) {
        for (const chart of ofType(card, type)) assert.ok(chart.fallback, `${type} has a fallback`);
      }
    });
  }

  const widths: [string, number][] = [
    ['340', 340],
    ['full', 760],
  ];
  for (const theme of ['light', 'dark'] as Theme[]) {
    for (const [name, width] of widths) {
      it(`renders at ${name} width, ${theme}: the fallbacks show the figures, every button in full`, async () => {
        const card = answers.get('en-US')?.card;
        const r = await renderCard(page, card, {
          width,
          theme,
          png: join(shots, `insights-${name}-${theme}.png`),
        });
        assert.deepEqual(r.truncated, [], `cut: ${r.truncated.join(', ')}`);
        const text = (await page.textContent('#card')) ?? '';
        // The donut's fallback, the bars' fallbacks, the gauge's fallback.
        assert.match(text, /Reserved by requests/);
        assert.match(text, /approved, .* pending/);
        assert.match(text, /pipeline, .* revenue won/);
        assert.match(text, /waiting, on average/);
        assert.ok(r.buttons.includes('Next funds'), r.buttons.join(', '));
      });
    }
  }
});
