/**
 * What a test reads from the Agents Playground: the bot's messages (transcript), the bot's activities
 * and createConversation calls (request log), the log itself; and waits for any of them.
 */
import { botActivitiesOf, createdConversationsOf, summary, type LogStream } from './playgroundLog';
import type { Transcript } from './playgroundTranscript';
import type { ChangeSignal } from './playgroundWaiting';
import type { Playground } from './playgroundTypes';

export interface ReadingOptions {
  /** The bot's id in the playground's config: whose messages are the bot's. */
  botId: string;
  transcript: Transcript;
  logStream: LogStream;
  /** Notified by the transcript and the log stream on every change. */
  changes: ChangeSignal;
}

export type PlaygroundReading = Pick<
  Playground,
  | 'transcript'
  | 'botMessages'
  | 'waitForBotMessage'
  | 'botActivities'
  | 'waitForBotActivity'
  | 'createdConversations'
  | 'log'
  | 'waitForLog'
>;

export function playgroundReading({
  botId,
  transcript,
  logStream,
  changes,
}: ReadingOptions): PlaygroundReading {
  const botActivities = () => botActivitiesOf(logStream.entries());
  return {
    transcript: () => transcript.allEvents(),
    botMessages: (conversationId) => transcript.messagesFrom(botId, conversationId),
    waitForBotMessage: (predicate, o) =>
      changes.waitFor({
        find: () => transcript.messagesFrom(botId).find(predicate),
        describe: () =>
          `a bot message matching the predicate; bot messages so far:\n${transcript
            .messagesFrom(botId)
            .map((m) => `  [${m.conversationId}] ${summary(m.text, m.attachments)}`)
            .join('\n')}`,
        timeoutMs: o?.timeoutMs,
      }),
    botActivities: (conversationId) =>
      botActivities().filter(
        (a) => conversationId === undefined || a.conversation.id === conversationId,
      ),
    waitForBotActivity: (predicate, o) =>
      changes.waitFor({
        find: () => botActivities().find(predicate),
        describe: () =>
          `a bot activity matching the predicate; bot activities so far:\n${botActivities()
            .map((a) => `  [${a.conversation.id}] ${a.type} ${summary(a.text, a.attachments)}`)
            .join('\n')}`,
        timeoutMs: o?.timeoutMs,
      }),
    createdConversations: () => createdConversationsOf(logStream.entries()),
    log: () => logStream.entries(),
    waitForLog: (predicate, o) =>
      changes.waitFor({
        find: () => logStream.entries().find(predicate),
        describe: () =>
          `a log entry matching the predicate (${logStream.entries().length} entries so far)`,
        timeoutMs: o?.timeoutMs,
      }),
  };
}
