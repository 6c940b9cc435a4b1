/**
 * Proves the end-to-end support (test/support/playground.ts, test/support/browser.ts) and the demo
 * organisation (.m365agentsplayground.yml) work, with a tiny botbuilder bot instead of Co-op Claims:
 * through the playground's HTTP API and through its web UI in headless Chromium.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ActivityHandler,
  CardFactory,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type Activity,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type ConversationParameters,
  type TurnContext,
} from 'botbuilder';
import type { Browser, Page } from 'playwright-core';
import {
  clickCardButton,
  cards,
  fillInput,
  launchChromium,
  openPersonalChat,
  openPlayground,
  readInput,
  screenshot,
  testScreenshotPath,
  typeMessage,
  waitForCard,
} from '../../testkit/browser';
import { startPlayground, type Playground, type PlaygroundConfig } from '../../testkit/playground';

const CARD_TYPE = 'application/vnd.microsoft.card.adaptive';
const FILE_TYPE = 'application/vnd.microsoft.teams.file.download.info';
const SCREENSHOT = testScreenshotPath('playground-smoke.png');

function newClaimCard(): Record<string, unknown> {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body: [
      { type: 'TextBlock', text: 'New claim', weight: 'Bolder', size: 'Medium' },
      {
        type: 'Input.Text',
        id: 'title',
        label: 'Title',
        isRequired: true,
        errorMessage: 'Required',
      },
      { type: 'Input.Date', id: 'activityStart', label: 'Activity start' },
      {
        type: 'Input.ChoiceSet',
        id: 'fund',
        label: 'Fund',
        style: 'compact',
        choices: [
          { title: 'FY27 Co-op fund', value: 'fy27' },
          { title: 'FY26 Co-op fund', value: 'fy26' },
        ],
      },
    ],
    actions: [{ type: 'Action.Execute', title: 'Create claim', verb: 'createClaim' }],
  };
}

/**
 * Answers a message with the New claim card; Action.Execute "createClaim" → "Created <title>"; a file
 * → "file <name>"; "notify <user id>" → a proactive 1:1 chat with that user.
 */
class CardBot extends ActivityHandler {
  readonly received: Partial<Activity>[] = [];

  constructor(private readonly adapter: CloudAdapter) {
    super();
    this.onMessage(async (context, next) => {
      const activity = context.activity;
      this.received.push(activity);
      const file = activity.attachments?.find((a) => a.contentType === FILE_TYPE);
      const notify = /^notify (\S+)$/.exec(activity.text ?? '');
      if (file) {
        await context.sendActivity(`file ${file.name}`);
      } else if (notify) {
        await this.adapter.createConversationAsync(
          '',
          activity.channelId,
          activity.serviceUrl,
          '',
          {
            isGroup: false,
            bot: activity.recipient,
            members: [{ id: notify[1], name: '' }],
            tenantId: activity.conversation.tenantId,
            channelData: { tenant: { id: activity.conversation.tenantId } },
          } as ConversationParameters,
          async (proactive) => {
            await proactive.sendActivity('You have a new upload request');
          },
        );
        await context.sendActivity('notified');
      } else {
        await context.sendActivity({ attachments: [CardFactory.adaptiveCard(newClaimCard())] });
      }
      await next();
    });
    this.onConversationUpdate(async (context, next) => {
      this.received.push(context.activity);
      await next();
    });
  }

  protected override async onAdaptiveCardInvoke(
    context: TurnContext,
    invokeValue: AdaptiveCardInvokeValue,
  ): Promise<AdaptiveCardInvokeResponse> {
    this.received.push(context.activity);
    const data = (invokeValue.action.data ?? {}) as Record<string, string | undefined>;
    return {
      statusCode: 200,
      type: CARD_TYPE,
      value: {
        type: 'AdaptiveCard',
        version: '1.5',
        body: [
          { type: 'TextBlock', text: `Created ${data.title}`, weight: 'Bolder' },
          {
            type: 'TextBlock',
            text: `${data.activityStart ?? 'no date'} · ${data.fund ?? 'no fund'}`,
          },
        ],
      },
    };
  }
}

interface TestBot {
  endpoint: string;
  bot: CardBot;
  close(): Promise<void>;
}

