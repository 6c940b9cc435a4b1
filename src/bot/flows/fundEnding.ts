import type { AdaptiveCard } from '../../../cards';
import type { FundEndItem, FundEndNotice } from '../../domain/fundEndNotice';
import { AppError } from '../../domain/errors';
import { texts } from '../../i18n/i18n';
import { storedActor } from '../actor';
import type { Services } from '../services';
import { fundEndingCard } from '../views/fundEnding';

/** The fund-end notice's card: the fund and what was unspent when the notice was queued. */
export async function fundEndNoticeCard(
  services: Services,
  notice: FundEndNotice,
): Promise<(locale: string | undefined) => AdaptiveCard> {
  const fund = await services.funds.get(notice.tenantId, notice.fundId);
  if (!fund) throw new AppError('FUND_NOT_FOUND', { fund: notice.fundId });
  return (locale) => fundEndingCard(texts(locale), fund, notice.totals);
}

/** An admin is told only while they are one (stored roles) and the fund is there. */
export async function mayReceiveFundEnd(
  services: Services,
  item: FundEndItem,
  notice: FundEndNotice,
): Promise<boolean> {
  const [actor, fund] = await Promise.all([
    storedActor(services, notice.tenantId, item.to),
    services.funds.get(notice.tenantId, notice.fundId),
  ]);
  return Boolean(fund) && (actor.roles.has('incentivesAdmin') || actor.roles.has('globalAdmin'));
}
