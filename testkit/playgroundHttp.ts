/** The Agents Playground's HTTP API: one request each, no state of the client's own. */
import { safeJson } from './playgroundLog';
import type { Playground, PlaygroundConfig } from './playgroundTypes';

/** One request to the playground's API: the parsed JSON answer, a throw on an HTTP error. */
export type PlaygroundApi = <T>(method: string, apiPath: string, body?: unknown) => Promise<T>;

/** Requests to the playground at `baseUrl` (http://127.0.0.1:PORT). */
export function playgroundApi(baseUrl: string): PlaygroundApi {
  return async <T>(method: string, apiPath: string, body?: unknown): Promise<T> => {
    const res = await fetch(baseUrl + apiPath, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`playground ${method} ${apiPath} → ${res.status}: ${text}`);
    return (text ? safeJson(text) : undefined) as T;
  };
}

/** The part of the client that is a single API call each. */
export type PlaygroundRequests = Pick<
  Playground,
  'config' | 'install' | 'activityTemplate' | 'submit' | 'sendCustomActivity'
>;

export function playgroundRequests(api: PlaygroundApi): PlaygroundRequests {
  return {
    async config() {
      const res = await api<{ config: PlaygroundConfig }>('GET', '/_internal/v1/config');
      return res.config;
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
  };
}

/**
 * `config()`, asked once: later calls share the first answer. A failed ask is forgotten, so the next
 * call asks again (the config waits for the bot endpoint, which may not answer yet).
 */
export function cachedConfig(requests: Pick<PlaygroundRequests, 'config'>) {
  let configPromise: Promise<PlaygroundConfig> | undefined;
  return (): Promise<PlaygroundConfig> =>
    (configPromise ??= requests.config().catch((e: unknown) => {
      configPromise = undefined;
      throw e;
    }));
}
