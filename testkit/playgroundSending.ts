/** What a user does in the Agents Playground: send a message or a file, click a card's action. */
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import type { PlaygroundApi, PlaygroundRequests } from './playgroundHttp';
import type { Transcript } from './playgroundTranscript';
import type {
  InvokeResult,
  Playground,
  PlaygroundConfig,
  SendResult,
  TeamsFile,
} from './playgroundTypes';

type Mention = { id: string; name: string };

export interface UserActionsOptions {
  api: PlaygroundApi;
  requests: Pick<PlaygroundRequests, 'activityTemplate' | 'sendCustomActivity'>;
  /** The playground's config (asked once). */
  config: () => Promise<PlaygroundConfig>;
  /** Where a card an invoke returns replaces the old one. */
  transcript: Transcript;
}

export type UserActions = Pick<Playground, 'sendMessage' | 'sendFile' | 'invoke'>;

export function userActions(o: UserActionsOptions): UserActions {
  return {
    async sendMessage(conversationId, fromId, text, mentions = []) {
      const fullText = withMentionTags(text, mentions);
      const config = await o.config();
      if (fromId !== config.currentUser.id) {
        return sendMessageActivity(o, {
          conversationId,
          fromId,
          text: fullText,
          mentions: mentions.map((m) => ({ type: 'mention', ...mentionOf(m) })),
        });
      }
      return o.api<SendResult>(
        'POST',
        `/_conversation/v1/conversations/${encodeURIComponent(conversationId)}/messages`,
        {
          from: { id: fromId },
          text: fullText,
          textFormat: 'plain',
          ...(mentions.length ? { mentions: mentions.map(mentionOf) } : {}),
        },
      );
    },
    async invoke(io) {
      const action = io.action ?? { type: 'Action.Execute', verb: io.verb, data: io.data ?? {} };
      const result = await o.api<InvokeResult>('POST', '/_conversation/v1/invoke', {
        name: 'adaptiveCard/action',
        conversation: { id: io.conversationId },
        from: { id: io.fromId },
        replyToId: io.replyToId,
        value: { action, trigger: 'manual' },
      });
      // The playground swaps the card in its store without a transcript event: mirror it.
      if (result?.value !== undefined) o.transcript.replaceCard(io.replyToId, result.value);
      return result;
    },
    sendFile(conversationId, fromId, file) {
      return sendMessageActivity(o, {
        conversationId,
        fromId,
        text: file.text ?? '',
        attachments: [fileAttachment(file)],
      });
    },
  };
}

/** `text` with `<at>Name</at>` in front for each mention it does not name yet, in mention order. */
function withMentionTags(text: string, mentions: Mention[]): string {
  let fullText = text;
  for (const m of [...mentions].reverse()) {
    const tag = `<at>${m.name}</at>`;
    if (!fullText.includes(tag)) fullText = `${tag} ${fullText}`;
  }
  return fullText;
}

function mentionOf(m: Mention) {
  return { mentioned: { id: m.id, name: m.name }, text: `<at>${m.name}</at>` };
}

/** A Teams file message's attachment for `file` (as Teams sends it, not the playground's UI). */
function fileAttachment(file: TeamsFile) {
  return {
    contentType: 'application/vnd.microsoft.teams.file.download.info',
    contentUrl: file.contentUrl ?? file.downloadUrl,
    name: file.name,
    content: {
      downloadUrl: file.downloadUrl,
      uniqueId: file.uniqueId ?? randomUUID(),
      fileType: file.fileType ?? path.extname(file.name).replace(/^\./, '').toLowerCase(),
    },
  };
}

interface MessageActivity {
  conversationId: string;
  /** Any user of the config. */
  fromId: string;
  text: string;
  mentions?: unknown[];
  attachments?: unknown[];
}

/**
 * A message activity from any user of the config, built on the playground's own template and sent
 * as a custom activity (the playground's message API sends everything as the current user).
 */
async function sendMessageActivity(
  o: Pick<UserActionsOptions, 'config' | 'requests'>,
  message: MessageActivity,
): Promise<SendResult> {
  const config = await o.config();
  const user = [config.currentUser, ...config.users].find((u) => u.id === message.fromId);
  if (!user) throw new Error(`no user ${message.fromId} in the playground config`);
  const template = await o.requests.activityTemplate(message.conversationId);
  const timestamp = Date.now();
  const id = `custom-${timestamp}-${randomBytes(4).toString('hex')}`;
  const templateEntities = Array.isArray(template.entities) ? template.entities : [];
  await o.requests.sendCustomActivity({
    ...template,
    type: 'message',
    id,
    timestamp: new Date(timestamp).toISOString(),
    localTimestamp: new Date(timestamp).toISOString(),
    from: { id: user.id, name: user.name, aadObjectId: user.aadObjectId },
    text: message.text,
    textFormat: 'plain',
    ...(message.attachments ? { attachments: message.attachments } : {}),
    entities: [...(message.mentions ?? []), ...templateEntities],
  });
  return { messageId: id, timestamp };
}
