/**
 * A first run as a newcomer has it: the app starts with the demo seed, the Agents Playground opens
 * in headless Chromium, `claims` shows a claim in every status, and the reviewer persona
 * (`npm run dev -- --as reviewer`) approves a submitted claim and opens its invoice.
 */
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import type { RunningApp } from '../../src/app';
import type { Claim } from '../../src/domain/claim';
import { texts } from '../../src/i18n/i18n';
import { CLAIM_STATUSES } from '../../src/domain/status';
import { DEMO_CLAIMS } from '../../src/demo/demoClaims';
import { DEMO_TENANT_ID } from '../../src/demo/seed';
import {
  clickCardButton,
  launchChromium,
  openPersonalChat,
  openPlayground,
  screenshot,
  testScreenshotPath,
  typeMessage,
  waitForCard,
} from '../../testkit/browser';
import { personaConfig } from '../../testkit/personas';
import { startPlayground, type Playground } from '../../testkit/playground';
import { startTestApp } from '../support/stack';

describe('e2e: the demo on a fresh start, in the Agents Playground', function () {
  this.timeout(120_000);
  let app: RunningApp;
  let browser: Browser;
  let playground: Playground | undefined;
  let page: Page;

  const storedClaim = async (title: string): Promise<Claim> => {
    const page = await app.services.claims.list(DEMO_TENANT_ID, { kind: 'tenant' }, { size: 20 });
    const number = page.items.find((c) => c.title === title)?.number;
    const claim = number && (await app.services.claims.get(DEMO_TENANT_ID, number));
    assert.ok(claim, title);
    return claim;
  };

  /** The Playground with `configPath`, its personal chat open in a new page. */
  async function openChat(configPath?: string): Promise<void> {
    await playground?.stop();
    playground = await startPlayground({ botEndpoint: `${app.url}/api/messages`, configPath });
    page = await openPlayground(browser, playground.url);
    await openPersonalChat(page);
  }

  before(async () => {
    app = await startTestApp({ DEMO_SEED: 'true' });
    browser = await launchChromium();
  });
  after(async () => {
    await playground?.stop();
    await browser?.close();
    await app?.invoices.idle();
    await app?.stop();
  });

  it('the admin at the keyboard types claims and sees the seeded claims in every status', async () => {
    await openChat();
    const welcome = await waitForCard(page, /Welcome to Co-op Claims!/);
    assert.match(await welcome.innerText(), /This is the local demo: try claims/);
    await typeMessage(page, 'claims');
    const overview = await waitForCard(page, /Your claims/);
    const shown = await overview.innerText();
    const t = texts('en-US');
    for (const status of CLAIM_STATUSES)
      assert.match(shown, new RegExp(t.tDynamic(`status.${status}`)));
    for (const claim of DEMO_CLAIMS) assert.ok(shown.includes(claim.title), claim.title);
    assert.match(shown, /FY27 Events fund/);
    await screenshot(page, testScreenshotPath('demo-claims.png'));
  });

  it('the reviewer persona opens a submitted claim from review, approves it and opens its invoice', async () => {
    const submitted = await storedClaim('Dynamics 365 partner webinar');
    assert.equal(submitted.status, 'submitted');
    await openChat(personaConfig('reviewer'));
    await typeMessage(page, 'review');
    const queue = await waitForCard(page, /Dynamics 365 partner webinar/);
    await clickCardButton(queue, 'Open', { row: submitted.number });
    const card = await waitForCard(
      page,
      new RegExp(`${submitted.number}.*Status\\s*Submitted`, 's'),
    );
    await clickCardButton(card, 'Start review');
    const underReview = await waitForCard(page, /Status\s*Under review/);
    // Approve opens the approval form (amount filled in with the claimed one); its Approve sends it.
    await clickCardButton(underReview, 'Approve');
    await clickCardButton(underReview, 'Approve');
    const approved = await waitForCard(page, /Status\s*Approved/);

    const stored = await storedClaim('Dynamics 365 partner webinar');
    assert.equal(stored.status, 'approved');
    assert.deepEqual(stored.approvedAmount, stored.amount);
    assert.equal(stored.reviewer?.name, 'Isaiah Langer');
    assert.deepEqual(
      // Without the bot's own notes (the approval waits for Adele, who is not at the keyboard).
      stored.history
        .filter((e) => e.by.name !== 'Co-op Claims')
        .slice(-2)
        .map((e) => [e.kind, e.by.name]),
      [
        ['reviewStarted', 'Isaiah Langer'],
        ['approved', 'Isaiah Langer'],
      ],
    );

    const invoice = stored.documents.find((d) => d.type === 'invoice');
    assert.ok(invoice);
    // The card's Open link (an Action.OpenUrl; the Playground shows its URL as the tooltip),
    // fetched in the browser's context as opening it would.
    // Newest first, one line each: the invoice's is the Open link to its file.
    const links = approved.getByRole('link', { name: 'Open', exact: true });
    const urls = await Promise.all(
      (await links.all()).map(async (l) => (await l.getAttribute('title')) ?? ''),
    );
    const invoicePath = new RegExp(
      `/${submitted.number}/${invoice.id}/invoice-dynamics-webinar\\.pdf\\?`,
    );
    const url = urls.find((u) => invoicePath.test(u)) ?? '';
    assert.match(url, invoicePath, urls.join(', '));
    const opened = await page.request.get(url);
    assert.equal(opened.status(), 200);
    assert.equal(opened.headers()['content-type'], 'application/pdf');
    const file = await opened.body();
    assert.equal(file.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.equal(file.length, invoice.size);
    await screenshot(page, testScreenshotPath('demo-reviewer.png'));
  });
});
