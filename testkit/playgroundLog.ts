/** The Agents Playground's request log: every request between it and the bot, as a stream. */
import { RawWebSocket } from './webSocket';
import type { CardAttachment, LogEntry, BotActivity, CreatedConversation } from './playgroundTypes';

export interface LogStream {
  entries(): LogEntry[];
  onEntry(listener: (e: LogEntry) => void): void;
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
    close: () => ws.close(),
  };
}

/** `from` of a log item for a request the bot made. */
export const FROM_BOT = 'User Application';

export function requestBody(e: LogEntry): unknown {
  return (e.request as { body?: unknown } | undefined)?.body;
}

export function botActivitiesOf(entries: LogEntry[]): BotActivity[] {
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

/** The bot's createConversation calls among `entries` (proactive 1:1 chats), oldest first. */
export function createdConversationsOf(entries: LogEntry[]): CreatedConversation[] {
  return entries
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
    });
}

export function summary(
  text: string | undefined,
  attachments: CardAttachment[] | undefined,
): string {
  const card = attachments?.length ? ` ${JSON.stringify(attachments[0].content)}` : '';
  return `${text ?? ''}${card}`.slice(0, 160);
}

export function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
