import { Notice, renderNewClaim } from '../../../cards';
import { createClaim, readClaimInformation } from '../../domain/claim';
import { AppError, invalidInput } from '../../domain/errors';
import { fundTerms, outsidePeriodIssues, totalsFrom } from '../../domain/fund';
import { canCreateClaims } from '../../domain/roles';
import { loadMember } from '../actor';
import { errorNotice } from '../errors';
import type { CardData } from '../handlers';
import type { Services } from '../services';
import { Reply, Turn, cardReply } from '../turn';
import { emptyForm, fundFormChoices, readForm } from './forms';
import { claimCardReply } from './claimCards';
import { withClickedCard } from './claimChange';

const FORM_FIELDS = [
  'title',
  'fundId',
  'activityType',
  'activityStart',
  'activityEnd',
  'amount',
  'currency',
  'description',
];
const EMPTY_FORM = emptyForm(FORM_FIELDS);

/** `new claim`: the form, with the values typed so far and what was wrong when it comes back. */
export async function newClaimForm(
  turn: Turn,
  services: Services,
  values: Readonly<Record<string, string>> = {},
  notice: Notice | null = null,
  formId = services.newId(),
): Promise<Reply> {
  const actor = await loadMember(turn, services);
  if (!canCreateClaims(actor)) throw new AppError('NOT_ALLOWED', { action: 'createClaim' });
  const texts = turn.texts;
  const [funds, ledger] = await Promise.all([
    services.funds.list(turn.tenantId),
    services.claims.fundLedger(turn.tenantId),
  ]);
  if (!funds.length) {
    return cardReply(
      renderNewClaim({
        t: texts.messages.newClaim,
        formId,
        funds: [],
        activityTypes: [],
        amountPlaceholder: '',
        values: EMPTY_FORM,
        notice: { style: 'warning', text: texts.t('newClaim.noFunds'), items: [] },
      }),
    );
  }
  return cardReply(
    renderNewClaim({
      t: texts.messages.newClaim,
      formId,
      ...fundFormChoices(texts, funds, (f) => totalsFrom(f, ledger).remaining),
      values: { ...EMPTY_FORM, fundId: funds[0].id, activityType: 'webinar', ...values },
      notice,
    }),
  );
}

/** Create claim: validate everything at once; a bad form comes back filled in, with every problem. */
export async function submitNewClaim(
  turn: Turn,
  services: Services,
  data: CardData,
): Promise<Reply> {
  const actor = await loadMember(turn, services);
  const { formId, values } = readForm(services, data, FORM_FIELDS);
  try {
    const fundId = values.fundId ?? '';
    const fund = fundId ? await services.funds.get(turn.tenantId, fundId) : undefined;
    if (!fund) {
      // Report every other problem too: validate against a placeholder currency.
      try {
        readClaimInformation(values, 'USD', turn.texts.locale);
      } catch (e) {
        if (e instanceof AppError)
          throw invalidInput([
            { field: 'fundId', problem: fundId ? 'invalid' : 'required' },
            ...e.issues,
          ]);
        throw e;
      }
      throw invalidInput([{ field: 'fundId', problem: fundId ? 'invalid' : 'required' }]);
    }
    const info = readClaimInformation(values, fund.allocated.currency, turn.texts.locale);
    const outside = outsidePeriodIssues(fund, info.activityStart, info.activityEnd, 'activityEnd');
    if (outside.length) throw invalidInput(outside);
    const now = turn.now.toISOString();
    // A form's id is the user's own: a card pressed by two people in a group chat makes two claims.
    const claim = await services.claims.create(turn.tenantId, `${actor.userId}:${formId}`, (seq) =>
      withClickedCard(
        turn,
        createClaim({
          actor,
          seq,
          formId,
          fund: { id: fund.id, currency: fund.allocated.currency, terms: fundTerms(fund) },
          info,
          now,
        }),
      ),
    );
    return claimCardReply(turn, services, actor, claim);
  } catch (e) {
    if (!(e instanceof AppError) || e.code !== 'INVALID_INPUT') throw e;
    return newClaimForm(turn, services, values, errorNotice(e, turn.texts), formId);
  }
}
