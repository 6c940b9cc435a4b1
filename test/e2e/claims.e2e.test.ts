/**
 * Co-op Claims in the Microsoft 365 Agents Playground (the Teams-like client): through its HTTP API
 * and through its web UI in headless Chromium, with the demo organisation of
 * .m365agentsplayground.yml seeded as the local stack seeds it.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import type { RunningApp } from '../../src/app';
import { Claim, addDocument, addMetric, createClaim, submit } from '../../src/domain/claim';
import type { Actor } from '../../src/domain/roles';
import { DEMO_TENANT_ID, DEMO_USERS, seedDemo } from '../../src/demo/seed';
import { addDays, isoDay } from '../../src/domain/dates';
import {
  clickCardButton,
  fillInput,
  launchChromium,
  openPersonalChat,
  openPlayground,
  screenshot,
  testScreenshotPath,
  typeMessage,
  waitForCard,
} from '../../testkit/browser';
import { startPlayground, type Playground, type PlaygroundConfig } from '../../testkit/playground';
import { startTestApp } from '../support/stack';

const cardText = (m: { attachments: { content?: unknown }[]; text?: string }): string =>
  [m.text ?? '', ...m.attachments.map((a) => JSON.stringify(a.content ?? ''))].join('\n');

/** Megan Bowen (the demo's global admin) as the domain sees her. */
const meganActor = (): Actor => {
  const megan = DEMO_USERS[0];
  return {
    tenantId: DEMO_TENANT_ID,
    userId: megan.id,
    name: megan.name,
    roles: new Set(megan.roles),
  };
};

/** A claim of Megan's on the demo fund, for an activity that ended two days ago. */
function demoClaim(
  app: RunningApp,
  formId: string,
  info: { title: string; activityType: 'webinar' | 'event'; amountMinor: number },
  now = new Date(),
): Promise<Claim> {
  return app.services.claims.create(DEMO_TENANT_ID, formId, (seq) =>
    createClaim({
      actor: meganActor(),
      seq,
      formId,
      fund: { id: 'demo-fund', currency: 'USD' },
      now: now.toISOString(),
      info: {
        title: info.title,
        activityType: info.activityType,
        activityStart: addDays(isoDay(now), -9),
        activityEnd: addDays(isoDay(now), -2),
        amount: { minor: info.amountMinor, currency: 'USD' },
        description: '',
        additionalInfo: '',
      },
    }),
  );
}

