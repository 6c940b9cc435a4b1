import type { AdaptiveCard } from '../../cards';
import { log } from '../log';
import type { RateLimiter } from '../notify/rateLimiter';
import type { ProgressMessage } from './turn';

/** Writing cards into the turn's chat (botbuilder's sendActivity and updateActivity). */
export interface ChatWriter {
  /** Posts a new message; its activity id. */
  post(card: AdaptiveCard): Promise<string | undefined>;
  replace(activityId: string, card: AdaptiveCard): Promise<void>;
}

/**
 * The progress message of a turn in a chat. Shows are written in the background, one at a time,
 * each only if the conversation's rate limits have room at once; `finish` then puts the turn's
 * answer in the same message, waiting for the write under way and for room in the limits.
 */
export class ChatProgressMessage implements ProgressMessage {
  private activityId: string | undefined;
  private writing: Promise<void> | undefined;
  /** A show was asked for, or expected: the answer is then written here, within the limits. */
  private asked = false;
  private finished = false;

  constructor(
    private readonly chat: ChatWriter,
    private readonly render: (text: string) => AdaptiveCard,
    private readonly limiter: RateLimiter,
    private readonly conversationId: string,
  ) {}

  expect(): void {
    this.asked = true;
  }

  show(text: string): boolean {
    if (this.finished) return false;
    this.asked = true;
    if (this.writing || !this.limiter.tryAcquire(this.conversationId)) return false;
    this.writing = this.write(this.render(text))
      .catch((e: unknown) => log.warn({ err: e }, 'could not show progress'))
      .finally(() => {
        this.writing = undefined;
      });
    return true;
  }

  /**
   * Puts `card` in place of the progress message (or posts it, if no show got through) and returns
   * the activity id now holding it; undefined when progress was neither asked for nor expected, or
   * the write failed: then the caller sends the answer as usual.
   */
  async finish(card: AdaptiveCard): Promise<string | undefined> {
    this.finished = true;
    if (!this.asked) return undefined;
    await this.writing;
    await this.limiter.acquire(this.conversationId);
    try {
      await this.write(card);
      return this.activityId;
    } catch (e) {
      log.warn({ err: e }, 'could not put the answer in place of the progress message');
      return undefined;
    }
  }

  private async write(card: AdaptiveCard): Promise<void> {
    if (this.activityId) await this.chat.replace(this.activityId, card);
    else this.activityId = await this.chat.post(card);
  }
}
