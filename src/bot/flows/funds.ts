import { Notice, renderFunds } from '../../../cards';
import { AppError } from '../../domain/errors';
import { FUND_GRACE_DAYS } from '../../domain/fund';
import { readFund } from '../../domain/fundInput';
import { canManageFunds } from '../../domain/roles';
import { loadMember } from '../actor';
import { errorNotice } from '../errors';
import { CardData, stringField } from '../handlers';
import type { Services } from '../services';
import { Reply, Turn, cardReply } from '../turn';
import { fundViews } from './overview';

const FORM_FIELDS = [
  'fundName',
  'allocated',
  'currency',
  'reimbursementRate',
  'capPerClaim',
  'periodStart',
  'periodEnd',
  'graceDays',
];
const FORM_ID = /^[A-Za-z0-9-]{8,64}$/;
/** Every input bound: the templating leaves an unbound `${values.x}` as literal text. */
const EMPTY_FORM: Readonly<Record<string, string>> = Object.fromEntries(
  FORM_FIELDS.map((f) => [f, '']),
);

/** `funds`: every fund of the tenant with its totals, and the Add fund form (incentives admins). */
export async function showFunds(
  turn: Turn,
  services: Services,
  notice: Notice | null = null,
  values: Readonly<Record<string, string>> = {},
): Promise<Reply> {
  const actor = await loadMember(turn, services);
  if (!canManageFunds(actor)) throw new AppError('NOT_ALLOWED', { action: 'manageFunds' });
  const texts = turn.texts;
  return cardReply(
    renderFunds({
      t: texts.messages.funds,
      labels: texts.messages.overview,
      notice,
      funds: await fundViews(turn, services, await services.claims.fundLedger(turn.tenantId), true),
      canManage: true,
      formId: services.newId(),
      values: { ...EMPTY_FORM, currency: 'USD', graceDays: String(FUND_GRACE_DAYS), ...values },
    }),
  );
}

export async function addFund(turn: Turn, services: Services, data: CardData): Promise<Reply> {
  const actor = await loadMember(turn, services);
  const values: Record<string, string> = {};
  for (const f of FORM_FIELDS) {
    const v = stringField(data, f);
    if (v !== undefined) values[f] = v.slice(0, 500);
  }
  const given = stringField(data, 'formId');
  const id = given && FORM_ID.test(given) ? given : services.newId();
  try {
    const fund = readFund(values, actor, turn.texts.locale, turn.now.toISOString(), id);
    const saved = await services.funds.create(fund);
    return showFunds(turn, services, {
      style: 'good',
      text: turn.texts.t('funds.added', { name: saved.name }),
      items: [],
    });
  } catch (e) {
    if (!(e instanceof AppError) || e.code !== 'INVALID_INPUT') throw e;
    return showFunds(turn, services, errorNotice(e, turn.texts), values);
  }
}
