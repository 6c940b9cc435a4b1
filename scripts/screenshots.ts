import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { startApp } from '../src/app';
import { notificationCard } from '../src/bot/views/notification';
import { loadConfig } from '../src/config';
import type { Claim } from '../src/domain/claim';
import type { NotificationKind } from '../src/domain/notification';
import { DEMO_TENANT_ID, DEMO_USERS } from '../src/demo/seed';
import type { ClaimRepository } from '../src/store/claims';
import type { Locator } from 'playwright-core';
import { Theme, renderCard } from '../testkit/cardRenderer';
import {
  launchChromium,
  openGroupChat,
  openPlayground,
  searchMessageExtension,
  waitForCard,
} from '../testkit/browser';
import { startPlayground, type Playground, type TranscriptMessage } from '../testkit/playground';

/**
 * `npm run screenshots`: every main card of the README in Teams' light and dark theme, in en-US and
 * nl-NL, into docs/screenshots/ (`claim-detail.png`, `claim-detail.dark.png`, `claim-detail.nl.png`,
 * `claim-detail.nl.dark.png`). The cards are the app's own answers on the demo seed, asked for in
 * the Agents Playground through its API (once per language: LOCAL_LOCALE); they are then drawn with
 * the Adaptive Cards renderer and a Teams host config per theme (the Playground has no dark theme).
 * The compose-box search (`search.png`) and the card it shares (`search-shared.png`) are pictures
 * of the Playground's own UI, en-US and light only (the Playground has no dark theme or Dutch UI).
 * A card that cannot be made is reported and the others are still written (exit code 1).
 */
/** Teams' message column on a desktop client: how wide a card is shown in a chat. */
const TEAMS_CARD_WIDTH = 500;
const OUT = path.resolve(__dirname, '..', '..', 'docs', 'screenshots');
const LANGUAGES = [
  { locale: 'en-US', suffix: '' },
  { locale: 'nl-NL', suffix: '.nl' },
] as const;
const THEMES: readonly { theme: Theme; suffix: string }[] = [
  { theme: 'light', suffix: '' },
  { theme: 'dark', suffix: '.dark' },
];

interface Shot {
  readonly name: string;
  readonly card: unknown;
}

const CARD = 'application/vnd.microsoft.card.adaptive';
const cardOf = (m: TranscriptMessage): unknown =>
  m.attachments.find((a) => a.contentType === CARD)?.content;

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const failures: string[] = [];
  const shots: { suffix: string; shots: Shot[] }[] = [];
  for (const { locale, suffix } of LANGUAGES) {
    shots.push({ suffix, shots: await cardsIn(locale, failures) });
  }
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    for (const language of shots) {
      for (const shot of language.shots) {
        for (const { theme, suffix } of THEMES) {
          const file = `${shot.name}${language.suffix}${suffix}.png`;
          try {
            await renderCard(page, shot.card, {
              width: TEAMS_CARD_WIDTH,
              theme,
              png: path.join(OUT, file),
            });
            console.log(`wrote docs/screenshots/${file}`);
          } catch (e) {
            failures.push(`${file}: ${String(e)}`);
          }
        }
      }
    }
  } finally {
    await browser.close();
  }
  if (failures.length) {
    console.error(`not made:\n  ${failures.join('\n  ')}`);
    process.exitCode = 1;
  }
}