/** The bot on 127.0.0.1, port 0, no app id (the playground's connector needs no token). */
async function startCardBot(): Promise<TestBot> {
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const bot = new CardBot(adapter);
  adapter.onTurnError = async (_context, error) => {
    console.error('test bot turn error', error);
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const response = {
        socket: req.socket,
        status: (code: number) => void (res.statusCode = code),
        header: (name: string, value: unknown) => void res.setHeader(name, String(value)),
        send: (body?: unknown) => {
          if (body === undefined) return;
          if (typeof body !== 'string') res.setHeader('content-type', 'application/json');
          res.write(typeof body === 'string' ? body : JSON.stringify(body));
        },
        end: () => void res.end(),
      };
      adapter
        .process(
          { body: text ? JSON.parse(text) : undefined, headers: req.headers, method: req.method },
          response,
          (context) => bot.run(context),
        )
        .catch((e: unknown) => {
          console.error('test bot', e);
          if (!res.headersSent) res.statusCode = 500;
          res.end();
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}/api/messages`,
    bot,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function cardText(content: unknown): string {
  return JSON.stringify(content);
}

describe('Agents Playground end-to-end support (smoke, with a tiny bot)', function () {
  let testBot: TestBot;
  let playground: Playground;
  let config: PlaygroundConfig;
  let browser: Browser | undefined;
  let page: Page | undefined;

  before(async function () {
    this.timeout(30_000);
    testBot = await startCardBot();
    playground = await startPlayground({ botEndpoint: testBot.endpoint });
    config = await playground.config();
  });

  after(async function () {
    this.timeout(20_000);
    await page?.context().close();
    await browser?.close();
    await playground?.stop();
    await testBot?.close();
  });

  it('loads the Contoso demo organisation from .m365agentsplayground.yml', function () {
    assert.equal(config.currentUser.name, 'Megan Bowen');
    assert.equal(config.users.length, 5);
    assert.equal(config.groupChats[0].name, 'Contoso marketing');
    assert.equal(config.teams[0].channels[0].name, 'General');
    assert.equal(config.bot.name, 'Co-op Claims');
  });

  it('HTTP API: a message gets the card; Action.Execute answers with the card that replaces it', async function () {
    this.timeout(15_000);
    const chat = config.personalChat.id;
    const sent = await playground.sendMessage(chat, config.currentUser.id, 'hello');
    const message = await playground.waitForBotMessage(
      (m) => m.conversationId === chat && cardText(m.attachments[0]?.content).includes('New claim'),
    );
    assert.equal(message.attachments[0].contentType, CARD_TYPE);
    assert.ok(Number(message.messageId) >= Number(sent.messageId));

    const incoming = testBot.bot.received.find((a) => a.type === 'message' && a.text === 'hello');
    assert.equal(incoming?.from?.aadObjectId, config.currentUser.aadObjectId);
    assert.equal(incoming?.conversation?.conversationType, 'personal');
    assert.equal(incoming?.conversation?.tenantId, config.tenantId);

    const result = await playground.invoke({
      conversationId: chat,
      fromId: config.currentUser.id,
      replyToId: message.messageId,
      verb: 'createClaim',
      data: { title: 'API webinar', activityStart: '2026-10-01', fund: 'fy27' },
    });
    assert.equal(result.type, CARD_TYPE);
    assert.match(cardText(result.value), /Created API webinar/);
    const updated = playground.botMessages(chat).find((m) => m.messageId === message.messageId);
    assert.match(cardText(updated?.attachments[0].content), /Created API webinar/);
  });

  it('HTTP API: an @mention in the group chat and a message from another user reach the bot', async function () {
    this.timeout(15_000);
    const group = config.groupChats[0].id;
    const bot = { id: config.bot.id, name: config.bot.name };
    await playground.sendMessage(group, config.currentUser.id, 'claims', [bot]);
    const adele = config.users.find((u) => u.name === 'Adele Vance');
    assert.ok(adele);
    await playground.sendMessage(group, adele.id, 'review', [bot]);
    await playground.waitForBotMessage(
      (m) => m.conversationId === group && playground.botMessages(group).length >= 2,
    );

    const fromMegan = testBot.bot.received.find((a) => a.text === '<at>Co-op Claims</at> claims');
    assert.equal(fromMegan?.conversation?.conversationType, 'groupChat');
    assert.equal(fromMegan?.entities?.[0]?.mentioned?.id, config.bot.id);
    const fromAdele = testBot.bot.received.find((a) => a.text === '<at>Co-op Claims</at> review');
    assert.equal(fromAdele?.from?.aadObjectId, adele.aadObjectId);
    assert.equal(fromAdele?.conversation?.id, group);
  });

  it('HTTP API: a file in the personal chat; a proactive 1:1 to another user shows in the log', async function () {
    this.timeout(15_000);
    const chat = config.personalChat.id;
    await playground.sendFile(chat, config.currentUser.id, {
      name: 'invoice.pdf',
      downloadUrl: 'http://127.0.0.1:9/invoice.pdf',
    });
    await playground.waitForBotMessage(
      (m) => m.conversationId === chat && m.text === 'file invoice.pdf',
    );
    const upload = testBot.bot.received.find((a) => a.attachments?.length);
    assert.equal(upload?.from?.aadObjectId, config.currentUser.aadObjectId);
    assert.equal(upload?.attachments?.[0].content?.fileType, 'pdf');

    const isaiah = config.users.find((u) => u.name === 'Isaiah Langer');
    assert.ok(isaiah);
    await playground.sendMessage(chat, config.currentUser.id, `notify ${isaiah.id}`);
    const note = await playground.waitForBotActivity(
      (a) => a.text === 'You have a new upload request',
    );
    const [created] = playground.createdConversations();
    assert.equal(created.members[0].id, isaiah.id);
    assert.equal(note.conversation.id, created.conversationId);
    // Another user's chat: in the log stream only, never in the current user's transcript.
    assert.ok(playground.botMessages().every((m) => m.conversationId !== created.conversationId));
  });

  it('browser: type in the personal chat, fill the card, Create claim replaces it', async function () {
    this.timeout(60_000);
    browser = await launchChromium();
    page = await openPlayground(browser, playground.url);
    await openPersonalChat(page);
    await typeMessage(page, 'hello');

    const card = await waitForCard(page, 'New claim');
    await fillInput(card, 'Title', 'Spring webinar');
    await fillInput(card, 'Activity start', '2026-10-01');
    await fillInput(card, 'Fund', 'FY26 Co-op fund');
    assert.equal(await readInput(card, 'Activity start'), '2026-10-01');
    assert.equal(await readInput(card, 'Fund'), 'FY26 Co-op fund');
    await clickCardButton(card, 'Create claim');

    const created = await waitForCard(page, 'Created Spring webinar');
    assert.match(await created.innerText(), /2026-10-01 · fy26/);
    assert.equal(await cards(page).filter({ hasText: 'New claim' }).count(), 0);
    const invoke = testBot.bot.received.filter((a) => a.type === 'invoke').pop();
    assert.deepEqual((invoke?.value as { action: { data: unknown } }).action.data, {
      title: 'Spring webinar',
      activityStart: '2026-10-01',
      fund: 'fy26',
    });
    await screenshot(page, SCREENSHOT);
  });
});
