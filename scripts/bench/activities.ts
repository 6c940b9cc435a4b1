import { randomBytes, randomUUID } from 'node:crypto';
import type { DirectoryUser } from '../../testkit/connector';
import { UNIQUE } from './load';

/**
 * Users, chats and the activities Teams posts to a bot: messages (with @mentions), Action.Execute
 * invokes and file messages. Activities are JSON templates: UNIQUE becomes a fresh id per turn.
 */

const BOT = { id: '28:coop-claims-bench', name: 'Co-op Claims' } as const;
export const CARD = 'application/vnd.microsoft.card.adaptive';
const FILE_DOWNLOAD_INFO = 'application/vnd.microsoft.teams.file.download.info';

export interface Chat {
  readonly id: string;
  readonly type: 'personal' | 'groupChat';
  readonly tenantId: string;
}

export interface BenchUser extends DirectoryUser {
  readonly personal: Chat;
}

const hex = (bytes: number): string => randomBytes(bytes).toString('hex');

export function makeUser(tenantId: string, name: string): BenchUser {
  const personal: Chat = { id: `a:1${hex(24)}`, type: 'personal', tenantId };
  return {
    id: `29:1${hex(20)}`,
    name,
    aadObjectId: randomUUID(),
    tenantId,
    personalConversationId: personal.id,
    personal,
  };
}

export const groupChat = (tenantId: string): Chat => ({
  id: `19:${hex(16)}@thread.v2`,
  type: 'groupChat',
  tenantId,
});

type Activity = Record<string, unknown>;

function envelope(serviceUrl: string, user: BenchUser, chat: Chat, type: string): Activity {
  const at = new Date().toISOString();
  return {
    type,
    id: UNIQUE,
    timestamp: at,
    localTimestamp: at,
    serviceUrl,
    channelId: 'msteams',
    from: { id: user.id, name: user.name, aadObjectId: user.aadObjectId },
    recipient: { ...BOT },
    conversation: {
      id: chat.id,
      conversationType: chat.type,
      tenantId: chat.tenantId,
      ...(chat.type === 'personal' ? {} : { isGroup: true }),
    },
    channelData: { tenant: { id: chat.tenantId } },
    locale: 'en-US',
    entities: [{ type: 'clientInfo', locale: 'en-US', country: 'US', platform: 'Web' }],
  };
}

/** The conversation reference the bot stores with a card it posted in the user's 1:1 chat. */
export const personalReference = (
  serviceUrl: string,
  user: BenchUser,
): Record<string, unknown> => ({
  user: { id: user.id, name: user.name, aadObjectId: user.aadObjectId },
  bot: { ...BOT },
  conversation: { id: user.personal.id, conversationType: 'personal', tenantId: user.tenantId },
  channelId: 'msteams',
  serviceUrl,
  locale: 'en-US',
});

const mention = (who: { id: string; name: string }) => ({
  type: 'mention',
  text: `<at>${who.name}</at>`,
  mentioned: { id: who.id, name: who.name },
});

/** A message; in a group chat the bot is @mentioned first, and `mentions` after it. */
export function message(
  serviceUrl: string,
  user: BenchUser,
  chat: Chat,
  text: string,
  mentions: readonly BenchUser[] = [],
): string {
  const activity = envelope(serviceUrl, user, chat, 'message');
  const group = chat.type !== 'personal';
  const people = [...(group ? [BOT] : []), ...mentions];
  (activity.entities as unknown[]).push(...people.map(mention));
  const full = group ? `<at>${BOT.name}</at> ${text}` : text;
  return JSON.stringify({ ...activity, text: full, textFormat: 'plain' });
}

/** An Action.Execute press (`adaptiveCard/action`), or a Universal Actions refresh (automatic). */
export function invoke(
  serviceUrl: string,
  user: BenchUser,
  chat: Chat,
  verb: string,
  data: Record<string, unknown>,
  opts: { replyToId?: string; trigger?: 'manual' | 'automatic' } = {},
): string {
  return JSON.stringify({
    ...envelope(serviceUrl, user, chat, 'invoke'),
    id: `f:${UNIQUE}`,
    name: 'adaptiveCard/action',
    replyToId: opts.replyToId ?? `1${hex(6)}`,
    value: { action: { type: 'Action.Execute', verb, data }, trigger: opts.trigger ?? 'manual' },
  });
}

/** A file sent in the 1:1 chat: Teams hands the bot a pre-authenticated download URL. */
export function fileMessage(
  serviceUrl: string,
  user: BenchUser,
  text: string,
  file: { name: string; downloadUrl: string },
): string {
  const activity = envelope(serviceUrl, user, user.personal, 'message');
  return JSON.stringify({
    ...activity,
    text,
    textFormat: 'plain',
    attachments: [
      {
        contentType: FILE_DOWNLOAD_INFO,
        contentUrl: file.downloadUrl,
        name: file.name,
        content: { downloadUrl: file.downloadUrl, uniqueId: randomUUID(), fileType: 'pdf' },
      },
    ],
  });
}
