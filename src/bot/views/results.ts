import { Metric, MONEY_KINDS, kindOf } from '../../domain/claim';
import { numberFormat } from '../../domain/formatters';
import { money } from '../../domain/money';
import type { Texts } from '../../i18n/i18n';
import { literal } from './text';

/** A metric as the claim card lists it: a result under its kind's label, money in the claim's currency. */
export function metricView(
  texts: Texts,
  m: Metric,
  currency: string,
): { readonly name: string; readonly value: string } {
  const kind = kindOf(m);
  return {
    name: kind === 'other' ? literal(m.name) : texts.tDynamic(`metricKind.${kind}`),
    value: MONEY_KINDS.includes(kind)
      ? texts.money(money(m.value, currency))
      : numberFormat(texts.locale).format(m.value),
  };
}
