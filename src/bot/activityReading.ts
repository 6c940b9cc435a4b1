import { createHash } from 'node:crypto';
import type { IncomingFile } from '../store/uploads';
import { CARD, InboundActivity, Mention } from './edge';
import type { Scope } from './turn';

/** What the bot reads off an incoming activity: its key, files, tenant, scope and command. */

export { CARD };
const FILE_DOWNLOAD_INFO = 'application/vnd.microsoft.teams.file.download.info';

/**
 * The activity's key for what it writes (idempotency, document and blob names): Teams ids are per
 * chat (in a 1:1 chat the millisecond of posting), so two people can send the same id; the key is
 * the id scoped by chat and sender, and a Teams retry (same chat, sender and id) has the same key.
 */
export function activityKey(a: InboundActivity, userId: string): string {
  const id = a.id ?? String(a.timestamp);
  return createHash('sha256')
    .update(JSON.stringify([a.conversation?.id ?? '', userId, id]))
    .digest('hex')
    .slice(0, 32);
}

/** Files in a message: Teams file attachments (1:1 chat only) and pasted images. */
export function incomingFiles(activity: InboundActivity): IncomingFile[] {
  const files: IncomingFile[] = [];
  for (const a of activity.attachments ?? []) {
    const content = a.content as { downloadUrl?: unknown } | undefined;
    if (a.contentType === FILE_DOWNLOAD_INFO && typeof content?.downloadUrl === 'string') {
      files.push({ name: a.name ?? 'file', downloadUrl: content.downloadUrl });
    } else if (a.contentType?.startsWith('image/') && a.contentUrl) {
      files.push({ name: a.name ?? 'image.png', downloadUrl: a.contentUrl });
    }
  }
  return files;
}

/** The tenant an activity comes from (Teams puts it in the conversation and in channelData). */
export function tenantOf(a: InboundActivity): string | undefined {
  const tenantId: unknown = a.conversation?.tenantId ?? a.channelData?.tenant?.id;
  return typeof tenantId === 'string' ? tenantId : undefined;
}

/** A person-to-person chat (`personal`, but not the user's chat with the bot) is a shared chat. */
export function scopeOf(conversationType: string | undefined, ownChat: boolean): Scope {
  if (conversationType === 'personal') return ownChat ? 'personal' : 'groupChat';
  return conversationType === 'channel' ? 'channel' : 'groupChat';
}

/** The message without the bot's @mention, other mention markup, HTML and extra spaces. */
export function commandText(a: InboundActivity): string {
  const text = a.text ?? '';
  const botMention = mentionsOf(a).find((m) => m.mentioned?.id === a.recipient?.id)?.text;
  const withoutBot = botMention ? text.replace(botMention, '').trim() : text;
  return withoutBot
    .replace(/<at>.*?<\/at>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/gi, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The command a card button sends for the user (Action.Submit with `data.command`, as `attach`'s
 * list has): the same as typing it, with the same rights.
 */
export function buttonCommand(a: InboundActivity): string {
  const command = (a.value as { command?: unknown } | undefined)?.command;
  return typeof command === 'string' ? command.replace(/\s+/g, ' ').trim().slice(0, 500) : '';
}

/** A message that holds an Adaptive Card and no command: a card a user shared into the chat. */
export const isSharedCard = (a: InboundActivity): boolean =>
  (a.attachments ?? []).some((attachment) => attachment.contentType === CARD) &&
  commandText(a) === '';

/** The @mentions of an activity (its `mention` entities). */
export const mentionsOf = (a: InboundActivity): Mention[] =>
  (a.entities ?? []).filter((e) => e.type?.toLowerCase() === 'mention');
