/**
 * End-to-end support: runs the Microsoft 365 Agents Playground (the offline Teams client + Bot Connector
 * emulator of @microsoft/m365agentsplayground) headless against a bot endpoint, and talks to it through
 * its HTTP API and its two WebSockets (transcript and request log).
 *
 * The playground keeps all state in memory: start one per suite, stop it in `after`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

const REPO_ROOT = findRepoRoot(__dirname);
const CLI = path.join(REPO_ROOT, 'node_modules', '@microsoft', 'm365agentsplayground', 'cli.js');

/**
 * Preloaded into the playground process: it calls `server.listen(port)` (all interfaces); this makes
 * every listen without an explicit host bind 127.0.0.1 only.
 */
const LOOPBACK_PRELOAD =
  'data:text/javascript,' +
  encodeURIComponent(
    [
      "import net from 'node:net';",
      'const listen = net.Server.prototype.listen;',
      'net.Server.prototype.listen = function (...args) {',
      "  if (typeof args[0] === 'number' && typeof args[1] !== 'string') args.splice(1, 0, '127.0.0.1');",
      "  else if (args[0] && typeof args[0] === 'object' && !('host' in args[0]) && !('path' in args[0]) &&",
      "    !('fd' in args[0]) && !('_handle' in args[0]) && !('handle' in args[0]))",
      "    args[0] = { ...args[0], host: '127.0.0.1' };",
      '  return listen.apply(this, args);',
      '};',
    ].join('\n'),
  );

// ---------------------------------------------------------------------------------------------------
// Types of the playground's API (as far as the tests need them)

export interface PlaygroundUser {
  id: string;
  name: string;
  userPrincipleName: string;
  aadObjectId: string;
  givenName: string;
  surname: string;
  email: string;
}

/** `GET /_internal/v1/config` → `.config`: the organisation of .m365agentsplayground.yml. */
export interface PlaygroundConfig {
  tenantId: string;
  bot: { id: string; name: string };
  currentUser: PlaygroundUser;
  /** The 5 other users (not the current user). */
  users: PlaygroundUser[];
  personalChat: { id: string; name: string };
  groupChats: { id: string; name: string; members: string[] }[];
  teams: {
    id: string;
    name: string;
    aadGroupId: string;
    /** The first is General; its id is the team id. */
    channels: { id: string; name: string; channelType: string }[];
    members: string[];
  }[];
}

export interface CardAttachment {
  contentType: string;
  content: unknown;
}

/** One event of the transcript WebSocket (`createMessage` / `updateMessage`). */
export interface TranscriptMessage {
  action: 'createMessage' | 'updateMessage';
  /**
   * Its conversation: a chat id, or in a channel the thread `<channel id>;messageid=<root id>`. A
   * message that starts a new thread (the bot posting to the channel itself) has the channel id here
   * and the new thread in `postConversationId`.
   */
  conversationId: string;
  postConversationId?: string;
  messageId: string;
  timestamp: number;
  from: { id: string };
  text?: string;
  textFormat?: string;
  attachments: CardAttachment[];
  attachmentLayout?: string;
  mentions: unknown[];
  suggestedActions?: unknown;
  [key: string]: unknown;
}

/** One item of the log WebSocket: every request between the playground and the bot, plus notes. */
export interface LogEntry {
  /** 'bot' for a request/response, 'text' for a note. */
  type: string;
  id: string;
  timestamp: number;
  displayText?: string;
  /**
   * e.g. 'installationUpdate', 'conversationUpdate', 'message', 'invoke' (playground → bot) and
   * 'message', 'createConversation', 'getConversationMember' (bot → playground).
   */
  activityName?: string;
  conversationId?: string;
  from?: string;
  to?: string;
  request?: unknown;
  response?: { statusCode?: number; body?: unknown };
  [key: string]: unknown;
}

