import { FundTotalsView, renderClaimsOverview, renderReviewQueue } from '../../../cards';
import { AppError } from '../../domain/errors';
import { Fund, FundLedger, FundTotals, fundTerms, totalsFrom } from '../../domain/fund';
import type { Money } from '../../domain/money';
import { Actor, canCreateClaims, canManageFunds, canReview, hasAnyRole } from '../../domain/roles';
import { numberFormat } from '../../domain/formatters';
import type { Texts } from '../../i18n/i18n';
import {
  ReviewFilter,
  ReviewQueueKey,
  ReviewQueuePage,
  isReviewQueueKey,
} from '../../store/claims';
import { loadActor, visibleScope } from '../actor';
import type { Services } from '../services';
import { Reply, Turn, cardReply } from '../turn';
import { summaryView } from '../views/claim';
import { waited, waitingSince } from '../views/nextStep';
import { termsLine, termsSinceLine } from '../views/reimbursement';
import { usageStyle } from '../views/fundUsage';
import { literal } from '../views/text';

const OVERVIEW_PAGE = 10;
const REVIEW_PAGE = 20;

/**
 * A fund as `funds` and the claims overview show it: one bar of approved, pending, reserved and
 * remaining, labelled with each part's amount and share of the allocation. What fund requests
 * reserve is labelled only for those who see fund requests (`showReserved`); others see that part of
 * the bar unfilled and unlabelled, so no one's request amount shows through the overview.
 */
export function fundView(
  texts: Texts,
  fund: Fund,
  totals: FundTotals,
  showReserved = true,
): FundTotalsView {
  const allocated = Math.max(totals.allocated.minor, 1);
  const percent = (minor: number): number => Math.round((minor / allocated) * 100);
  const usedMinor = totals.approved.minor + totals.pending.minor + totals.reserved.minor;
  const usedPercent = percent(usedMinor);
  // Above 100 % the used parts share the whole bar in proportion; below, the rest is free.
  const scale = Math.max(usedMinor, allocated);
  const width = (minor: number): number => Math.round((minor / scale) * 100);
  const barStyle = usageStyle(usedPercent);
  const number = numberFormat(texts.locale);
  const part = (amount: Money, share: number): string =>
    texts.t('funds.part', { amount: texts.money(amount), percent: number.format(share) });
  const widths = {
    approvedWidth: width(totals.approved.minor),
    pendingWidth: width(totals.pending.minor),
    reservedWidth: width(totals.reserved.minor),
  };
  return {
    name: fund.name,
    // The fund's money rules ride on its period line: "…, 50% reimbursed".
    period: [
      texts.t('funds.period', {
        start: texts.date(fund.periodStart),
        end: texts.date(fund.periodEnd),
      }),
      termsLine(texts, fundTerms(fund)),
      termsSinceLine(texts, fund),
    ]
      .filter(Boolean)
      .join(' · '),
    usage: texts.t('funds.usage', {
      used: number.format(usedPercent),
      allocated: texts.money(totals.allocated),
    }),
    barStyle,
    reservedStyle: showReserved ? barStyle : 'default',
    allocated: texts.money(totals.allocated),
    approved: part(totals.approved, percent(totals.approved.minor)),
    paid: totals.paid.minor > 0 ? texts.money(totals.paid) : '',
    pending: part(totals.pending, percent(totals.pending.minor)),
    reserved: showReserved ? part(totals.reserved, percent(totals.reserved.minor)) : '',
    remaining: part(totals.remaining, Math.max(0, 100 - usedPercent)),
    ...widths,
    freeWidth: Math.max(0, 100 - widths.approvedWidth - widths.pendingWidth - widths.reservedWidth),
  };
}

export async function fundViews(
  turn: Turn,
  services: Services,
  ledger: FundLedger,
  showReserved: boolean,
): Promise<FundTotalsView[]> {
  const funds = await services.funds.list(turn.tenantId);
  return funds.map((f) => fundView(turn.texts, f, totalsFrom(f, ledger), showReserved));
}

/** `claims`: the claims this user may see, newest first, and the totals per fund. */
export async function showOverview(
  turn: Turn,
  services: Services,
  beforeText?: unknown,
): Promise<Reply> {
  const actor = await loadActor(turn, services);
  const before = Number(beforeText);
  const { page, funds } = await services.claims.overview(turn.tenantId, visibleScope(actor), {
    before: Number.isSafeInteger(before) && before > 0 ? before : undefined,
    size: OVERVIEW_PAGE,
  });
  // A colleague asked to upload has no role but sees the claims they contribute to.
  if (!hasAnyRole(actor) && page.items.length === 0) throw new AppError('NO_ROLE');
  const texts = turn.texts;
  return cardReply(
    renderClaimsOverview({
      t: texts.messages.overview,
      claims: page.items.map((c) => summaryView(texts, c)),
      funds: hasAnyRole(actor) ? await fundViews(turn, services, funds, canManageFunds(actor)) : [],
      next: page.next ?? null,
      canCreate: canCreateClaims(actor),
    }),
  );
}

