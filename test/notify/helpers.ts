import assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import type { RunningApp } from '../../src/app';
import { sdkUnderTest } from '../support/stack';
import { mayReceive } from '../../src/bot/flows/claimAccess';
import { renderForViewer } from '../../src/bot/flows/claimCards';
import { createEdge } from '../../src/bot/edges';
import { fallbackText, notificationCard } from '../../src/bot/views/notification';
import { Claim, DocumentType, createClaim, requestUploads } from '../../src/domain/claim';
import type { Recipient } from '../../src/domain/notification';
import type { Actor, Role } from '../../src/domain/roles';
import type { AdaptiveCard } from '../../cards';
import { Notifications, NotificationsOptions } from '../../src/notify/notifications';
import type { ConversationReference, Messenger } from '../../src/notify/messenger';
import type { ClaimRepository } from '../../src/store/claims';
import type { ConversationRepository } from '../../src/store/conversations';
import type { UserRepository } from '../../src/store/users';
import { World, WorldOptions, startWorld } from '../bot/world';
import { Recorded, RecordingConnector } from '../../testkit/connector';
import { Card, CARD_TYPE, Chat, TeamsClient, TeamsUser, cardText } from '../support/teams';

/** The repository root (this file runs from dist/test/notify). */
export const ROOT = path.resolve(__dirname, '../../..');

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it returns something truthy; fails the test with `what` on timeout. */
export async function waitUntil<T>(
  what: string,
  check: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  timeoutMs = 10_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(25);
  }
}

/**
 * Like test/bot/world.ts's startWorld, with extra environment: e.g. ALLOWED_DOWNLOAD_HOSTS, since
 * the test config points at the emulators and so is not local mode (downloads only from SharePoint).
 */
export function startNotifyWorld(
  opts: Pick<WorldOptions, 'bootstrapAdmins' | 'env' | 'storage'> = {},
): Promise<World> {
  return startWorld(opts);
}

// ---- what users received -----------------------------------------------------------------------

/** A notification card as its recipient sees it. */
export interface ReceivedCard {
  readonly activityId: string;
  readonly op: Recorded['op'];
  /** The small label on top: Upload request, Reminder, Request fulfilled, … */
  readonly kind: string;
  /** The claim the card's Open claim button opens. */
  readonly claim: string;
  readonly text: string;
  readonly card: Card;
}

function cardsOf(r: Recorded): Card[] {
  return ((r.activity.attachments ?? []) as { contentType: string; content: Card }[])
    .filter((a) => a.contentType === CARD_TYPE)
    .map((a) => a.content);
}

/** Notification cards sent into a conversation (Open claim button + kind label), oldest first. */
export function notificationCards(
  connector: RecordingConnector,
  conversationId: string,
  kind?: string,
): ReceivedCard[] {
  return connector.delivered(conversationId).flatMap((r) =>
    cardsOf(r).flatMap((card) => {
      const open = ((card.actions ?? []) as Card[]).find((a) => a.verb === 'openClaim');
      const label = (card.body as Card[] | undefined)?.[0]?.text;
      if (!open || typeof label !== 'string' || (kind && label !== kind)) return [];
      return [
        {
          activityId: r.activityId,
          op: r.op,
          kind: label,
          claim: String(open.data?.claim ?? ''),
          text: cardText(card),
          card,
        },
      ];
    }),
  );
}

export const uploadRequestCards = (c: RecordingConnector, conversationId: string) =>
  notificationCards(c, conversationId, 'Upload request');

/** The largest number of `times` inside any window [t, t + windowMs). */
export function maxInWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end] - sorted[start] >= windowMs) start += 1;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

/** Connector requests that write into a conversation (send/reply/update), by conversation id. */
export function writesByConversation(
  connector: RecordingConnector,
  from = 0,
): Map<string, { at: number; status: number }[]> {
  const byConversation = new Map<string, { at: number; status: number }[]>();
  for (const q of connector.requests.slice(from)) {
    const m = /\/v3\/conversations\/([^/]+)\/activities/.exec(q.path);
    if (!m || q.method === 'GET') continue;
    const id = decodeURIComponent(m[1]).split(';')[0];
    const list = byConversation.get(id) ?? [];
    list.push({ at: q.at, status: q.status });
    byConversation.set(id, list);
  }
  return byConversation;
}

// ---- seeding claims and people without the chat --------------------------------------------------

export const actorOf = (u: TeamsUser, roles: readonly Role[] = ['incentivesUser']): Actor => ({
  tenantId: u.tenantId,
  userId: u.aadObjectId,
  name: u.name,
  channelUserId: u.id,
  roles: new Set(roles),
});

export const recipientOf = (u: TeamsUser): Recipient => ({
  id: u.aadObjectId,
  name: u.name,
  channelUserId: u.id,
});

