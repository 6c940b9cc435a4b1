/**
 * End-to-end support: runs the Microsoft 365 Agents Playground (the offline Teams client + Bot Connector
 * emulator of @microsoft/m365agentsplayground) headless against a bot endpoint, and talks to it through
 * its HTTP API and its two WebSockets (transcript and request log).
 *
 * The playground keeps all state in memory: start one per suite, stop it in `after`.
 */
import { type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RawWebSocket } from './webSocket';
import {
  FROM_BOT,
  botActivitiesOf,
  connectLogStream,
  requestBody,
  safeJson,
  summary,
} from './playgroundLog';
import {
  CLI,
  REPO_ROOT,
  botIdOf,
  spawnPlayground,
  freeLoopbackPort,
  killChild,
  waitForListening,
} from './playgroundProcess';
import type {
  PlaygroundConfig,
  TranscriptMessage,
  CreatedConversation,
  SendResult,
  InvokeResult,
  Playground,
  StartPlaygroundOptions,
} from './playgroundTypes';

export type { Playground, PlaygroundConfig, TranscriptMessage } from './playgroundTypes';

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
    const child = spawnPlayground({
      port,
      serviceUrl,
      configPath,
      logFile,
      botEndpoint: opts.botEndpoint,
      channelId: opts.channelId ?? 'msteams',
    });
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
