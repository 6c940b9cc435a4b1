import type { Services } from '../bot/services';
import type { Role } from '../domain/roles';
import { addDays, isoDay } from '../domain/dates';

/** The demo organisation of .m365agentsplayground.yml: keep the two in step. */
export const DEMO_TENANT_ID = '6f9e1c4a-2b3d-4e5f-8a7b-1c2d3e4f5a6b';
export const DEMO_USERS: readonly { id: string; name: string; roles: Role[] }[] = [
  {
    id: '1a2b3c4d-0001-4000-8000-00000000c001',
    name: 'Megan Bowen',
    roles: ['globalAdmin', 'incentivesUser'],
  },
  { id: '1a2b3c4d-0001-4000-8000-00000000c002', name: 'Adele Vance', roles: ['incentivesUser'] },
  { id: '1a2b3c4d-0001-4000-8000-00000000c003', name: 'Isaiah Langer', roles: ['reviewer'] },
  {
    id: '1a2b3c4d-0001-4000-8000-00000000c004',
    name: 'Patti Fernandez',
    roles: ['incentivesAdmin'],
  },
  { id: '1a2b3c4d-0001-4000-8000-00000000c005', name: 'Lynne Robbins', roles: [] },
  { id: '1a2b3c4d-0001-4000-8000-00000000c006', name: 'Alex Wilber', roles: ['incentivesUser'] },
];
export const DEMO_FUND_ID = 'demo-fund';

/** Local stack only: one fund and the demo users' roles, written once (a restart changes nothing). */
export async function seedDemo(
  services: Pick<Services, 'funds' | 'users'>,
  today = new Date(),
): Promise<void> {
  const day = isoDay(today);
  await services.funds.create({
    id: DEMO_FUND_ID,
    tenantId: DEMO_TENANT_ID,
    name: 'FY27 Co-op fund',
    periodStart: addDays(day, -180),
    periodEnd: addDays(day, 185),
    allocated: { minor: 5_000_000, currency: 'USD' },
    createdBy: { id: DEMO_USERS[0].id, name: DEMO_USERS[0].name },
    createdAt: today.toISOString(),
  });
  for (const user of DEMO_USERS) {
    if (await services.users.get(DEMO_TENANT_ID, user.id)) continue;
    for (const role of user.roles) {
      await services.users.changeRole(DEMO_TENANT_ID, user, {
        role,
        change: 'grant',
        by: 'demo-seed',
        at: today.toISOString(),
      });
    }
  }
}