/** A claim in Editing owned by `owner`, stored directly (the chat flow has its own tests). */
export function seedClaim(
  claims: ClaimRepository,
  owner: TeamsUser,
  title: string,
  now = new Date().toISOString(),
): Promise<Claim> {
  return claims.create(owner.tenantId, randomUUID(), (seq) =>
    createClaim({
      actor: actorOf(owner),
      seq,
      formId: randomUUID(),
      fund: { id: 'fund-seeded', currency: 'USD' },
      info: {
        title,
        activityType: 'webinar',
        activityStart: '2026-01-05',
        activityEnd: '2026-01-06',
        amount: { minor: 10_000, currency: 'USD' },
        description: '',
        additionalInfo: '',
      },
      now,
    }),
  );
}

/** What TurnContext.getConversationReference gives for an activity in `chat` from `user`. */
export function referenceOf(
  teams: TeamsClient,
  user: TeamsUser,
  chat: Chat,
): Record<string, unknown> {
  return {
    activityId: `${Date.now()}`,
    user: { id: user.id, name: user.name, aadObjectId: user.aadObjectId },
    bot: { ...teams.bot },
    conversation: {
      id: chat.id,
      conversationType: chat.type,
      tenantId: chat.tenantId,
      ...(chat.type === 'personal' ? {} : { isGroup: true }),
    },
    channelId: 'msteams',
    locale: 'en-US',
    serviceUrl: teams.connector.serviceUrl,
  };
}

/** Stores the 1:1 chat reference as the bot does when the user talks to it. */
export async function storePersonalChat(
  conversations: ConversationRepository,
  teams: TeamsClient,
  user: TeamsUser,
): Promise<void> {
  await conversations.save({
    id: user.aadObjectId,
    tenantId: user.tenantId,
    conversationId: user.personal.id,
    locale: 'en-US',
    reference: referenceOf(teams, user, user.personal),
    updatedAt: new Date().toISOString(),
  });
}

/**
 * Stores `user` as an Incentives user, as `grant` does: the owner of seeded claims (an owner without
 * a role sees nothing of them, notifications included).
 */
export async function storeIncentivesUser(users: UserRepository, user: TeamsUser): Promise<void> {
  await users.changeRole(
    user.tenantId,
    { id: user.aadObjectId, name: user.name },
    { role: 'incentivesUser', change: 'grant', by: 'test', at: new Date().toISOString() },
  );
}

/** `owner` asks `to` for documents on a stored claim (the domain change, written as the bot does). */
export function seedRequest(
  claims: ClaimRepository,
  teams: TeamsClient,
  owner: TeamsUser,
  number: string,
  to: readonly TeamsUser[],
  opts: { types?: DocumentType[]; note?: string; origin?: Chat; now?: string } = {},
): Promise<Claim> {
  const now = opts.now ?? new Date().toISOString();
  return claims.update(owner.tenantId, number, `seed-request:${randomUUID()}`, (claim) =>
    requestUploads(
      claim,
      actorOf(owner),
      {
        to: to.map(recipientOf),
        types: opts.types ?? ['invoice'],
        note: opts.note ?? '',
        ...(opts.origin ? { origin: referenceOf(teams, owner, opts.origin) } : {}),
      },
      now,
    ),
  );
}

/** Notifications like the app's (same rendering, a TeamsMessenger over a local-mode CloudAdapter). */
export function dispatcherFor(
  app: RunningApp,
  options: Partial<Omit<NotificationsOptions, 'claims' | 'conversations'>> = {},
): Notifications {
  return new Notifications({
    claims: app.services.claims,
    conversations: app.services.conversations,
    messenger: createEdge(sdkUnderTest(), undefined).messenger,
    render: notificationCard,
    fallbackText,
    renderClaimFor: (claim, posted) => renderForViewer(app.services, claim, posted),
    mayReceive: (n, claim) => mayReceive(app.services, n, claim),
    instanceId: randomUUID(),
    ...options,
  });
}

/** Passes everything on and counts the notifications that went out through it. */
export class CountingMessenger implements Messenger {
  sent = 0;

  constructor(private readonly inner: Messenger) {}

  async send(reference: ConversationReference, card: AdaptiveCard): Promise<string | undefined> {
    const id = await this.inner.send(reference, card);
    this.sent += 1;
    return id;
  }

  async createPersonal(
    target: { tenantId: string; userId: string; serviceUrl: string },
    card: AdaptiveCard,
  ): Promise<ConversationReference> {
    const reference = await this.inner.createPersonal(target, card);
    this.sent += 1;
    return reference;
  }

  update(reference: ConversationReference, activityId: string, card: AdaptiveCard): Promise<void> {
    return this.inner.update(reference, activityId, card);
  }

  mention(
    reference: ConversationReference,
    user: { channelUserId: string; name: string },
    text: string,
  ): Promise<void> {
    return this.inner.mention(reference, user, text);
  }
}

