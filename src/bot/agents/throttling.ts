import { HttpError } from '@microsoft/agents-hosting';

/** How often a throttled write in a turn is tried again, and the longest wait Teams may ask for. */
const TRIES = 4;
const MAX_WAIT_MS = 15_000;

/**
 * A write into the turn's chat, tried again when Teams throttles it (429), after its Retry-After
 * (1 s if it names none): as botbuilder's connector client does for replies in a turn. The Agents
 * SDK's client retries nothing itself; proactive messages go through the dispatcher instead.
 */
export async function throttled<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (e) {
      if (!(e instanceof HttpError) || e.status !== 429 || attempt >= TRIES) throw e;
      const seconds = Number(e.response.headers?.get?.('retry-after'));
      const wait = Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : 1000;
      await new Promise((resolve) => setTimeout(resolve, Math.min(wait, MAX_WAIT_MS)));
    }
  }
}
