import { AppError } from '../../domain/errors';
import { loadMember } from '../actor';
import type { Services } from '../services';
import type { Reply, Turn } from '../turn';
import { confirmation } from './claimCards';

/** Whether this turn is in the local demo tenant (the demo seed is on and this is its tenant). */
export const inDemoTenant = (turn: Turn, services: Services): boolean =>
  services.demo !== undefined && services.demo.tenantId === turn.tenantId;

/** `reset demo`: global admins of the local demo tenant put it back as the seed made it. */
export async function resetDemo(turn: Turn, services: Services): Promise<Reply> {
  const actor = await loadMember(turn, services);
  if (!services.demo || !inDemoTenant(turn, services)) throw new AppError('DEMO_ONLY');
  if (!actor.roles.has('globalAdmin')) throw new AppError('NOT_ALLOWED', { action: 'resetDemo' });
  const { claims } = await services.demo.reset(services, turn.now);
  return confirmation(turn, turn.texts.t('demo.reset', { claims }));
}