/** An activity the bot sent to the playground's connector (from the log stream). */
export interface BotActivity {
  type: string;
  conversation: { id: string; [key: string]: unknown };
  text?: string;
  attachments?: CardAttachment[];
  [key: string]: unknown;
}

/** A createConversation call of the bot (proactive 1:1), from the log stream. */
export interface CreatedConversation {
  /** e.g. `16b1a14a-…@test.user` (the playground's format, not Teams' `a:…`). */
  conversationId: string;
  members: { id: string; [key: string]: unknown }[];
  statusCode?: number;
  request: Record<string, unknown>;
}

export interface SendResult {
  messageId: string;
  /** Set when the message was posted to a channel: the new thread's conversation id (bot replies go there). */
  postConversationId?: string;
  timestamp: number;
}

export interface TeamsFile {
  name: string;
  downloadUrl: string;
  /** Default: the name's extension. */
  fileType?: string;
  /** Default: a random GUID. */
  uniqueId?: string;
  /** Default: the downloadUrl (Teams sends the SharePoint URL). */
  contentUrl?: string;
  /** Message text sent with the file (default ''). */
  text?: string;
}

export interface InvokeOptions {
  conversationId: string;
  fromId: string;
  /** messageId of the card's message. */
  replyToId: string;
  verb?: string;
  data?: Record<string, unknown>;
  /** Overrides the whole `value.action` (default `{ type: 'Action.Execute', verb, data }`). */
  action?: Record<string, unknown>;
}

/** The playground's answer to an `adaptiveCard/action` invoke: the bot's invoke response body. */
export interface InvokeResult {
  type?: string;
  /** For `application/vnd.microsoft.card.adaptive`: the card that replaced the old one. */
  value?: unknown;
  [key: string]: unknown;
}

export interface WaitOptions {
  timeoutMs?: number;
}

export interface Playground {
  /** http://127.0.0.1:PORT — the web UI and the API. */
  url: string;
  port: number;
  /** The .m365agentsplayground.yml that was loaded. */
  configPath: string;
  logFile: string;
  /** The bot's connector base as the playground tells the bot (`serviceUrl`). */
  serviceUrl: string;
  stop(): Promise<void>;
  /** `GET /_internal/v1/config` (waits until the bot endpoint answers, up to 15 s). */
  config(): Promise<PlaygroundConfig>;
  /**
   * A user sends a message. Personal chat: always goes to the bot; group chat / channel: only when
   * the bot is among `mentions`. A mention missing from `text` as `<at>Name</at>` is prepended.
   *
   * From the current user it goes through the playground's own API (as typed in its UI; it appears
   * in the transcript and, in a channel, starts a thread: see `postConversationId`). The playground
   * sends every such message as the current user whatever `from.id` says, so a message from any
   * other user is built from the playground's activity template and sent as a custom activity: the
   * bot gets it (with from.id/name/aadObjectId of that user); it does not appear in the UI.
   */
  sendMessage(
    conversationId: string,
    fromId: string,
    text: string,
    mentions?: { id: string; name: string }[],
  ): Promise<SendResult>;
  /**
   * Clicks an Action.Execute: `adaptiveCard/action` invoke; resolves with the bot's invoke response.
   * Like the playground, a returned card replaces the message's card (in `botMessages()` too).
   */
  invoke(opts: InvokeOptions): Promise<InvokeResult>;
  /** Clicks an Action.Submit: the bot receives a message activity with `value`. */
  submit(opts: {
    conversationId: string;
    fromId: string;
    replyToId: string;
    value: Record<string, unknown>;
  }): Promise<void>;
  /**
   * `POST /_internal/v1/customActivities`: any activity, sent to the bot as is (the playground answers
   * at once and posts it to the bot afterwards).
   */
  sendCustomActivity(activity: Record<string, unknown>): Promise<void>;
  /**
   * A user sends a file in a chat, as Teams delivers it: a message with an
   * `application/vnd.microsoft.teams.file.download.info` attachment (the playground's UI cannot).
   * Serve the file yourself on 127.0.0.1 and give its `downloadUrl`.
   */
  sendFile(conversationId: string, fromId: string, file: TeamsFile): Promise<SendResult>;
  /**
   * `POST /_debug/conversation/:id/installation`: what the UI does when a chat is opened: the bot gets
   * an installationUpdate (add) and a conversationUpdate (membersAdded: the bot).
   */
  install(conversationId: string): Promise<void>;
  /** `GET /_internal/v1/customActivities/template`: a base activity from the current user. */
  activityTemplate(conversationId: string, type?: string): Promise<Record<string, unknown>>;
  /** Every event of the transcript WebSocket so far (bot messages; updates as separate events). */
  transcript(): TranscriptMessage[];
  /**
   * The bot's messages so far, in order, each in its latest state (updateMessage applied). Only the
   * current user's conversations: a proactive 1:1 to another user shows up in `log()` only.
   */
  botMessages(conversationId?: string): TranscriptMessage[];
  /** Resolves with the first bot message (latest state) matching `predicate`, existing or future. */
  waitForBotMessage(
    predicate: (m: TranscriptMessage) => boolean,
    opts?: WaitOptions,
  ): Promise<TranscriptMessage>;
  /**
   * Every activity the bot sent through the connector so far, in any conversation (also the 1:1
   * chats of other users, which the transcript never shows), oldest first.
   */
  botActivities(conversationId?: string): BotActivity[];
  waitForBotActivity(
    predicate: (a: BotActivity) => boolean,
    opts?: WaitOptions,
  ): Promise<BotActivity>;
  /** The bot's createConversation calls so far. */
  createdConversations(): CreatedConversation[];
  /** Every log item so far (requests bot ↔ playground). */
  log(): LogEntry[];
  waitForLog(predicate: (e: LogEntry) => boolean, opts?: WaitOptions): Promise<LogEntry>;
}

