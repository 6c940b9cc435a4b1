import type { Choice } from '../../../cards';
import { ACTIVITY_TYPES } from '../../domain/claim';
import type { Fund } from '../../domain/fund';
import { Money, formatAmountInput, money } from '../../domain/money';
import type { Texts } from '../../i18n/i18n';
import { CardData, stringField } from '../handlers';
import type { Services } from '../services';

/** A form's id as the card sends it: anything else gets a new one (and so a new form). */
const FORM_ID = /^[A-Za-z0-9-]{8,64}$/;
/** The most of a field kept: the rest of an overlong paste is cut before validation. */
const MAX_FIELD = 5000;

/** Every input bound: the templating leaves an unbound `${values.x}` as literal text. */
export const emptyForm = (fields: readonly string[]): Readonly<Record<string, string>> =>
  Object.fromEntries(fields.map((f) => [f, '']));

/**
 * A submitted form: its id (the same for a double click, so that it makes one thing) and the values
 * of `fields` typed into it, each cut to a bounded length.
 */
export function readForm(
  services: Pick<Services, 'newId'>,
  data: CardData,
  fields: readonly string[],
): { readonly formId: string; readonly values: Record<string, string> } {
  const given = stringField(data, 'formId');
  const formId = given && FORM_ID.test(given) ? given : services.newId();
  const values: Record<string, string> = {};
  for (const f of fields) {
    const v = stringField(data, f);
    if (v !== undefined) values[f] = v.slice(0, MAX_FIELD);
  }
  return { formId, values };
}

/** The choices the New claim and fund request forms share: funds, activity types, an amount hint. */
export function fundFormChoices(
  texts: Texts,
  funds: readonly Fund[],
  remaining?: (fund: Fund) => Money,
): {
  readonly funds: readonly Choice[];
  readonly activityTypes: readonly Choice[];
  readonly amountPlaceholder: string;
} {
  return {
    // Choice titles are plain text in Teams: no markdown escaping here.
    funds: funds.map((f) => ({
      value: f.id,
      title: remaining
        ? texts.t('newClaim.fundLeft', { fund: f.name, remaining: texts.money(remaining(f)) })
        : `${f.name} (${f.allocated.currency})`,
    })),
    activityTypes: ACTIVITY_TYPES.map((value) => ({
      value,
      title: texts.tDynamic(`activityType.${value}`),
    })),
    amountPlaceholder: texts.t('newClaim.amountPlaceholder', {
      example: formatAmountInput(money(123456, 'USD'), texts.locale),
    }),
  };
}