// ---- the app as a child process ------------------------------------------------------------------

export interface ChildApp {
  readonly url: string;
  readonly proc: ChildProcess;
  output(): string;
  /** SIGKILL (a crash) by default; resolves once the process is gone. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

const running = new Set<ChildApp>();

/** Starts `node dist/src/main.js` with exactly these variables (plus PATH) and waits until it listens. */
export async function spawnApp(env: Record<string, string>, timeoutMs = 30_000): Promise<ChildApp> {
  const proc = spawn(process.execPath, [path.join(ROOT, 'dist/src/main.js')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const child: ChildApp = {
    url: '',
    proc,
    output: () => out,
    kill: async (signal = 'SIGKILL') => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      await exited;
      running.delete(child);
    },
  };
  running.add(child);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the app did not start within ${timeoutMs} ms:\n${out}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const m = /listening on (http:\/\/\S+)\/api\/messages/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', onData);
    proc.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the app exited (${code ?? signal}) before listening:\n${out}`));
    });
  }).catch(async (e: unknown) => {
    await child.kill();
    throw e;
  });
  return Object.assign(child, { url });
}

/** Kills every child app still running (after hooks). */
export async function killAll(): Promise<void> {
  await Promise.all([...running].map((c) => c.kill()));
}

// ---- a Cosmos DB endpoint that stops answering ---------------------------------------------------

/**
 * An HTTP proxy in front of the Cosmos emulator. After the first request matching `freezeAfter` has
 * been answered by Cosmos (the write is durable), every later request is held unanswered, as if
 * the process had stopped right after that write: the app learns its write succeeded, and nothing
 * it tries afterwards reaches the database.
 */
export class FreezingProxy {
  private frozen = false;
  private trigger: ((method: string, path: string, body: string) => boolean) | undefined;
  private onFrozen: (() => void) | undefined;
  /** Requests held since the freeze. */
  held = 0;

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
    private readonly target: URL,
  ) {}

  static async start(target: string): Promise<FreezingProxy> {
    const server = http.createServer({ keepAlive: true });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const proxy = new FreezingProxy(server, `http://127.0.0.1:${port}`, new URL(target));
    server.on('request', (req, res) => void proxy.handle(req, res));
    return proxy;
  }

  /** Resolves once a matching request was answered and everything after it is held. */
  freezeAfter(match: (method: string, path: string, body: string) => boolean): Promise<void> {
    this.trigger = match;
    return new Promise((resolve) => (this.onFrozen = resolve));
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    if (this.frozen) {
      this.held += 1;
      return; // never answered
    }
    const freezes = this.trigger?.(req.method ?? '', req.url ?? '', body.toString('utf8')) ?? false;
    const headers = { ...req.headers, host: this.target.host, 'content-length': body.length };
    delete headers['transfer-encoding'];
    const upstream = http.request(
      {
        host: this.target.hostname,
        port: this.target.port,
        method: req.method,
        path: req.url,
        headers,
      },
      (answer) => {
        const parts: Buffer[] = [];
        answer.on('data', (c: Buffer) => parts.push(c));
        answer.on('end', () => {
          if (freezes && (answer.statusCode ?? 500) < 300) {
            this.frozen = true;
            this.trigger = undefined;
            this.onFrozen?.();
          }
          const out = Buffer.concat(parts);
          const h = { ...answer.headers, 'content-length': out.length };
          delete h['transfer-encoding'];
          res.writeHead(answer.statusCode ?? 502, h);
          res.end(out);
        });
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    upstream.end(body);
  }
}

// ---- a file Teams would let the bot download -----------------------------------------------------

/** A loopback server handing out small PDFs, as Teams' downloadUrl does. */
export async function startFileServer(): Promise<{
  url: (name: string) => string;
  stop: () => Promise<void>;
}> {
  const server = http.createServer((req, res) => {
    const body = Buffer.from(
      `%PDF-1.4\n% ${req.url}\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n`,
    );
    res.writeHead(200, { 'content-type': 'application/pdf', 'content-length': body.length });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (name) => `http://127.0.0.1:${port}/files/${randomUUID()}/${encodeURIComponent(name)}`,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A message in the user's 1:1 chat with a Teams file attachment (what Teams sends for an upload). */
export function fileMessage(
  teams: TeamsClient,
  user: TeamsUser,
  text: string,
  name: string,
  downloadUrl: string,
): Record<string, unknown> {
  return {
    ...teams.message(user, user.personal, text),
    attachments: [
      {
        contentType: 'application/vnd.microsoft.teams.file.download.info',
        name,
        contentUrl: downloadUrl,
        content: { downloadUrl, uniqueId: randomUUID(), fileType: 'pdf' },
      },
    ],
  };
}