export interface StartPlaygroundOptions {
  /** e.g. http://127.0.0.1:3978/api/messages */
  botEndpoint: string;
  /** Where the playground writes its log (default: a new temp dir). */
  logFile?: string;
  /** Default: the repo's .m365agentsplayground.yml. Must exist (the playground would silently fall back). */
  configPath?: string;
  /** Default: a free loopback port. */
  port?: number;
  /** Default 'msteams'. */
  channelId?: string;
  /** Max time to wait for `Listening on N` (default 20 s). */
  startTimeoutMs?: number;
}

// ---------------------------------------------------------------------------------------------------

export async function startPlayground(opts: StartPlaygroundOptions): Promise<Playground> {
  if (!existsSync(CLI)) throw new Error(`Agents Playground not installed: ${CLI} missing (npm ci)`);
  const configPath = path.resolve(
    opts.configPath ?? path.join(REPO_ROOT, '.m365agentsplayground.yml'),
  );
  if (!existsSync(configPath)) throw new Error(`Playground config missing: ${configPath}`);
  const logFile =
    opts.logFile ?? path.join(mkdtempSync(path.join(tmpdir(), 'playground-')), 'playground.log');

  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = opts.port ?? (await freeLoopbackPort());
    const serviceUrl = `http://127.0.0.1:${port}/_connector`;
    const child = spawn(
      process.execPath,
      [
        '--import',
        LOOPBACK_PRELOAD,
        CLI,
        '--app-endpoint',
        opts.botEndpoint,
        '--channel-id',
        opts.channelId ?? 'msteams',
        '--port',
        String(port),
        '--service-url',
        serviceUrl,
        '--disable-telemetry',
      ],
      {
        cwd: path.dirname(configPath),
        env: {
          ...process.env,
          TEAMSAPPTESTER_BROWSER: 'none',
          APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
          M365_AGENTS_PLAYGROUND_LOGFILE: logFile,
          M365_AGENTS_PLAYGROUND_CONFIG_PATH: configPath,
          M365_AGENTS_PLAYGROUND_ENABLE_EVENTS_RECORDING: 'false',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    // Never leave the playground running when the test process ends without stop() (a crash,
    // process.exit, mocha --exit).
    const killOnExit = () => void child.kill('SIGKILL');
    process.once('exit', killOnExit);
    child.once('exit', () => process.off('exit', killOnExit));
    try {
      const listening = await waitForListening(child, opts.startTimeoutMs ?? 20_000);
      if (listening !== port) {
        // Someone took the port between our probe and its listen: it picked another one, and the
        // serviceUrl we gave no longer points at it.
        await killChild(child);
        lastError = new Error(`playground listened on ${listening} instead of ${port}`);
        if (opts.port !== undefined) throw lastError;
        continue;
      }
      return await connect(child, port, configPath, logFile, serviceUrl);
    } catch (e) {
      await killChild(child);
      throw e;
    }
  }
  throw lastError instanceof Error ? lastError : new Error('could not start the playground');
}

async function connect(
  child: ChildProcess,
  port: number,
  configPath: string,
  logFile: string,
  serviceUrl: string,
): Promise<Playground> {
  const url = `http://127.0.0.1:${port}`;
  const events: TranscriptMessage[] = [];
  const latest = new Map<string, TranscriptMessage>();
  const order: string[] = [];
  const waiters = new Set<() => void>();
  const notify = () => waiters.forEach((w) => w());
  // config() waits for the bot endpoint; the transcript needs the bot id at once: read it from the file.
  const botId = botIdOf(readFileSync(configPath, 'utf8'));

  // Connect both streams first: the playground holds messages until a client connects and then sends
  // them to that first client only.
  const transcriptWs = await RawWebSocket.connect(
    `${url}/_ws_conversation/v1/conversations/stream`,
  );
  transcriptWs.onMessage((text) => {
    const raw = safeJson(text) as {
      action?: string;
      actionConversationId?: string;
      message?: Record<string, unknown>;
    };
    if (!raw?.message || (raw.action !== 'createMessage' && raw.action !== 'updateMessage')) return;
    const m = {
      ...(raw.message as object),
      action: raw.action,
      conversationId: raw.actionConversationId ?? '',
    } as TranscriptMessage;
    events.push(m);
    const prev = latest.get(m.messageId);
    if (!prev) order.push(m.messageId);
    latest.set(m.messageId, prev ? { ...prev, ...m, conversationId: prev.conversationId } : m);
    notify();
  });
  const logStream = await connectLogStream(url);
  logStream.onEntry(() => notify());

  let stopped = false;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const api = async <T>(method: string, p: string, body?: unknown): Promise<T> => {
    const res = await fetch(url + p, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`playground ${method} ${p} → ${res.status}: ${text}`);
    return (text ? safeJson(text) : undefined) as T;
  };

  let configPromise: Promise<PlaygroundConfig> | undefined;
  const cachedConfig = () =>
    (configPromise ??= playground.config().catch((e: unknown) => {
      configPromise = undefined;
      throw e;
    }));

  /** A message activity from any user of the config, built on the playground's own template. */
  const sendMessageActivity = async (
    conversationId: string,
    fromId: string,
    extra: { text: string; mentions?: unknown[]; attachments?: unknown[] },
  ): Promise<SendResult> => {
    const config = await cachedConfig();
    const user = [config.currentUser, ...config.users].find((u) => u.id === fromId);
    if (!user) throw new Error(`no user ${fromId} in the playground config`);
    const template = await playground.activityTemplate(conversationId);
    const timestamp = Date.now();
    const id = `custom-${timestamp}-${randomBytes(4).toString('hex')}`;
    const templateEntities = Array.isArray(template.entities) ? template.entities : [];
    await playground.sendCustomActivity({
      ...template,
      type: 'message',
      id,
      timestamp: new Date(timestamp).toISOString(),
      localTimestamp: new Date(timestamp).toISOString(),
      from: { id: user.id, name: user.name, aadObjectId: user.aadObjectId },
      text: extra.text,
      textFormat: 'plain',
      ...(extra.attachments ? { attachments: extra.attachments } : {}),
      entities: [...(extra.mentions ?? []), ...templateEntities],
    });
    return { messageId: id, timestamp };
  };

  const waitFor = <T>(
    find: () => T | undefined,
    what: () => string,
    timeoutMs = 10_000,
  ): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const check = () => {
        let found: T | undefined;
        try {
          found = find();
        } catch (e) {
          cleanup();
          reject(e instanceof Error ? e : new Error(String(e)));
          return;
        }
        if (found === undefined) return;
        cleanup();
        resolve(found);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what()}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    });

  const botMessagesSync = (id: string, conversationId?: string) =>
    order
      .map((k) => latest.get(k) as TranscriptMessage)
      .filter(
        (m) =>
          m.from.id === id &&
          (conversationId === undefined ||
            m.conversationId === conversationId ||
            m.postConversationId === conversationId),
      );

  const playground: Playground = {
    url,
    port,
    configPath,
    logFile,
    serviceUrl,
    async stop() {
      if (stopped) return;
      stopped = true;
      transcriptWs.close();
      logStream.close();
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
    async config() {
      const res = await api<{ config: PlaygroundConfig }>('GET', '/_internal/v1/config');
      return res.config;
    },
    async sendMessage(conversationId, fromId, text, mentions) {
      let fullText = text;
      for (const m of [...(mentions ?? [])].reverse()) {
        const tag = `<at>${m.name}</at>`;
        if (!fullText.includes(tag)) fullText = `${tag} ${fullText}`;
      }
      const config = await cachedConfig();
      if (fromId !== config.currentUser.id) {
        return sendMessageActivity(conversationId, fromId, {
          text: fullText,
          mentions: (mentions ?? []).map((m) => ({
            type: 'mention',
            mentioned: { id: m.id, name: m.name },
            text: `<at>${m.name}</at>`,
          })),
        });
      }
      return api<SendResult>(
        'POST',
        `/_conversation/v1/conversations/${encodeURIComponent(conversationId)}/messages`,
        {
          from: { id: fromId },
          text: fullText,
          textFormat: 'plain',
          ...(mentions?.length
            ? {
                mentions: mentions.map((m) => ({
                  mentioned: { id: m.id, name: m.name },
                  text: `<at>${m.name}</at>`,
                })),
              }
            : {}),
        },
      );
    },
    async invoke(o) {
      const action = o.action ?? { type: 'Action.Execute', verb: o.verb, data: o.data ?? {} };
      const result = await api<InvokeResult>('POST', '/_conversation/v1/invoke', {
        name: 'adaptiveCard/action',
        conversation: { id: o.conversationId },
        from: { id: o.fromId },
        replyToId: o.replyToId,
        value: { action, trigger: 'manual' },
      });
      // The playground swaps the card in its store without a transcript event: mirror it.
      const message = latest.get(o.replyToId);
      if (message && message.attachments.length === 1 && result?.value !== undefined) {
        latest.set(o.replyToId, {
          ...message,
          action: 'updateMessage',
          attachments: [{ ...message.attachments[0], content: result.value }],
        });
        notify();
      }
      return result;
    },
    async install(conversationId) {
      await api<unknown>(
        'POST',
        `/_debug/conversation/${encodeURIComponent(conversationId)}/installation`,
        {},
      );
    },
    activityTemplate(conversationId, type) {
      const q = new URLSearchParams({ conversationId, ...(type ? { type } : {}) });
      return api<Record<string, unknown>>('GET', `/_internal/v1/customActivities/template?${q}`);
    },
    async submit(o) {
      await api<unknown>('POST', '/_conversation/v1/submit', {
        conversation: { id: o.conversationId },
        from: { id: o.fromId },
        replyToId: o.replyToId,
        value: o.value,
      });
    },
    async sendCustomActivity(activity) {
      await api<unknown>('POST', '/_internal/v1/customActivities', activity);
    },
    sendFile(conversationId, fromId, file) {
      const fileType = file.fileType ?? path.extname(file.name).replace(/^\./, '').toLowerCase();
      return sendMessageActivity(conversationId, fromId, {
        text: file.text ?? '',
        attachments: [
          {
            contentType: 'application/vnd.microsoft.teams.file.download.info',
            contentUrl: file.contentUrl ?? file.downloadUrl,
            name: file.name,
            content: {
              downloadUrl: file.downloadUrl,
              uniqueId: file.uniqueId ?? randomUUID(),
              fileType,
            },
          },
        ],
      });
    },
    transcript: () => [...events],
    botMessages: (conversationId) => botMessagesSync(botId, conversationId),
    waitForBotMessage(predicate, o) {
      return waitFor(
        () => botMessagesSync(botId).find(predicate),
        () =>
          `a bot message matching the predicate; bot messages so far:\n${botMessagesSync(botId)
            .map((m) => `  [${m.conversationId}] ${summary(m.text, m.attachments)}`)
            .join('\n')}`,
        o?.timeoutMs,
      );
    },
    botActivities: (conversationId) =>
      botActivitiesOf(logStream.entries()).filter(
        (a) => conversationId === undefined || a.conversation.id === conversationId,
      ),
    waitForBotActivity(predicate, o) {
      return waitFor(
        () => botActivitiesOf(logStream.entries()).find(predicate),
        () =>
          `a bot activity matching the predicate; bot activities so far:\n${botActivitiesOf(
            logStream.entries(),
          )
            .map((a) => `  [${a.conversation.id}] ${a.type} ${summary(a.text, a.attachments)}`)
            .join('\n')}`,
        o?.timeoutMs,
      );
    },
    createdConversations: () =>
      logStream
        .entries()
        .filter((e) => e.activityName === 'createConversation' && e.from === FROM_BOT)
        .map((e) => {
          const request = (requestBody(e) ?? {}) as Record<string, unknown>;
          const body = e.response?.body as { id?: string } | undefined;
          return {
            conversationId: body?.id ?? String(e.messageId ?? ''),
            members: (request.members ?? []) as CreatedConversation['members'],
            statusCode: e.response?.statusCode,
            request,
          };
        }),
    log: () => logStream.entries(),
    waitForLog(predicate, o) {
      return waitFor(
        () => logStream.entries().find(predicate),
        () => `a log entry matching the predicate (${logStream.entries().length} entries so far)`,
        o?.timeoutMs,
      );
    },
  };
  return playground;
}

// ---------------------------------------------------------------------------------------------------
// Log stream

export interface LogStream {
  entries(): LogEntry[];
  onEntry(listener: (e: LogEntry) => void): void;
  waitFor(predicate: (e: LogEntry) => boolean, opts?: WaitOptions): Promise<LogEntry>;
  close(): void;
}

/**
 * Collects every item of `ws://HOST/_ws/log/stream` (each request between the playground and the bot,
 * including the bot's proactive createConversation / sends to other users' chats).
 * `baseUrl` is the playground's http://127.0.0.1:PORT.
 */
export async function connectLogStream(baseUrl: string): Promise<LogStream> {
  const ws = await RawWebSocket.connect(`${baseUrl}/_ws/log/stream`);
  const items: LogEntry[] = [];
  const listeners = new Set<(e: LogEntry) => void>();
  ws.onMessage((text) => {
    const raw = safeJson(text) as { logAction?: string; log?: LogEntry } | undefined;
    if (!raw?.log) return;
    items.push(raw.log);
    listeners.forEach((l) => l(raw.log as LogEntry));
  });
  return {
    entries: () => [...items],
    onEntry: (l) => void listeners.add(l),
    waitFor(predicate, opts) {
      const timeoutMs = opts?.timeoutMs ?? 10_000;
      const found = items.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          listeners.delete(l);
          reject(new Error(`timed out after ${timeoutMs} ms waiting for a log entry`));
        }, timeoutMs);
        const l = (e: LogEntry) => {
          if (!predicate(e)) return;
          clearTimeout(timer);
          listeners.delete(l);
          resolve(e);
        };
        listeners.add(l);
      });
    },
    close: () => ws.close(),
  };
}

