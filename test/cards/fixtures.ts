import { Fund, readFund } from '../../src/domain/fund';
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
