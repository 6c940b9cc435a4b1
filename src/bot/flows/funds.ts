import { Notice, renderFunds } from '../../../cards';
import { AppError } from '../../domain/errors';
import { FUND_GRACE_DAYS, fundTerms } from '../../domain/fund';
import { changeFundTerms, readFund } from '../../domain/fundInput';
import { canManageFunds } from '../../domain/roles';
import { loadActor, loadMember } from '../actor';
import { errorNotice } from '../errors';
import { CardData, stringField } from '../handlers';
import type { Services } from '../services';
import { Reply, Turn, cardReply } from '../turn';
import { fullTermsLine, termsChangeLine } from '../views/reimbursement';
import { literal } from '../views/text';
import { fundToExport } from './fundExport';
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

/** Fund changes shown with `edit fund`'s answer, newest first. */
const SHOWN_CHANGES = 5;

/**
 * `edit fund <name> rate <percent> cap <amount|none>` (Incentives admins): the fund's Reimbursement
 * rate and Cap per claim for the claims and fund requests made from now on (those made before keep
 * theirs, and what they reserved); the answer is the funds card with the fund's terms history.
 */
export async function editFund(
  turn: Turn,
  services: Services,
  typed: { readonly name: string; readonly rate?: string; readonly cap?: string },
): Promise<Reply> {
  if (typed.rate === undefined && typed.cap === undefined) {
    return { text: turn.texts.t('funds.editUsage') };
  }
  const fund = await fundToExport(turn, services, typed.name);
  const actor = await loadActor(turn, services);
  const { texts } = turn;
  try {
    const saved = await services.funds.update(turn.tenantId, fund.id, (f) =>
      changeFundTerms(f, typed, actor, texts.locale, turn.now.toISOString()),
    );
    const terms = fullTermsLine(texts, fundTerms(saved));
    const changed = (saved.termsChanges?.length ?? 0) > (fund.termsChanges?.length ?? 0);
    return showFunds(turn, services, {
      style: changed ? 'good' : 'accent',
      text: texts.t(changed ? 'funds.termsSaved' : 'funds.termsUnchanged', {
        name: literal(saved.name),
        terms,
      }),
      items: (saved.termsChanges ?? [])
        .slice(-SHOWN_CHANGES)
        .reverse()
        .map((c) => termsChangeLine(texts, saved, c)),
    });
  } catch (e) {
    if (!(e instanceof AppError) || e.code !== 'INVALID_INPUT') throw e;
    return showFunds(turn, services, errorNotice(e, texts));
  }
}