// ---------------------------------------------------------------------------------------------------
// A minimal WebSocket client (RFC 6455, text frames, no extensions): Node 20 has no global WebSocket
// without --experimental-websocket, and `ws` is not a dependency of ours.

class RawWebSocket {
  private buffer: Buffer = Buffer.alloc(0);
  private fragments: Buffer[] = [];
  private listeners: ((text: string) => void)[] = [];
  private closed = false;

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => (this.closed = true));
  }

  static connect(httpUrl: string, timeoutMs = 10_000): Promise<RawWebSocket> {
    const u = new URL(httpUrl);
    const key = randomBytes(16).toString('base64');
    return new Promise((resolve, reject) => {
      const req = http.request({
        host: u.hostname,
        port: u.port,
        path: u.pathname + u.search,
        headers: {
          Connection: 'Upgrade',
          Upgrade: 'websocket',
          'Sec-WebSocket-Key': key,
          'Sec-WebSocket-Version': '13',
        },
        timeout: timeoutMs,
      });
      req.on('upgrade', (_res, socket: net.Socket, head: Buffer) => {
        socket.setNoDelay(true);
        const ws = new RawWebSocket(socket);
        if (head.length) ws.receive(head);
        resolve(ws);
      });
      req.on('response', (res) => {
        res.resume();
        reject(new Error(`WebSocket ${httpUrl}: HTTP ${res.statusCode} instead of 101`));
      });
      req.on('timeout', () => req.destroy(new Error(`WebSocket ${httpUrl}: timeout`)));
      req.on('error', reject);
      req.end();
    });
  }

  onMessage(listener: (text: string) => void): void {
    this.listeners.push(listener);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.socket.write(RawWebSocket.frame(0x8, Buffer.from([0x03, 0xe8])));
    } catch {
      // already gone
    }
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 200).unref();
  }

  private receive(chunk: Buffer): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    for (;;) {
      if (this.buffer.length < 2) return;
      const b0 = this.buffer[0];
      const b1 = this.buffer[1];
      const fin = (b0 & 0x80) !== 0;
      const opcode = b0 & 0x0f;
      const masked = (b1 & 0x80) !== 0;
      let len = b1 & 0x7f;
      let offset = 2;
      if (len === 126) {
        if (this.buffer.length < 4) return;
        len = this.buffer.readUInt16BE(2);
        offset = 4;
      } else if (len === 127) {
        if (this.buffer.length < 10) return;
        len = Number(this.buffer.readBigUInt64BE(2));
        offset = 10;
      }
      const maskOffset = offset;
      if (masked) offset += 4;
      if (this.buffer.length < offset + len) return;
      let payload = this.buffer.subarray(offset, offset + len);
      if (masked) {
        const mask = this.buffer.subarray(maskOffset, maskOffset + 4);
        payload = Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]));
      }
      this.buffer = this.buffer.subarray(offset + len);
      this.handleFrame(fin, opcode, payload);
    }
  }

  private handleFrame(fin: boolean, opcode: number, payload: Buffer): void {
    switch (opcode) {
      case 0x0: // continuation
      case 0x1: // text
      case 0x2: {
        // binary
        this.fragments.push(Buffer.from(payload));
        if (!fin) return;
        const text = Buffer.concat(this.fragments).toString('utf8');
        this.fragments = [];
        for (const l of this.listeners) {
          try {
            l(text);
          } catch {
            // a listener's error must not break the stream
          }
        }
        return;
      }
      case 0x8: // close
        if (!this.closed) {
          this.closed = true;
          this.socket.write(RawWebSocket.frame(0x8, payload.subarray(0, 2)));
          this.socket.end();
        }
        return;
      case 0x9: // ping
        if (!this.closed) this.socket.write(RawWebSocket.frame(0xa, payload));
        return;
      default: // pong and reserved opcodes
        return;
    }
  }

  /** A client frame: FIN set, masked (RFC 6455 §5.3). */
  private static frame(opcode: number, payload: Buffer): Buffer {
    const mask = randomBytes(4);
    const len = payload.length;
    const header =
      len < 126
        ? Buffer.from([0x80 | opcode, 0x80 | len])
        : len < 65536
          ? Buffer.from([0x80 | opcode, 0x80 | 126, len >> 8, len & 0xff])
          : (() => {
              const h = Buffer.alloc(10);
              h[0] = 0x80 | opcode;
              h[1] = 0x80 | 127;
              h.writeBigUInt64BE(BigInt(len), 2);
              return h;
            })();
    const body = Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]));
    return Buffer.concat([header, mask, body]);
  }
}

