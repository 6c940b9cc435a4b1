import { randomUUID } from 'node:crypto';
import { AppError } from '../../domain/errors';
import { Fund, totalsFrom } from '../../domain/fund';
import { canManageFunds } from '../../domain/roles';
import type { ClaimRepository, ClaimSummary } from '../../store/claims';
import { writeFundWorkbook } from '../../exports/fundWorkbook';
import type { FundSummary, SummaryRow } from '../../exports/fundSummarySheet';
import { ACTIVITY_TYPES } from '../../domain/claim';
import { FundFigures, fundFigures, returnOn } from '../../domain/insights';
import type { TypeSums } from '../../domain/typeSums';
import type { Texts } from '../../i18n/i18n';
import { loadActor } from '../actor';
import type { Services } from '../services';
import type { Reply, Turn } from '../turn';
import { literal } from '../views/text';
import { statusLabel } from '../views/claim';
import { answerWithExport } from './exports';

const PAGE = 100;

/** Every claim of a fund, page by page through the tenant's claim list. */
export async function* claimsOfFund(
  claims: ClaimRepository,
  tenantId: string,
  fundId: string,
): AsyncIterable<ClaimSummary> {
  let before: number | undefined;
  do {
    const page = await claims.list(tenantId, { kind: 'tenant' }, { before, size: PAGE });
    yield* page.items.filter((c) => c.fundId === fundId);
    before = page.next;
  } while (before !== undefined);
}

/** The summary sheet: per activity type and for the fund, the figures `insights` shows. */
function fundSummary(texts: Texts, f: FundFigures): FundSummary {
  const m = texts.messages.insights;
  const row = (label: string, s: TypeSums): SummaryRow => ({
    label,
    approved: s.approved,
    pending: s.pending,
    pipeline: s.pipeline,
    revenue: s.revenue,
    returnPipeline: returnOn(s.pipeline, s.approved),
    returnRevenue: returnOn(s.revenue, s.approved),
  });
  return {
    sheet: texts.messages.export.workbook.summary,
    columns: {
      label: m.activityType,
      approved: m.approved,
      pending: m.pending,
      pipeline: texts.messages.metricKind.pipeline,
      revenue: texts.messages.metricKind.revenue,
      returnPipeline: m.returnPipeline,
      returnRevenue: m.returnRevenue,
    },
    rows: [
      ...ACTIVITY_TYPES.map((t) => row(texts.tDynamic(`activityType.${t}`), f.types[t])),
      row(texts.messages.export.workbook.allTypes, f.all),
    ],
  };
}

/** The fund an Incentives admin named in a command (export, edit fund), or FUND_NOT_FOUND. */
export async function fundToExport(turn: Turn, services: Services, name: string): Promise<Fund> {
  const actor = await loadActor(turn, services);
  if (!canManageFunds(actor)) throw new AppError('NOT_ALLOWED', { action: 'manageFunds' });
  const wanted = name.trim().toLowerCase();
  const fund = (await services.funds.list(turn.tenantId)).find(
    (f) => f.name.trim().toLowerCase() === wanted,
  );
  if (!fund) throw new AppError('FUND_NOT_FOUND');
  return fund;
}

/** An export's file name: the fund's name in safe characters. */
export const exportFileName = (fund: Fund, suffix = ''): string =>
  `${fund.name.replace(/[^\p{L}\p{N} _-]+/gu, '_')}${suffix}.xlsx`;

/** `export fund <name>` (Incentives admins): an XLSX of the fund's claims and its totals. */
export async function exportFund(turn: Turn, services: Services, name: string): Promise<Reply> {
  const fund = await fundToExport(turn, services, name);
  const texts = turn.texts;
  const m = texts.messages;
  return answerWithExport(turn, services, fund.name, async () => {
    const ledger = await services.claims.fundLedger(turn.tenantId);
    const totals = totalsFrom(fund, ledger);
    const blobName = `${turn.tenantId}/funds/${fund.id}/${randomUUID()}.xlsx`;
    const fileName = exportFileName(fund);
    const count = await writeFundWorkbook({
      store: services.exports,
      blobName,
      fileName,
      fund,
      totals,
      claims: claimsOfFund(services.claims, turn.tenantId, fund.id),
      results: await services.claims.resultsOfFund(turn.tenantId, fund.id),
      summary: fundSummary(texts, fundFigures(fund, ledger, ledger)),
      texts: {
        sheet: m.export.workbook.sheet,
        columns: {
          number: m.overview.number,
          title: m.export.workbook.title,
          owner: m.export.workbook.owner,
          status: m.overview.status,
          claimed: m.overview.claimed,
          approved: m.overview.approved,
          paid: m.overview.paid,
          leads: m.metricKind.leads,
          opportunities: m.metricKind.opportunities,
          pipeline: m.metricKind.pipeline,
          revenue: m.metricKind.revenue,
        },
        status: (s) => statusLabel(texts, s),
        totals: m.export.workbook.total,
        allocated: m.overview.allocated,
        pending: m.overview.pending,
        reserved: m.overview.reserved,
        remaining: m.overview.remaining,
        leftOut: m.export.workbook.leftOut,
      },
    });
    return {
      blobName,
      heading: texts.t('export.fundHeading', { name: literal(fund.name) }),
      fileName,
      facts: [
        { title: texts.t('export.claims'), value: String(count) },
        { title: m.overview.approved, value: texts.money(totals.approved) },
        { title: m.overview.paid, value: texts.money(totals.paid) },
      ],
    };
  });
}
