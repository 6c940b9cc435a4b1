import { ClaimInformation, readClaimInformation } from '../../src/domain/claim';
import type { Actor, Role } from '../../src/domain/roles';

/** What domain tests of a claim share: a tenant, its people and a claim's information. */
export const TENANT = 'tenant-a';

export const actor = (userId: string, roles: Role[]): Actor => ({
  tenantId: TENANT,
  userId,
  name: `Name of ${userId}`,
  roles: new Set(roles),
});

/** A webinar in March 2026 claiming 1,500.00 USD. */
export const INFO: ClaimInformation = readClaimInformation(
  {
    title: 'Spring webinar',
    activityType: 'webinar',
    activityStart: '2026-03-01',
    activityEnd: '2026-03-10',
    amount: '1,500.00',
    description: 'Azure migration webinar',
  },
  'USD',
  'en-US',
);