/** The cards of the demo seed as Megan Bowen (the demo's global admin) gets them in `locale`. */
async function cardsIn(locale: string, failures: string[]): Promise<Shot[]> {
  const app = await startApp(
    loadConfig({
      HOST: '127.0.0.1',
      PORT: '0',
      LOCAL_DATA_DIR: 'memory',
      DEMO_SEED: 'true',
      LOCAL_LOCALE: locale,
    }),
  );
  const playground = await startPlayground({ botEndpoint: `${app.url}/api/messages` });
  const shots: Shot[] = [];
  try {
    await app.invoices.idle();
    const config = await playground.config();
    const chat = config.personalChat.id;
    const me = config.currentUser.id;
    await playground.install(chat);
    await playground.waitForBotMessage((m) => m.conversationId === chat && !!cardOf(m));
    const inChat: PersonalChat = { playground, chat, me };
    const ask = (text: string, ready?: (card: string) => boolean) => askIn(inChat, text, ready);
    const claims = await demoClaims(app.services.claims);
    const take = async (name: string, make: () => Promise<unknown>) => {
      try {
        const card = await make();
        if (!card) throw new Error('no card');
        shots.push({ name, card });
      } catch (e) {
        failures.push(`${name} (${locale}): ${e instanceof Error ? e.message : String(e)}`);
      }
    };
    const documentsOf = (number: string) => documentsPage(inChat, number);
    const firstRequest = async () =>
      (await app.services.fundRequests.list(DEMO_TENANT_ID, { size: 1 }))[0].number;
    await takeAll({ ask, take, claims, documentsOf, firstRequest, locale });
    // The review inbox is a reviewer's: Megan is made one too, after every other card is taken.
    const megan = DEMO_USERS[0];
    await app.services.users.changeRole(
      DEMO_TENANT_ID,
      { id: megan.id, name: megan.name },
      { role: 'reviewer', change: 'grant', by: 'screenshots', at: new Date().toISOString() },
    );
    await take('review-inbox', () => ask('review'));
    if (locale === 'en-US') {
      const webinar = claims.byTitle('Azure migration webinar series').number;
      await searchShots(playground, webinar).catch((e: unknown) => {
        failures.push(`search (${locale}): ${e instanceof Error ? e.message : String(e)}`);
      });
    }
  } finally {
    await playground.stop();
    await app.invoices.idle();
    await app.stop();
  }
  return shots;
}

/** Megan's 1:1 chat with the bot in the Playground. */
interface PersonalChat {
  readonly playground: Playground;
  readonly chat: string;
  readonly me: string;
}

/** The first card the bot answers `text` with that passes `ready` (e.g. a finished export). */
async function askIn(
  { playground, chat, me }: PersonalChat,
  text: string,
  ready: (card: string) => boolean = () => true,
): Promise<unknown> {
  const sent = await playground.sendMessage(chat, me, text);
  const answer = await playground.waitForBotMessage(
    (m) =>
      m.conversationId === chat &&
      m.timestamp >= sent.timestamp &&
      !!cardOf(m) &&
      ready(JSON.stringify(cardOf(m))),
    { timeoutMs: 30_000 },
  );
  return cardOf(answer);
}

/** The Documents page of a claim: the Documents button of its claim card pressed. */
async function documentsPage(inChat: PersonalChat, number: string): Promise<unknown> {
  const { playground, chat, me } = inChat;
  const detail = await askIn(inChat, `claim ${number}`);
  const sent = playground
    .botMessages(chat)
    .filter((m) => cardOf(m) === detail)
    .at(-1);
  const action = findAction(detail, 'documentsPage');
  if (!sent || !action) throw new Error('no Documents button on the claim card');
  const answer = await playground.invoke({
    conversationId: chat,
    fromId: me,
    replyToId: sent.messageId,
    verb: 'documentsPage',
    data: action.data ?? {},
  });
  return answer.value;
}

interface Session {
  ask(text: string, ready?: (card: string) => boolean): Promise<unknown>;
  take(name: string, make: () => Promise<unknown>): Promise<void>;
  readonly claims: Awaited<ReturnType<typeof demoClaims>>;
  /** The Documents page of a claim (its claim card's Documents button pressed). */
  documentsOf(number: string): Promise<unknown>;
  firstRequest(): Promise<string>;
  readonly locale: string;
}

/**
 * The message extension in the Playground's UI: Megan searches her claims from the group chat's
 * compose box (`search.png`) and shares one; the card everybody there sees names no document and
 * carries no link (`search-shared.png`).
 */