// ---------------------------------------------------------------------------------------------------
// helpers

function findRepoRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'node_modules'))) {
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}

/** `from` of a log item for a request the bot made. */
const FROM_BOT = 'User Application';

function requestBody(e: LogEntry): unknown {
  return (e.request as { body?: unknown } | undefined)?.body;
}

function botActivitiesOf(entries: LogEntry[]): BotActivity[] {
  const out: BotActivity[] = [];
  for (const e of entries) {
    if (e.type !== 'bot' || e.from !== FROM_BOT) continue;
    const body = requestBody(e) as Partial<BotActivity> | undefined;
    if (typeof body?.type === 'string' && typeof body.conversation?.id === 'string') {
      out.push(body as BotActivity);
    }
  }
  return out;
}

/** `bot.id` of a .m365agentsplayground.yml (a tiny reader: the file is flat block YAML). */
export function botIdOf(yaml: string): string {
  const m = /^bot:[^\S\n]*\n(?:[^\S\n]+.*\n)*?[^\S\n]+id:[^\S\n]*(.+?)[^\S\n]*$/m.exec(yaml);
  if (!m) throw new Error('no bot.id in the playground config');
  return m[1].replace(/^(['"])(.*)\1$/, '$2');
}

function summary(text: string | undefined, attachments: CardAttachment[] | undefined): string {
  const card = attachments?.length ? ` ${JSON.stringify(attachments[0].content)}` : '';
  return `${text ?? ''}${card}`.slice(0, 160);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A port that was free on 127.0.0.1 a moment ago. */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function waitForListening(child: ChildProcess, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(
      () => done(new Error(`playground did not start in ${timeoutMs} ms: ${out}${err}`)),
      timeoutMs,
    );
    const onOut = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /Listening on (\d+)/.exec(out);
      if (m) done(undefined, Number(m[1]));
    };
    const onErr = (chunk: Buffer) => {
      err += chunk.toString();
    };
    const onExit = (code: number | null) =>
      done(new Error(`playground exited (${code}) before listening: ${out}${err}`));
    const done = (e?: Error, port?: number) => {
      clearTimeout(timer);
      child.stdout?.off('data', onOut);
      child.off('exit', onExit);
      // keep draining the pipes so the child never blocks on a full pipe
      child.stdout?.resume();
      child.stderr?.resume();
      if (e) reject(e);
      else resolve(port as number);
    };
    child.stdout?.on('data', onOut);
    child.stderr?.on('data', onErr);
    child.once('exit', onExit);
  });
}

async function killChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}
