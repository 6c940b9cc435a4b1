import { renderInsights } from '../../../cards/insightsCard';
import { AppError } from '../../domain/errors';
import { numberFormat } from '../../domain/formatters';
import { Fund } from '../../domain/fund';
import {
  InsightsFilter,
  byCurrency,
  fundFigures,
  periodOf,
  selectFunds,
} from '../../domain/insights';
import { hasAnyRole, isTenantAdmin } from '../../domain/roles';
import { loadActor } from '../actor';
import { CardData, stringField } from '../handlers';
import type { Services } from '../services';
import { Reply, Turn, cardReply } from '../turn';
import { fundInsightView, typeRows, waitingView } from '../views/insights';
import { literal } from '../views/text';

/** Funds with a donut per card; the figures per activity type and the gauge add up every fund selected. */
export const FUNDS_PER_PAGE = 5;
const ALL = 'all';

/** The filter a card's inputs ask for, kept to funds and periods the tenant has. */
function readFilter(data: CardData, funds: readonly Fund[]): InsightsFilter {
  const fund = stringField(data, 'fund');
  const period = stringField(data, 'period');
  return {
    ...(fund && funds.some((f) => f.id === fund) ? { fundId: fund } : {}),
    ...(period && funds.some((f) => periodOf(f) === period) ? { period } : {}),
  };
}

/**
 * `insights` (issue 33): per fund a donut of approved, pending, reserved and remaining; spend and
 * pipeline per activity type; return on spend; claims waiting and their age. All from the running
 * sums beside the fund ledger: Incentives admins see the tenant's, others the sums of their own
 * claims (and the fund totals `claims` shows them too). A page of FUNDS_PER_PAGE donuts.
 */
export async function showInsights(
  turn: Turn,
  services: Services,
  data: CardData = {},
): Promise<Reply> {
  const actor = await loadActor(turn, services);
  if (!hasAnyRole(actor)) throw new AppError('NO_ROLE');
  const tenantWide = isTenantAdmin(actor);
  const [funds, ledger] = await Promise.all([
    services.funds.list(turn.tenantId),
    services.claims.fundLedger(turn.tenantId),
  ]);
  const results = tenantWide
    ? ledger
    : await services.claims.ownLedger(turn.tenantId, actor.userId);
  const filter = readFilter(data, funds);
  const figures = selectFunds(funds, filter).map((f) => fundFigures(f, ledger, results));
  const pages = Math.max(1, Math.ceil(figures.length / FUNDS_PER_PAGE));
  const asked = Number(stringField(data, 'page') ?? data.page);
  const page = Number.isSafeInteger(asked) && asked > 0 ? Math.min(asked, pages - 1) : 0;
  const from = page * FUNDS_PER_PAGE;
  const shown = figures.slice(from, from + FUNDS_PER_PAGE);
  const texts = turn.texts;
  const number = (n: number): string => numberFormat(texts.locale).format(n);
  return cardReply(
    renderInsights({
      t: texts.messages.insights,
      scope: texts.t(tenantWide ? 'insights.scopeTenant' : 'insights.scopeOwn'),
      funds: shown.map((f) => fundInsightView(texts, f)),
      pageLine:
        pages > 1
          ? texts.t('insights.pageLine', {
              from: number(from + 1),
              to: number(from + shown.length),
              count: number(figures.length),
            })
          : '',
      currencies: byCurrency(figures).map((c) => ({
        heading: texts.t('insights.currencyHeading', { currency: c.currency }),
        rows: typeRows(texts, c),
      })),
      waiting: waitingView(texts, figures, turn.now.toISOString().slice(0, 10)),
      fundChoices: funds.map((f) => ({ title: literal(f.name), value: f.id })),
      periodChoices: [...new Set(funds.map(periodOf))].sort().map((p) => ({ title: p, value: p })),
      filter: { fund: filter.fundId ?? ALL, period: filter.period ?? ALL },
      next: page + 1 < pages ? page + 1 : null,
    }),
  );
}
