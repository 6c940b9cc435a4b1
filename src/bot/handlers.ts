import type { Services } from './services';
import type { Reply, Turn } from './turn';

/** A typed message command: `pattern` is tried against the text with mentions removed. */
export interface CommandHandler {
  readonly name: string;
  readonly pattern: RegExp;
  handle(turn: Turn, match: RegExpExecArray, services: Services): Promise<Reply>;
}

/** Card data arrives from the client: always unknown, validated by the handler. */
export type CardData = Readonly<Record<string, unknown>>;

export interface VerbHandler<V extends string = string> {
  readonly verb: V;
  handle(turn: Turn, data: CardData, services: Services): Promise<Reply>;
}

/** Card data as a plain record: anything else (arrays, strings, null) becomes empty. */
export function asCardData(value: unknown): CardData {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as CardData)
    : {};
}

export const stringField = (data: CardData, key: string): string | undefined => {
  const v = Object.prototype.hasOwnProperty.call(data, key) ? data[key] : undefined;
  return typeof v === 'string' ? v : undefined;
};

/** A table keyed by name that refuses duplicates when the app starts. */
export function uniqueTable<T>(items: readonly T[], key: (item: T) => string): Map<string, T> {
  const table = new Map<string, T>();
  for (const item of items) {
    const k = key(item);
    if (table.has(k)) throw new Error(`two handlers registered for "${k}"`);
    table.set(k, item);
  }
  return table;
}
