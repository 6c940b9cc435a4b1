import { HttpError } from '@microsoft/agents-hosting';

/** How often a write in a turn is tried, and the longest wait Teams may ask for. */
const TRIES = 4;
const MAX_WAIT_MS = 15_000;
/** Throttling and passing trouble of the chat service, as botbuilder's connector client retries them. */
const RETRIED = new Set([408, 429, 500, 502, 503, 504]);

/**
 * A write into the turn's chat, tried again when the chat service throttles it (429) or fails for a
 * moment (5xx), after its Retry-After (1 s if it names none): as botbuilder's connector client does
 * for replies in a turn. The Agents SDK's client retries nothing itself; proactive messages are
 * retried by the dispatcher instead, within Teams' rate limits.
 */
export async function retried<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (e) {
      if (!(e instanceof HttpError) || !RETRIED.has(e.status) || attempt >= TRIES) throw e;
      const seconds = Number(e.response.headers?.get?.('retry-after'));
      const wait = Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : 1000;
      await new Promise((resolve) => setTimeout(resolve, Math.min(wait, MAX_WAIT_MS)));
    }
  }
}