describe('e2e: Co-op Claims in the Agents Playground', function () {
  this.timeout(90_000);
  let app: RunningApp;
  let playground: Playground;
  let config: PlaygroundConfig;

  before(async () => {
    // Files come from a loopback server standing in for OneDrive.
    app = await startTestApp({ ALLOWED_DOWNLOAD_HOSTS: '127.0.0.1' });
    await seedDemo(app.services);
    playground = await startPlayground({ botEndpoint: `${app.url}/api/messages` });
    config = await playground.config();
  });
  after(async () => {
    await playground?.stop();
    await app?.stop();
  });

  describe('through the HTTP API', () => {
    it('answers "claims" in the personal chat with the overview card and the fund totals', async () => {
      const chat = config.personalChat.id;
      await playground.install(chat);
      await playground.sendMessage(chat, config.currentUser.id, 'claims');
      const answer = await playground.waitForBotMessage(
        (m) => m.conversationId === chat && /Your claims/.test(cardText(m)),
      );
      assert.match(cardText(answer), /FY27 Co-op fund/);
      assert.match(cardText(answer), /Remaining/);
    });

    it('a group-chat request mentioning a colleague sends them the request in a 1:1 chat', async () => {
      const claim = await demoClaim(app, 'e2e-request', {
        title: 'Partner webinar',
        activityType: 'webinar',
        amountMinor: 150_000,
      });
      const adele = config.users.find((u) => u.name === 'Adele Vance');
      assert.ok(adele, 'Adele Vance is in the playground organisation');
      const group = config.groupChats[0].id;
      await playground.install(group);
      await playground.sendMessage(
        group,
        config.currentUser.id,
        `<at>${config.bot.name}</at> request <at>${adele.name}</at> invoice for ${claim.number} the agency invoice please`,
        [
          { id: config.bot.id, name: config.bot.name },
          { id: adele.id, name: adele.name },
        ],
      );
      const confirmation = await playground.waitForBotMessage(
        (m) => m.conversationId === group && /Asked Adele Vance/.test(cardText(m)),
      );
      assert.match(cardText(confirmation), new RegExp(claim.number));
      // Adele never talked to the bot: it opens her 1:1 chat (visible on the log stream).
      await playground.waitForLog((e) => e.activityName === 'createConversation');
      const created = playground.createdConversations();
      assert.ok(
        created.some((c) => c.members.some((m) => m.id === adele.id || m.id === adele.aadObjectId)),
        `createConversation for Adele: ${JSON.stringify(created.map((c) => c.members))}`,
      );
      const stored = await app.services.claims.get(DEMO_TENANT_ID, claim.number);
      assert.deepEqual(
        stored?.uploadRequests.map((r) => [r.to.name, r.types.join(',')]),
        [['Adele Vance', 'invoice']],
      );
    });
  });

  describe('through the web UI in headless Chromium', () => {
    let browser: Browser;
    let page: Page;

    before(async () => {
      browser = await launchChromium();
      page = await openPlayground(browser, playground.url);
      await openPersonalChat(page);
    });
    after(async () => {
      await browser?.close();
    });

    it('creates a claim by filling in and clicking the New claim card', async () => {
      await typeMessage(page, 'new claim');
      const form = await waitForCard(page, 'Create claim');
      const today = new Date();
      const title = `UI webinar ${today.getTime()}`;
      await fillInput(form, 'Title', title);
      await fillInput(form, 'Activity start', addDays(isoDay(today), -10));
      await fillInput(form, 'Activity end', addDays(isoDay(today), -3));
      await fillInput(form, 'Amount', '2,500.00');
      await fillInput(form, 'Description', 'Created by clicking the card');
      await clickCardButton(form, 'Create claim');
      const claimCard = await waitForCard(page, title);
      const text = await claimCard.innerText();
      assert.match(text, /CLM-\d{4}/);
      assert.match(text, /Editing/);
      assert.match(text, /\$2,500\.00/);
      await screenshot(page, testScreenshotPath('e2e-create-claim.png'));
      const number = /CLM-\d{4}/.exec(text)?.[0] as string;
      const stored = await app.services.claims.get(DEMO_TENANT_ID, number);
      assert.equal(stored?.title, title);
      assert.equal(stored?.owner.name, 'Megan Bowen');
      assert.equal(stored?.amount.minor, 250_000);
    });

    it('adds a metric on the claim card (Action.ShowCard, then Action.Execute) and the card updates', async () => {
      const form = await waitForCard(page, 'Add metric');
      await clickCardButton(form, 'Add metric');
      await fillInput(form, 'Metric', 'Attendees');
      await fillInput(form, 'Value', '120');
      // The ShowCard's own button has the same title as the one that opened it: the last is inside.
      await form.getByRole('button', { name: 'Add metric', exact: true }).last().click();
      const updated = await waitForCard(page, /Attendees:?\s*120/);
      assert.match(await updated.innerText(), /added a metric/);
    });

    it('files a PDF sent in the 1:1 chat (a file activity injected as Teams sends it) and answers with the claim card', async () => {
      const pdf = Buffer.from(
        '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n',
      );
      const server = http.createServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/pdf' });
        res.end(pdf);
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      try {
        const port = (server.address() as AddressInfo).port;
        const { number } = await demoClaim(app, 'e2e-file', {
          title: 'Catering claim',
          activityType: 'event',
          amountMinor: 50_000,
        });
        await playground.sendFile(config.personalChat.id, config.currentUser.id, {
          name: 'agency-invoice.pdf',
          downloadUrl: `http://127.0.0.1:${port}/download/agency-invoice.pdf`,
          text: `${number} invoice: catering for the event`,
        });
        const answer = await playground.waitForBotMessage((m) =>
          cardText(m).includes('Added agency-invoice.pdf'),
        );
        assert.match(cardText(answer), /catering for the event/);
        const stored = await app.services.claims.get(DEMO_TENANT_ID, number);
        const document = stored?.documents.find((d) => d.fileName === 'agency-invoice.pdf');
        assert.equal(document?.type, 'invoice');
        assert.equal(document?.sha256, createHash('sha256').update(pdf).digest('hex'));
      } finally {
        server.close();
      }
    });

    it('a reviewer requests information; the owner sees the feedback card and resubmits', async () => {
      const owner = meganActor();
      const now = new Date();
      const at = now.toISOString();
      const doc = (id: string, type: 'invoice' | 'poe') => ({
        id,
        type,
        fileName: `${id}.pdf`,
        blobName: `${DEMO_TENANT_ID}/e2e/${id}.pdf`,
        size: 10,
        contentType: 'application/pdf',
        sha256: 'x'.repeat(64),
        explanation: `${type} for the review test`,
      });
      const created = await demoClaim(
        app,
        'e2e-review',
        { title: 'Review loop webinar', activityType: 'webinar', amountMinor: 90_000 },
        now,
      );
      const withProof = (c: Claim): Claim =>
        addMetric(
          addDocument(
            addDocument(c, owner, doc('inv', 'invoice'), at),
            owner,
            doc('poe', 'poe'),
            at,
          ),
          owner,
          { name: 'Attendees', value: 80 },
          at,
        );
      const ready = await app.services.claims.update(
        DEMO_TENANT_ID,
        created.number,
        'e2e-ready',
        (c) =>
          submit(
            withProof(c),
            owner,
            { remaining: { minor: 5_000_000, currency: 'USD' }, reviewers: [] },
            at,
          ),
      );
      // The claim card in the group chat, where the reviewer Isaiah Langer is a member too.
      const isaiah = config.users.find((u) => u.name === 'Isaiah Langer');
      assert.ok(isaiah);
      const group = config.groupChats[0].id;
      const sent = await playground.sendMessage(
        group,
        config.currentUser.id,
        `<at>${config.bot.name}</at> claim ${ready.number}`,
        [{ id: config.bot.id, name: config.bot.name }],
      );
      const posted = await playground.waitForBotMessage(
        (m) =>
          m.conversationId === group &&
          m.timestamp >= sent.timestamp &&
          cardText(m).includes('Review loop webinar'),
      );
      for (const [verb, data] of [
        ['startReview', {}],
        ['requestInformation', { note: 'Please add the attendee list' }],
      ] as const) {
        const answer = await playground.invoke({
          conversationId: group,
          fromId: isaiah.id,
          replyToId: posted.messageId,
          verb,
          data: { claim: ready.number, ...data },
        });
        assert.equal(
          answer.type,
          'application/vnd.microsoft.card.adaptive',
          JSON.stringify(answer),
        );
      }
      // Megan, the owner, sees the feedback card in her chat with the bot, and resubmits.
      const feedback = await waitForCard(page, /Please add the attendee list/);
      assert.match(await feedback.innerText(), /Isaiah Langer needs more information/);
      await clickCardButton(feedback, 'Open claim');
      const claimCard = await waitForCard(page, /Action required/);
      await clickCardButton(claimCard, 'Submit claim');
      // Isaiah has no chat with the bot here, and the Playground opens none: told when he opens it.
      await waitForCard(page, /Submitted\. The reviewers are told in their chat with the bot/);
      const stored = await app.services.claims.get(DEMO_TENANT_ID, ready.number);
      assert.equal(stored?.status, 'submitted');
      // People's steps (the bot's own notes say whose notification waits for them).
      const steps = stored?.history.filter((e) => e.kind !== 'notificationWaiting');
      assert.deepEqual(steps?.map((e) => e.kind).slice(-3), [
        'reviewStarted',
        'informationRequested',
        'submitted',
      ]);
    });
  });
});
