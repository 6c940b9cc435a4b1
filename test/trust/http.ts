import { routeConsoleToLog } from '../../src/log';
import { LogRecorder } from '../support/logs';
import { Activity, CARD_TYPE, Card, cardText } from '../support/teams';

/** The raw answer of POST /api/messages. */
export interface RawAnswer {
  readonly status: number;
  readonly text: string;
  readonly body: unknown;
  /** The card of an invoke response, if the body holds one. */
  readonly card?: Card;
  /** All text a user reads on that card. */
  readonly cardText: string;
}

/** POSTs an activity with the given headers (e.g. Authorization), without the TeamsClient's defaults. */
export async function postActivity(
  botUrl: string,
  activity: Activity,
  headers: Record<string, string> = {},
  timeoutMs = 20_000,
): Promise<RawAnswer> {
  const res = await fetch(botUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(activity),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  const invoke = body as { type?: unknown; value?: unknown } | undefined;
  const card =
    invoke && invoke.type === CARD_TYPE && typeof invoke.value === 'object'
      ? (invoke.value as Card)
      : undefined;
  return { status: res.status, text, body, card, cardText: cardText(card) };
}

/**
 * Records the log lines of one level (JSON text) while `run` runs, instead of printing them: the
 * app's, and what botbuilder prints with console.* (routed through the logger as main.ts does).
 */
export async function capture<T>(
  level: 'warn' | 'error' | 'info',
  run: () => Promise<T>,
): Promise<{ result: T; lines: string[] }> {
  const recorder = new LogRecorder();
  const restoreConsole = routeConsoleToLog();
  try {
    const result = await run();
    return { result, lines: recorder.lines.filter((line) => JSON.parse(line).level === level) };
  } finally {
    restoreConsole();
    recorder.stop();
  }
}

/** Records unhandled promise rejections while installed. */
export class RejectionWatch {
  readonly seen: unknown[] = [];
  private readonly listener = (reason: unknown): void => {
    this.seen.push(reason);
  };

  install(): void {
    process.on('unhandledRejection', this.listener);
  }

  uninstall(): void {
    process.off('unhandledRejection', this.listener);
  }
}

/** What the user reads when the database or file storage cannot be reached. */
export const TRY_AGAIN = /cannot be reached right now\. Nothing was changed; please try again/;
