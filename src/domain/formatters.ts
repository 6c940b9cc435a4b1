/**
 * Intl formatters are costly to build (a millisecond or more each) and cheap to reuse: every card
 * formats dozens of amounts and dates, so each formatter is built once per locale and options.
 */
const numberFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();
/** The same lookups by the options object itself, for callers that pass a constant. */
const byOptions = new WeakMap<object, Map<string, unknown>>();

function cached<F>(cache: Map<string, F>, locale: string, options: object, build: () => F): F {
  let forOptions = byOptions.get(options);
  const known = forOptions?.get(locale) as F | undefined;
  if (known) return known;
  const key = `${locale}|${JSON.stringify(options)}`;
  let formatter = cache.get(key);
  if (!formatter) {
    formatter = build();
    cache.set(key, formatter);
  }
  if (!forOptions) byOptions.set(options, (forOptions = new Map()));
  forOptions.set(locale, formatter);
  return formatter;
}

const NO_OPTIONS: Intl.NumberFormatOptions = {};

export const numberFormat = (
  locale: string,
  options: Intl.NumberFormatOptions = NO_OPTIONS,
): Intl.NumberFormat =>
  cached(numberFormats, locale, options, () => new Intl.NumberFormat(locale, options));

export const dateFormat = (
  locale: string,
  options: Intl.DateTimeFormatOptions,
): Intl.DateTimeFormat =>
  cached(dateFormats, locale, options, () => new Intl.DateTimeFormat(locale, options));
