import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { format } from 'node:util';
import pino, { DestinationStream } from 'pino';

/**
 * The app's one logger: JSON lines (level, time, msg, and fields) on stdout. Lines written while a
 * request to /api/messages is handled carry that turn's correlation id. Secrets are masked centrally,
 * in every line just before it is written, so no call site can leak one by mistake.
 */

const MASK = '[REDACTED]';
/** Shorter configured secrets are not masked literally: they would mask ordinary words. */
const MIN_LITERAL_SECRET = 8;
const MAX_ERROR_TEXT = 4000;
const MAX_ERROR_CAUSES = 3;
const MAX_ACTIVITY_FIELD = 128;

/** Credentials by their shape, wherever they appear (URLs, headers, error messages, stacks). */
const SECRET_SHAPES: readonly [RegExp, string][] = [
  // SAS signatures and SharePoint download tokens, also URL-encoded (Cosmos auth headers).
  [/(?<![A-Za-z])(sig|tempauth)(=|%3D)[^&\s"\\;]+/gi, `$1$2${MASK}`],
  // Storage connection string parts: the setting's name goes too.
  [/\b(?:AccountKey|SharedAccessSignature)=[^;\s"\\]+/gi, MASK],
  [/\b(Bearer|Basic|SharedKey)\s+[^\s"\\,]+/gi, `$1 ${MASK}`],
  // JWTs: base64url of a JSON header, whatever carries them.
  [/\beyJ[\w-]{6,}(?:\.[\w-]*){0,2}/g, MASK],
];

/** Paths of structured fields that hold credentials (pino's own redaction, before serialization). */
const REDACTED_PATHS = [
  'authorization',
  'headers.authorization',
  'headers.cookie',
  '*.authorization',
  '*.headers.authorization',
  '*.headers.cookie',
];

const configuredSecrets = new Set<string>();

/** Masks configured secrets (raw and JSON-escaped) and every credential-shaped value in `text`. */
export function maskSecrets(text: string): string {
  let masked = text;
  for (const secret of configuredSecrets) {
    for (const form of [secret, JSON.stringify(secret).slice(1, -1)]) {
      masked = masked.split(form).join(MASK);
    }
  }
  for (const [shape, replacement] of SECRET_SHAPES) masked = masked.replace(shape, replacement);
  return masked;
}

interface SerializedError {
  readonly type: string;
  readonly message: string;
  readonly code?: string;
  readonly statusCode?: number;
  readonly stack?: string;
  readonly cause?: SerializedError;
}

/**
 * An error as a few known fields only: SDK errors carry requests, responses and bodies (headers,
 * file contents) that must never reach a log.
 */
function serializeError(e: unknown, causes = 0): SerializedError {
  if (!(e instanceof Error)) {
    return { type: typeof e, message: String(e).slice(0, MAX_ERROR_TEXT) };
  }
  const { code, statusCode } = e as { code?: unknown; statusCode?: unknown };
  return {
    type: e.name,
    message: e.message.slice(0, MAX_ERROR_TEXT),
    ...(typeof code === 'string' || typeof code === 'number' ? { code: String(code) } : {}),
    ...(typeof statusCode === 'number' ? { statusCode } : {}),
    ...(e.stack ? { stack: e.stack.slice(0, MAX_ERROR_TEXT) } : {}),
    ...(e.cause !== undefined && causes < MAX_ERROR_CAUSES
      ? { cause: serializeError(e.cause, causes + 1) }
      : {}),
  };
}

interface TurnFields {
  readonly correlationId: string;
  activityId?: string;
  activityType?: string;
}

const currentTurn = new AsyncLocalStorage<TurnFields>();

let destination: DestinationStream = pino.destination({ dest: 1, sync: true });

export const log = pino(
  {
    level: 'info',
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    serializers: { err: serializeError },
    redact: { paths: REDACTED_PATHS, censor: MASK },
    mixin: () => ({ ...currentTurn.getStore() }),
  },
  { write: (line: string) => destination.write(maskSecrets(line)) },
);

/** Applies LOG_LEVEL and masks the configured credentials from now on. */
export function configureLogging(o: {
  readonly level: string;
  readonly secrets: readonly (string | undefined)[];
}): void {
  log.level = o.level;
  for (const secret of o.secrets) {
    if (secret && secret.length >= MIN_LITERAL_SECRET) configuredSecrets.add(secret);
  }
}

/** Sends the (masked) lines to `stream` instead, until the returned function is called. */
export function logTo(stream: DestinationStream): () => void {
  const previous = destination;
  destination = stream;
  return () => {
    destination = previous;
  };
}

/** Runs one turn: every line logged during `work` carries a fresh correlation id. */
export function inTurn<T>(work: () => T): T {
  return currentTurn.run({ correlationId: randomUUID() }, work);
}

/** Adds the activity's id and type to the current turn's lines (once it is authenticated). */
export function noteActivity(activity: { id?: string; type?: string }): void {
  const turn = currentTurn.getStore();
  if (!turn) return;
  turn.activityId = activity.id?.slice(0, MAX_ACTIVITY_FIELD);
  turn.activityType = activity.type?.slice(0, MAX_ACTIVITY_FIELD);
}

const CONSOLE_LEVELS: Readonly<Record<string, 'error' | 'warn' | 'info' | 'debug'>> = {
  error: 'error',
  warn: 'warn',
  info: 'info',
  log: 'info',
  debug: 'debug',
};

const NODE_WARNING = /^\(node:\d+\) (\[\w+\] )?\w*Warning:/;

/**
 * Sends what dependencies print with console.* (botbuilder prints every failed request) through the
 * logger: JSON, masked, in its turn. For the process's entry point; the returned function undoes it.
 */
export function routeConsoleToLog(): () => void {
  const printer = console as unknown as Record<string, (...args: unknown[]) => void>;
  const originals = Object.keys(CONSOLE_LEVELS).map((method) => [method, printer[method]] as const);
  for (const [method, level] of Object.entries(CONSOLE_LEVELS)) {
    printer[method] = (...args: unknown[]) => {
      const err = args.find((arg): arg is Error => arg instanceof Error);
      const text = format(...args.filter((arg) => arg !== err));
      // Node prints its process warnings (deprecations of dependencies) with console.error.
      const shown = NODE_WARNING.test(text) ? 'warn' : level;
      log[shown]({ source: 'console', ...(err ? { err } : {}) }, text || (err?.message ?? ''));
    };
  }
  return () => {
    for (const [method, original] of originals) printer[method] = original;
  };
}