/** Where a review queue page starts: after a claim, with how many the pages before showed. */
interface ReviewContinuation {
  readonly after: ReviewQueueKey;
  readonly shown: number;
}

/** Longer than any continuation encodeContinuation writes. */
const MAX_CONTINUATION = 200;

function encodeContinuation({ after, shown }: ReviewContinuation): string {
  const fields = [after.rank, after.submittedAt, after.seq, shown];
  return Buffer.from(JSON.stringify(fields)).toString('base64url');
}

/** The continuation a Next page button sent back, or undefined for anything this app did not write. */
function decodeContinuation(token: unknown): ReviewContinuation | undefined {
  if (typeof token !== 'string' || token.length > MAX_CONTINUATION) return undefined;
  let fields: unknown;
  try {
    fields = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(fields) || fields.length !== 4) return undefined;
  const [rank, submittedAt, seq, shown] = fields as unknown[];
  const after = { rank, submittedAt, seq };
  if (!isReviewQueueKey(after) || !Number.isSafeInteger(shown) || (shown as number) < 1) {
    return undefined;
  }
  const decoded = { after, shown: shown as number };
  return encodeContinuation(decoded) === token ? decoded : undefined;
}

/** "Claims 21–40, more on the next page", "Claims 41–53 of 53", or that no claim (more) waits. */
function queuePosition(texts: Texts, shown: number, page: ReviewQueuePage): string {
  if (!page.items.length) return texts.t(shown ? 'review.noMore' : 'review.empty');
  const number = (n: number): string => numberFormat(texts.locale).format(n);
  const first = shown + 1;
  const last = shown + page.items.length;
  const range = first === last ? number(first) : `${number(first)}–${number(last)}`;
  return page.next
    ? texts.t('review.position', { range })
    : texts.t('review.lastPosition', { range, total: number(last) });
}

/** The filter a filter button sent back: a known status, a fund of the tenant; anything else is none. */
function readFilter(
  data: { status?: unknown; fund?: unknown },
  funds: readonly Fund[],
): ReviewFilter {
  const status =
    data.status === 'submitted' || data.status === 'disputed' ? data.status : undefined;
  const fund = funds.find((f) => f.id === data.fund);
  return { ...(status ? { status } : {}), ...(fund ? { fundId: fund.id } : {}) };
}

/**
 * `review`, its Next page and its filters: claims waiting for a reviewer, Submitted first, oldest
 * first, each with how long it has waited. The continuation only says where the page starts; the
 * tenant and the right to see it come from the turn.
 */
export async function showReviewQueue(
  turn: Turn,
  services: Services,
  data: { after?: unknown; status?: unknown; fund?: unknown } = {},
): Promise<Reply> {
  const actor: Actor = await loadActor(turn, services);
  if (!canReview(actor)) throw new AppError('NOT_ALLOWED', { action: 'review' });
  const from = decodeContinuation(data.after);
  const shown = from?.shown ?? 0;
  const funds = await services.funds.list(turn.tenantId);
  const filter = readFilter(data, funds);
  const page = await services.claims.reviewQueue(turn.tenantId, {
    after: from?.after,
    size: REVIEW_PAGE,
    filter,
  });
  const texts = turn.texts;
  const fundName = funds.find((f) => f.id === filter.fundId)?.name;
  return cardReply(
    renderReviewQueue({
      t: texts.messages.review,
      open: texts.t('overview.open'),
      notice: data.after !== undefined && !from ? texts.t('review.pageGone') : '',
      summary: queuePosition(texts, shown, page),
      showing: [
        texts.t(
          filter.status === 'submitted'
            ? 'review.onlySubmitted'
            : filter.status === 'disputed'
              ? 'review.onlyDisputed'
              : 'review.onlyAll',
        ),
        ...(fundName ? [fundName] : []),
      ].join(' · '),
      claims: page.items.map((c) => ({
        ...summaryView(texts, c),
        ownerName: literal(c.ownerName),
        waited: texts.t('review.waiting', { waited: waited(texts, waitingSince(c), turn.now) }),
      })),
      filter: { status: filter.status ?? '', fund: filter.fundId ?? '' },
      funds: funds.map((f) => ({ value: f.id, title: f.name })),
      next: page.next
        ? encodeContinuation({ after: page.next, shown: shown + page.items.length })
        : null,
      later: shown > 0,
    }),
  );
}
