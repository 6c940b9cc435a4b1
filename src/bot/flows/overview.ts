import { FundTotalsView, renderClaimsOverview, renderReviewQueue } from '../../../cards';
import { AppError } from '../../domain/errors';
import { Fund, FundTotals, fundTotals } from '../../domain/fund';
import { Actor, canCreateClaims, canReview, hasAnyRole, isTenantAdmin } from '../../domain/roles';
import type { Texts } from '../../i18n/i18n';
import { loadActor } from '../actor';
import type { Services } from '../services';
import { Reply, Turn, cardReply } from '../turn';
import { summaryView } from '../views/claim';
import { literal } from '../views/text';

const OVERVIEW_PAGE = 10;
const REVIEW_PAGE = 20;

export function fundView(texts: Texts, fund: Fund, totals: FundTotals): FundTotalsView {
  const allocated = Math.max(totals.allocated.minor, 1);
  const used = Math.min(
    100,
    Math.round(((totals.approved.minor + totals.pending.minor) / allocated) * 100),
  );
  return {
    name: fund.name,
    period: texts.t('funds.period', {
      start: texts.date(fund.periodStart),
      end: texts.date(fund.periodEnd),
    }),
    allocated: texts.money(totals.allocated),
    claimed: texts.money(totals.claimed),
    approved: texts.money(totals.approved),
    pending: texts.money(totals.pending),
    remaining: texts.money(totals.remaining),
    usedWidth: used,
    freeWidth: 100 - used,
  };
}

export async function fundViews(turn: Turn, services: Services): Promise<FundTotalsView[]> {
  const [funds, amounts] = await Promise.all([
    services.funds.list(turn.tenantId),
    services.claims.amounts(turn.tenantId),
  ]);
  return funds.map((f) => fundView(turn.texts, f, fundTotals(f, amounts)));
}

/** `claims`: the claims this user may see, newest first, and the totals per fund. */
export async function showOverview(
  turn: Turn,
  services: Services,
  beforeText?: unknown,
): Promise<Reply> {
  const actor = await loadActor(turn, services);
  const before = Number(beforeText);
  const page = await services.claims.list(
    turn.tenantId,
    isTenantAdmin(actor)
      ? { kind: 'tenant' }
      : { kind: 'user', userId: actor.userId, includeSubmitted: canReview(actor) },
    {
      before: Number.isSafeInteger(before) && before > 0 ? before : undefined,
      size: OVERVIEW_PAGE,
    },
  );
  // A colleague asked to upload has no role but sees the claims they contribute to.
  if (!hasAnyRole(actor) && page.items.length === 0) throw new AppError('NO_ROLE');
  const texts = turn.texts;
  return cardReply(
    renderClaimsOverview({
      t: texts.messages.overview,
      claims: page.items.map((c) => summaryView(texts, c)),
      funds: hasAnyRole(actor) ? await fundViews(turn, services) : [],
      next: page.next ?? null,
      canCreate: canCreateClaims(actor),
    }),
  );
}

/** `review`: claims waiting for a reviewer, oldest first. */
export async function showReviewQueue(turn: Turn, services: Services): Promise<Reply> {
  const actor: Actor = await loadActor(turn, services);
  if (!canReview(actor)) throw new AppError('NOT_ALLOWED', { action: 'review' });
  const claims = await services.claims.reviewQueue(turn.tenantId, REVIEW_PAGE);
  const texts = turn.texts;
  return cardReply(
    renderReviewQueue({
      t: texts.messages.review,
      open: texts.t('overview.open'),
      claims: claims.map((c) => ({ ...summaryView(texts, c), ownerName: literal(c.ownerName) })),
    }),
  );
}
