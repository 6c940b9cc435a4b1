/** The Agents Playground's transcript: the messages of its chats, as its UI shows them. */
import { RawWebSocket } from './webSocket';
import { safeJson } from './playgroundLog';
import type { TranscriptMessage } from './playgroundTypes';

/** One frame of `ws://HOST/_ws_conversation/v1/conversations/stream`. */
interface TranscriptFrame {
  action?: string;
  actionConversationId?: string;
  message?: Record<string, unknown>;
}

/**
 * Every message event of the transcript stream, and each message in its latest state (an
 * `updateMessage` merged into the message it updates), in the order the messages first appeared.
 */
export class Transcript {
  private readonly events: TranscriptMessage[] = [];
  private readonly latest = new Map<string, TranscriptMessage>();
  private readonly order: string[] = [];

  /** `onChange` is told of every new event and of every card replaced. */
  constructor(private readonly onChange: () => void) {}

  /** Takes in one frame of the stream; anything but a message's creation or update is ignored. */
  receive(text: string): void {
    const raw = safeJson(text) as TranscriptFrame | undefined;
    if (!raw?.message || (raw.action !== 'createMessage' && raw.action !== 'updateMessage')) return;
    const m = {
      ...(raw.message as object),
      action: raw.action,
      conversationId: raw.actionConversationId ?? '',
    } as TranscriptMessage;
    this.events.push(m);
    const prev = this.latest.get(m.messageId);
    if (!prev) this.order.push(m.messageId);
    this.latest.set(m.messageId, prev ? { ...prev, ...m, conversationId: prev.conversationId } : m);
    this.onChange();
  }

  /** Every event so far (updates as separate events). */
  allEvents(): TranscriptMessage[] {
    return [...this.events];
  }

  /**
   * The messages `fromId` sent, each in its latest state, in order; with a `conversationId`, only
   * those of that conversation (or that started a thread there).
   */
  messagesFrom(fromId: string, conversationId?: string): TranscriptMessage[] {
    return this.order
      .map((k) => this.latest.get(k) as TranscriptMessage)
      .filter(
        (m) =>
          m.from.id === fromId &&
          (conversationId === undefined ||
            m.conversationId === conversationId ||
            m.postConversationId === conversationId),
      );
  }

  /**
   * The card of message `messageId` (one with a single attachment) becomes `card`, as the playground
   * swaps it in its store after an invoke without a transcript event. Another message stays as it is.
   */
  replaceCard(messageId: string, card: unknown): void {
    const message = this.latest.get(messageId);
    if (!message || message.attachments.length !== 1) return;
    this.latest.set(messageId, {
      ...message,
      action: 'updateMessage',
      attachments: [{ ...message.attachments[0], content: card }],
    });
    this.onChange();
  }
}

/** A transcript fed by the playground's transcript stream; `close` ends the stream. */
export interface TranscriptStream {
  transcript: Transcript;
  close(): void;
}

/**
 * Connects to the transcript stream of the playground at `baseUrl` (http://127.0.0.1:PORT).
 * Connect it before anything happens: the playground holds messages until a client connects and
 * then sends them to that first client only.
 */
export async function connectTranscript(
  baseUrl: string,
  onChange: () => void,
): Promise<TranscriptStream> {
  const ws = await RawWebSocket.connect(`${baseUrl}/_ws_conversation/v1/conversations/stream`);
  const transcript = new Transcript(onChange);
  ws.onMessage((text) => transcript.receive(text));
  return { transcript, close: () => ws.close() };
}