async function searchShots(playground: Playground, number: string): Promise<void> {
  const browser = await launchChromium();
  try {
    const page = await openPlayground(browser, playground.url, {
      viewport: { width: 1280, height: 1600 },
    });
    await openGroupChat(page, 'Contoso marketing');
    const search = await searchMessageExtension(page, {
      commandId: 'searchClaims',
      parameter: 'query',
      text: 'webinar',
    });
    // The search panel and a card the user sent never settle (their focus rings animate): a
    // picture of where they are, animations off.
    const shootWhere = async (target: Locator, file: string) => {
      const clip = await target.boundingBox();
      if (!clip) throw new Error(`nothing showing for ${file}`);
      const still = { clip, animations: 'disabled', timeout: 60_000 } as const;
      await page.screenshot({ path: path.join(OUT, file), ...still });
      console.log(`wrote docs/screenshots/${file}`);
    };
    await shootWhere(search, 'search.png');
    await search.getByText(`${number} · `).click();
    await page.getByRole('button', { name: 'Send Message' }).click();
    await shootWhere(await waitForCard(page, 'Documents are shown only'), 'search-shared.png');
  } finally {
    await browser.close();
  }
}

/** Every card of the README, by the file name it gets. */
async function takeAll(s: Session): Promise<void> {
  const { ask, take, claims } = s;
  const series = () => claims.byTitle('Azure migration webinar series').number;
  await take('help', () => ask('help'));
  await take('claims-overview', () => ask('claims'));
  await take('new-claim', () => ask('new claim'));
  await take('funds', () => ask('funds'));
  await take('insights', () => ask('insights'));
  await take('claim-detail', () =>
    ask(`claim ${claims.byTitle('Security webinar with Contoso Media').number}`),
  );
  await take('claim-action-required', () =>
    ask(`claim ${claims.byStatus('actionRequired').number}`),
  );
  await take('claim-paid', () => ask(`claim ${claims.byStatus('paid').number}`));
  await take('history', () => ask(`history ${series()}`));
  await take('documents-list', () => s.documentsOf(series()));
  await take('export', () => ask(`export ${series()}`, (card) => card.includes('Action.OpenUrl')));
  await take('fund-request', async () => ask(`fund request ${await s.firstRequest()}`));
  const notice = (claim: Claim, kind: NotificationKind) => {
    const n = claim.outbox.find((x) => x.kind === kind);
    if (!n) throw new Error(`no ${kind} notification on ${claim.number}`);
    return Promise.resolve(notificationCard(n, claim, s.locale));
  };
  await take('upload-request', () =>
    notice(claims.byTitle('Partner roadshow Utrecht'), 'uploadRequested'),
  );
  await take('reviewer-feedback', () =>
    notice(claims.byStatus('actionRequired'), 'informationRequested'),
  );
}

/** The seeded claims, found by title or status (the seed dates and numbers them anew each run). */
async function demoClaims(repository: ClaimRepository) {
  const page = await repository.list(DEMO_TENANT_ID, { kind: 'tenant' }, { size: 50 });
  const all = (
    await Promise.all(page.items.map((s) => repository.get(DEMO_TENANT_ID, s.number)))
  ).filter((c): c is Claim => c !== undefined);
  const one = (what: string, c: Claim | undefined): Claim => {
    if (!c) throw new Error(`no seeded claim ${what}`);
    return c;
  };
  return {
    byTitle: (title: string) =>
      one(
        `"${title}"`,
        all.find((c) => c.title === title),
      ),
    byStatus: (status: Claim['status']) =>
      one(
        status,
        all.find((c) => c.status === status),
      ),
  };
}

/** The first Action.Execute with `verb` anywhere in a card. */
function findAction(card: unknown, verb: string): { data?: Record<string, unknown> } | undefined {
  if (Array.isArray(card)) {
    for (const item of card) {
      const found = findAction(item, verb);
      if (found) return found;
    }
    return undefined;
  }
  if (!card || typeof card !== 'object') return undefined;
  const o = card as Record<string, unknown>;
  if (o.type === 'Action.Execute' && o.verb === verb)
    return o as { data?: Record<string, unknown> };
  return findAction(Object.values(o), verb);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
