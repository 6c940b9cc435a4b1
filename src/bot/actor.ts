import { AppError } from '../domain/errors';
import { Actor, Role, hasAnyRole } from '../domain/roles';
import type { Services } from './services';
import type { Turn } from './turn';

/** The acting user with the roles stored for them (and the bootstrap admins from configuration). */
export async function loadActor(turn: Turn, services: Services): Promise<Actor> {
  const record = await services.users.get(turn.tenantId, turn.user.id);
  const roles = new Set<Role>(record?.roles ?? []);
  if (services.config.bootstrapAdmins.has(turn.user.id.toLowerCase())) roles.add('globalAdmin');
  return { tenantId: turn.tenantId, userId: turn.user.id, name: turn.user.name, roles };
}

/** The actor, or NO_ROLE: a user with no role sees an explanation and nothing of any claim. */
export async function loadMember(turn: Turn, services: Services): Promise<Actor> {
  const actor = await loadActor(turn, services);
  if (!hasAnyRole(actor)) throw new AppError('NO_ROLE');
  return actor;
}
