import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { Locator } from 'playwright-core';
import { startApp } from '../src/app';
import { loadConfig } from '../src/config';
import {
  Claim,
  addDocument,
  addMetric,
  createClaim,
  requestInformation,
  requestUploads,
  startReview,
  submit,
} from '../src/domain/claim';
import type { Actor, Role } from '../src/domain/roles';
import { DEMO_TENANT_ID, DEMO_USERS } from '../src/local/seed';
import { addDays, isoDay } from '../src/domain/dates';
import {
  cards,
  launchChromium,
  openGroupChat,
  openPersonalChat,
  openPlayground,
  searchMessageExtension,
  typeMessage,
  waitForCard,
} from '../testkit/browser';
import { startPlayground } from '../testkit/playground';

/**
 * `npm run screenshots`: pictures of the main cards for the README, taken from the running app in
 * the Agents Playground (headless Chromium, see test/support/browser.ts). The demo organisation is seeded with a few
 * claims first; Megan Bowen, the playground's user, then asks for each card.
 */
const OUT = path.resolve(__dirname, '..', '..', 'docs', 'screenshots');
const INVOICE = path.resolve(
  __dirname,
  '..',
  '..',
  'test',
  'fixtures',
  'invoices',
  'en-usd-event.text.pdf',
);

const person = (name: string, roles: Role[]): Actor => {
  const user = DEMO_USERS.find((u) => u.name === name);
  if (!user) throw new Error(`no demo user ${name}`);
  return { tenantId: DEMO_TENANT_ID, userId: user.id, name, roles: new Set(roles) };
};

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const app = await startApp(
    loadConfig({ HOST: '127.0.0.1', PORT: '0', LOCAL_DATA_DIR: 'memory', DEMO_SEED: 'true' }),
  );
  const { claims, files } = app.services;
  const megan = person('Megan Bowen', ['globalAdmin', 'incentivesUser']);
  const adele = person('Adele Vance', ['incentivesUser']);
  const isaiah = person('Isaiah Langer', ['reviewer']);
  const now = new Date();
  const today = isoDay(now);
  const at = now.toISOString();
  const fund = { id: 'demo-fund', currency: 'USD' };

  const newClaim = (actor: Actor, formId: string, title: string, amount: number): Promise<Claim> =>
    claims.create(DEMO_TENANT_ID, formId, (seq) =>
      createClaim({
        actor,
        seq,
        formId,
        fund,
        now: at,
        info: {
          title,
          activityType: 'webinar',
          activityStart: addDays(today, -20),
          activityEnd: addDays(today, -6),
          amount: { minor: amount, currency: 'USD' },
          description: 'Two live sessions on moving SMB workloads to Azure, with a Q&A.',
          additionalInfo: '',
        },
      }),
    );
  const attach = async (claim: Claim, actor: Actor, type: 'invoice' | 'poe', name: string) => {
    const blobName = `${DEMO_TENANT_ID}/${claim.number}/${type}-${name}/${name}`;
    // Invoices are real ones (a generated fixture with a total), so the card shows what the bot read.
    const bytes = type === 'invoice' ? readFileSync(INVOICE) : Buffer.from(tinyPdf(name));
    const stored = await files.put(blobName, Readable.from([bytes]), {
      uploaderId: actor.userId,
      originalName: name,
    });
    return claims.update(DEMO_TENANT_ID, claim.number, `shot-${type}-${name}`, (c) =>
      addDocument(
        c,
        actor,
        {
          id: `${type}-${name}`,
          type,
          fileName: name,
          blobName,
          size: stored.size,
          contentType: stored.contentType,
          sha256: stored.sha256,
          explanation: type === 'invoice' ? 'Event agency invoice' : 'Recording and attendee list',
        },
        at,
      ),
    );
  };

  const webinar = await newClaim(megan, 'shot-1', 'Spring cloud migration webinar', 1_250_000);
  await attach(webinar, megan, 'invoice', 'agency-invoice.pdf');
  await claims.update(DEMO_TENANT_ID, webinar.number, 'shot-metric', (c) =>
    addMetric(c, megan, { name: 'Attendees', value: 184 }, at),
  );
  const event = await newClaim(megan, 'shot-2', 'Partner summit booth', 800_000);
  await attach(event, megan, 'invoice', 'booth-invoice.pdf');
  await attach(event, megan, 'poe', 'booth-photos.pdf');
  await claims.update(DEMO_TENANT_ID, event.number, 'shot-metric-2', (c) =>
    addMetric(c, megan, { name: 'Leads', value: 42 }, at),
  );
  await claims.update(DEMO_TENANT_ID, event.number, 'shot-submit', (c) =>
    submit(c, megan, { remaining: { minor: 5_000_000, currency: 'USD' }, reviewers: [] }, at),
  );
  const adeles = await newClaim(adele, 'shot-3', 'Digital ads, Q3 campaign', 430_000);
  for (const claim of [webinar, event]) {
    const stored = await claims.get(DEMO_TENANT_ID, claim.number);
    if (stored) app.services.invoices.readNew(stored);
  }
  await app.invoices.idle();

  const playground = await startPlayground({ botEndpoint: `${app.url}/api/messages` });
  const browser = await launchChromium();
  try {
    const page = await openPlayground(browser, playground.url, {
      viewport: { width: 1280, height: 1600 },
    });
    await openPersonalChat(page);
    const shoot = async (command: string, expect: string | RegExp, file: string) => {
      if (command) await typeMessage(page, command);
      const card = await waitForCard(page, expect);
      await card.screenshot({ path: path.join(OUT, file) });
      console.log(`wrote docs/screenshots/${file}`);
    };
    // The search panel and a card the user sent never settle (their focus rings animate): a
    // picture of where they are, animations off.
    const shootWhere = async (target: Locator, file: string) => {
      const clip = await target.boundingBox();
      if (!clip) throw new Error(`nothing showing for ${file}`);
      const still = { clip, animations: 'disabled', timeout: 60_000 } as const;
      await page.screenshot({ path: path.join(OUT, file), ...still });
      console.log(`wrote docs/screenshots/${file}`);
    };
    await shoot('help', 'Commands', 'help.png');
    await shoot('claims', 'Remaining', 'claims-overview.png');
    await shoot('new claim', 'Create claim', 'new-claim.png');
    await shoot(`claim ${webinar.number}`, /Add metric/, 'claim-detail.png');
    // The seeded demo claims: a paid one, and every document of one a page at a time.
    const seeded = await claims.list(DEMO_TENANT_ID, { kind: 'tenant' }, { size: 50 });
    const numberOf = (title: string): string => {
      const found = seeded.items.find((c) => c.title === title);
      if (!found) throw new Error(`no seeded claim "${title}"`);
      return found.number;
    };
    await shoot(
      `claim ${numberOf('Partner Summit keynote sponsorship')}`,
      'PAY-2026-0117',
      'claim-paid.png',
    );
    const series = numberOf('Azure migration webinar series');
    await typeMessage(page, `claim ${series}`);
    const detail = await waitForCard(page, 'Documents');
    await detail.getByRole('button', { name: 'Documents', exact: true }).click();
    await shoot('', /of 3/, 'documents-list.png');
    await shoot(`export ${series}`, 'Download', 'export.png');
    // The seeded fund request, as Megan (a global admin who did not ask for it) sees it.
    const [request] = await app.services.fundRequests.list(DEMO_TENANT_ID, { size: 1 });
    await shoot(`fund request ${request.number}`, 'Approve request', 'fund-request.png');

    // Adele asks Megan for the PoE of her claim: the request arrives in Megan's chat.
    const asked = await claims.update(DEMO_TENANT_ID, adeles.number, 'shot-request', (c) =>
      requestUploads(
        c,
        adele,
        {
          to: [{ id: megan.userId, name: megan.name }],
          types: ['poe'],
          note: 'Could you add the screenshots of the ads?',
        },
        at,
      ),
    );
    app.notifications.kick(DEMO_TENANT_ID, asked.number);
    await shoot('', 'Upload now', 'upload-request.png');

    // Isaiah reviews the submitted claim and asks for more on the booth photos.
    const reviewed = await claims.update(DEMO_TENANT_ID, event.number, 'shot-review', (c) =>
      requestInformation(
        startReview(c, isaiah, at),
        isaiah,
        'Please add the attendee list of the summit.',
        at,
        [
          {
            documentId: 'poe-booth-photos.pdf',
            text: 'The photos do not show the Microsoft logo.',
          },
        ],
      ),
    );
    app.notifications.kick(DEMO_TENANT_ID, reviewed.number);
    await shoot('', 'needs more information', 'reviewer-feedback.png');
    await shoot(`claim ${event.number}`, 'Action required', 'claim-action-required.png');

    // The message extension: Megan finds the webinar claim from the group chat's compose box and
    // shares it; the card everybody sees names no document and carries no link.
    await openGroupChat(page, 'Contoso marketing');
    const search = await searchMessageExtension(page, {
      commandId: 'searchClaims',
      parameter: 'query',
      text: 'webinar',
    });
    await shootWhere(search, 'search.png');
    await search.getByText(`${webinar.number} · `).click();
    await page.getByRole('button', { name: 'Send Message' }).click();
    await shootWhere(await waitForCard(page, 'Documents are shown only'), 'search-shared.png');
    if ((await cards(page).count()) === 0) throw new Error('no cards rendered');
  } finally {
    await browser.close();
    await playground.stop();
    await app.stop();
  }
}

/** A small valid one-page PDF (so the Open links work in the pictures' claims). */
function tinyPdf(label: string): string {
  const stream = `BT /F1 12 Tf 72 720 Td (${label.replace(/[()\\]/g, '')}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets = objects.map((o, i) => {
    const offset = out.length;
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
    return offset;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  out += offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return out;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
