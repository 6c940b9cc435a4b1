import { AppError, InputIssue } from './errors';
import { numberFormat } from './formatters';

/** An amount of money in integer minor units (cents) of an ISO 4217 currency. Never a float. */
export interface Money {
  readonly minor: number;
  readonly currency: string;
}

/** No co-op claim or fund comes near this; it keeps every sum a safe integer. */
export const MAX_MAJOR_UNITS = 10_000_000_000;

const KNOWN_CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

export const isCurrency = (code: string): boolean => KNOWN_CURRENCIES.has(code);

/** A currency code as typed (`eur` → `EUR`), or undefined with the problem added to `issues`. */
export function readCurrency(
  issues: InputIssue[],
  field: string,
  value: unknown,
): string | undefined {
  const code = typeof value === 'string' ? value.trim().toUpperCase() : '';
  if (!code) issues.push({ field, problem: 'required' });
  else if (!/^[A-Z]{3}$/.test(code) || !isCurrency(code)) {
    issues.push({ field, problem: 'currencyUnknown' });
  } else return code;
  return undefined;
}

const digitsByCurrency = new Map<string, number>();

export function minorDigits(currency: string): number {
  let digits = digitsByCurrency.get(currency);
  if (digits === undefined) {
    digits =
      numberFormat('en-US', { style: 'currency', currency }).resolvedOptions()
        .maximumFractionDigits ?? 2;
    digitsByCurrency.set(currency, digits);
  }
  return digits;
}

export const money = (minor: number, currency: string): Money => ({ minor, currency });
export const zero = (currency: string): Money => money(0, currency);

function sameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) {
    throw new AppError('INVALID_INPUT', {}, [
      { field: 'currency', problem: 'currencyMismatch', params: { a: a.currency, b: b.currency } },
    ]);
  }
}

export function add(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return money(a.minor + b.minor, a.currency);
}

export function subtract(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return money(a.minor - b.minor, a.currency);
}

const separatorsByLocale = new Map<string, { group: string; decimal: string }>();

function separators(locale: string): { group: string; decimal: string } {
  let known = separatorsByLocale.get(locale);
  if (!known) {
    const parts = numberFormat(locale).formatToParts(12345.6);
    known = {
      group: parts.find((p) => p.type === 'group')?.value ?? ',',
      decimal: parts.find((p) => p.type === 'decimal')?.value ?? '.',
    };
    separatorsByLocale.set(locale, known);
  }
  return known;
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Parses an amount typed by a user in their locale: `1.234,56` in nl-NL, `1,234.56` in en-US.
 * A lone "foreign" decimal separator followed by one or two digits (`1500.00` typed in nl-NL) is read
 * as the decimal separator, since no one groups thousands that way. Throws INVALID_INPUT for anything
 * else: signs, exponents, hex, more decimals than the currency has, zero-or-less when positive is asked.
 */
export function parseAmount(
  text: string,
  locale: string,
  currency: string,
  field = 'amount',
): Money {
  return money(parseScaled(text, locale, minorDigits(currency), field), currency);
}

/** A non-negative decimal typed in the locale, as an integer scaled by 10^digits. */
export function parseScaled(text: string, locale: string, digits: number, field: string): number {
  const fail = (problem: string, params?: Record<string, string | number>): never => {
    const issue: InputIssue = params ? { field, problem, params } : { field, problem };
    throw new AppError('INVALID_INPUT', {}, [issue]);
  };
  const raw = String(text ?? '')
    .trim()
    .replace(/[\s\u00a0\u202f']/g, '');
  if (!raw) fail('required');
  if (raw.startsWith('-')) fail('amountNegative');
  const { group, decimal } = separators(locale);
  const foreign = decimal === ',' ? '.' : ',';
  let normalized: string | undefined;
  const g = escapeRe(group);
  const d = escapeRe(decimal);
  if (new RegExp(`^\\d+(${d}\\d+)?$`).test(raw)) normalized = raw.replace(decimal, '.');
  else if (new RegExp(`^\\d{1,3}(${g}\\d{3})+(${d}\\d+)?$`).test(raw)) {
    normalized = raw.split(group).join('').replace(decimal, '.');
  } else if (new RegExp(`^\\d+${escapeRe(foreign)}\\d{1,2}$`).test(raw)) {
    normalized = raw.replace(foreign, '.');
  }
  if (normalized === undefined) return fail('amountFormat');
  const [whole, fraction = ''] = normalized.split('.');
  if (fraction.length > digits) fail('amountDecimals', { digits });
  if (whole.replace(/^0+/, '').length > String(MAX_MAJOR_UNITS).length) fail('amountTooLarge');
  const major = Number(whole);
  if (major > MAX_MAJOR_UNITS || (major === MAX_MAJOR_UNITS && /[1-9]/.test(fraction))) {
    fail('amountTooLarge');
  }
  const minor = major * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
  if (!Number.isSafeInteger(minor)) fail('amountTooLarge');
  return minor;
}

/** Parses and requires more than zero. */
export function parsePositiveAmount(
  text: string,
  locale: string,
  currency: string,
  field = 'amount',
): Money {
  const m = parseAmount(text, locale, currency, field);
  if (m.minor <= 0) throw new AppError('INVALID_INPUT', {}, [{ field, problem: 'amountPositive' }]);
  return m;
}

/** Number format options per currency and style, made once so the formatters are found by them. */
const moneyOptions = new Map<string, Intl.NumberFormatOptions>();

function optionsFor(currency: string, style: 'currency' | 'input'): Intl.NumberFormatOptions {
  const key = `${currency} ${style}`;
  let options = moneyOptions.get(key);
  if (!options) {
    const digits = minorDigits(currency);
    options = {
      ...(style === 'currency' ? { style, currency } : {}),
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    };
    moneyOptions.set(key, options);
  }
  return options;
}

export function formatMoney(m: Money, locale: string): string {
  return numberFormat(locale, optionsFor(m.currency, 'currency')).format(
    m.minor / 10 ** minorDigits(m.currency),
  );
}

/** The amount as a plain number in the user's locale, for pre-filling an input (`1.234,56`). */
export function formatAmountInput(m: Money, locale: string): string {
  return numberFormat(locale, optionsFor(m.currency, 'input')).format(
    m.minor / 10 ** minorDigits(m.currency),
  );
}
