import { BoundedMap } from '../domain/boundedMap';
import { dateFormat, numberFormat } from '../domain/formatters';
import { Money, formatMoney } from '../domain/money';
import en from './en-US.json';
import nl from './nl-NL.json';

export type Messages = typeof en;
export const LOCALES = ['en-US', 'nl-NL'] as const;
export type Locale = (typeof LOCALES)[number];

const BUNDLES: Readonly<Record<Locale, Messages>> = { 'en-US': en, 'nl-NL': nl };

/** Dotted paths to every string of the bundle, so a misspelled key fails to compile. */
type Paths<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Paths<T[K], `${P}${K}.`>;
}[keyof T & string];
export type MessageKey = Paths<Messages>;

export type Params = Readonly<Record<string, string | number>>;

/** The bundle for an activity's locale: any Dutch variant gets Dutch, everything else English. */
export function pickLocale(locale: string | undefined): Locale {
  return /^nl\b/i.test(locale ?? '') ? 'nl-NL' : 'en-US';
}

export function fill(template: string, params: Params = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    params[name] === undefined ? whole : String(params[name]),
  );
}

const DATE: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeZone: 'UTC' };
const DATE_TIME: Intl.DateTimeFormatOptions = {
  dateStyle: 'medium',
  timeStyle: 'short',
  timeZone: 'UTC',
};
const MAX_REMEMBERED = 10_000;
/** `bytes` options by unit: whole bytes, one decimal for larger units. */
const BYTES = [{ maximumFractionDigits: 0 }, { maximumFractionDigits: 1 }] as const;

export class Texts {
  readonly messages: Messages;
  /** Message texts by key, looked up once (cards look up dozens a render). */
  private readonly found = new BoundedMap<string>(MAX_REMEMBERED);
  /** Dates and times as formatted before: a claim card shows the same ones on every render. */
  private readonly formatted = new BoundedMap<string>(MAX_REMEMBERED);

  constructor(readonly locale: Locale) {
    this.messages = BUNDLES[locale];
  }

  t(key: MessageKey, params?: Params): string {
    const text = this.found.getOrMake(key, () => {
      let node: unknown = this.messages;
      for (const part of key.split('.'))
        node = (node as Record<string, unknown> | undefined)?.[part];
      return typeof node === 'string' ? node : key;
    });
    return params ? fill(text, params) : text;
  }

  /** A key that comes from data (a status, an error code); falls back to the key itself. */
  tDynamic(key: string, params?: Params): string {
    return this.t(key as MessageKey, params);
  }

  money(m: Money): string {
    return formatMoney(m, this.locale);
  }

  /** `2026-11-27` → `Nov 27, 2026` / `27 nov 2026`. */
  date(day: string): string {
    return this.formatted.getOrMake(`d${day}`, () => {
      const d = new Date(`${day.slice(0, 10)}T00:00:00Z`);
      return Number.isNaN(d.getTime()) ? day : dateFormat(this.locale, DATE).format(d);
    });
  }

  dateTime(iso: string): string {
    return this.formatted.getOrMake(`t${iso}`, () => {
      const d = new Date(iso);
      return Number.isNaN(d.getTime()) ? iso : dateFormat(this.locale, DATE_TIME).format(d);
    });
  }

  bytes(n: number): string {
    const units = ['B', 'KB', 'MB', 'GB'];
    let v = n;
    let u = 0;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u += 1;
    }
    return `${numberFormat(this.locale, BYTES[u ? 1 : 0]).format(v)} ${units[u]}`;
  }
}

const cache = new Map<Locale, Texts>();
export function texts(locale: string | undefined): Texts {
  const l = pickLocale(locale);
  let t = cache.get(l);
  if (!t) {
    t = new Texts(l);
    cache.set(l, t);
  }
  return t;
}
