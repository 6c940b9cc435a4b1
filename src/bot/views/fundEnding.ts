import { AdaptiveCard, renderNotice } from '../../../cards';
import type { Fund, FundTotals } from '../../domain/fund';
import type { Texts } from '../../i18n/i18n';

/** To the Incentives admins, 30 days before a fund's period ends: what of it is still unspent. */
export function fundEndingCard(texts: Texts, fund: Fund, totals: FundTotals): AdaptiveCard {
  return renderNotice({
    style: 'warning',
    title: texts.t('fundEnding.title', { fund: fund.name, end: texts.date(fund.periodEnd) }),
    text: texts.t('fundEnding.text', {
      remaining: texts.money(totals.remaining),
      allocated: texts.money(totals.allocated),
    }),
    items: [
      texts.t('fundEnding.approved', { amount: texts.money(totals.approved) }),
      texts.t('fundEnding.pending', { amount: texts.money(totals.pending) }),
      texts.t('fundEnding.reserved', { amount: texts.money(totals.reserved) }),
    ],
    claim: '',
    openLabel: texts.t('overview.open'),
  });
}
