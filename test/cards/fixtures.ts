import type { FundTotalsView } from '../../cards';
import { fundView } from '../../src/bot/flows/overview';
import { Fund, ledgerKey, totalsFrom } from '../../src/domain/fund';
import { readFund } from '../../src/domain/fundInput';
import { texts } from '../../src/i18n/i18n';
import type { Actor, Role } from '../../src/domain/roles';

/** A user of tenant t1 with these roles, as the domain sees them. */
export const actor = (userId: string, name: string, roles: Role[]): Actor => ({
  tenantId: 't1',
  userId,
  name,
  channelUserId: `29:${userId}`,
  roles: new Set(roles),
});

export const incentivesAdmin = actor('u-admin', 'Adam Admin', ['incentivesAdmin']);

/** A USD fund of tenant t1 for 2026, added by the incentives admin. */
export const usdFund = (name: string, allocated: string): Fund =>
  readFund(
    {
      fundName: name,
      allocated,
      currency: 'USD',
      periodStart: '2026-01-01',
      periodEnd: '2026-12-31',
    },
    incentivesAdmin,
    'en-US',
    '2026-01-01T00:00:00Z',
    'fund-1',
  );

/** The fund's view with these sums in dollars: approved, pending, reserved and paid. */
export const fundViewWith = (
  fund: Fund,
  sums: { approved: number; pending: number; reserved: number; paid?: number },
  locale = 'en-US',
): FundTotalsView =>
  fundView(
    texts(locale),
    fund,
    totalsFrom(fund, {
      [ledgerKey(fund.id, 'USD')]: {
        currency: 'USD',
        claimed: (sums.approved + sums.pending) * 100,
        approved: sums.approved * 100,
        pending: sums.pending * 100,
        reserved: sums.reserved * 100,
        paid: (sums.paid ?? 0) * 100,
      },
    }),
  );
