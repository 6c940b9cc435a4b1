import { isBootstrapAdmin } from '../config';
import { AppError } from '../domain/errors';
import { awayNow, withDelegation } from '../domain/policy';
import {
  Actor,
  Person,
  Role,
  canCreateClaims,
  canReview,
  hasAnyRole,
  isTenantAdmin,
} from '../domain/roles';
import type { ClaimScope } from '../store/claims';
import type { Services } from './services';
import type { Turn } from './turn';

/** A user of a tenant with the roles stored for them (and the bootstrap admins from configuration). */
export async function storedActor(
  services: Services,
  tenantId: string,
  user: Person,
  now = new Date(),
): Promise<Actor> {
  const [record, policy] = await Promise.all([
    services.users.get(tenantId, user.id),
    services.policy.get(tenantId),
  ]);
  const roles = new Set<Role>(record?.roles ?? []);
  if (isBootstrapAdmin(services.config.bootstrapAdmins, tenantId, user.id))
    roles.add('globalAdmin');
  const actor: Actor = {
    tenantId,
    userId: user.id,
    name: user.name || record?.name || '',
    ...(user.channelUserId ? { channelUserId: user.channelUserId } : {}),
    roles,
  };
  // Covering for someone away: their roles, read like one's own (kept per roles stamp).
  const covered = awayNow(policy, now).filter((a) => a.delegate.id === user.id);
  if (!covered.length) return actor;
  const absent = await Promise.all(covered.map((a) => services.users.get(tenantId, a.absent.id)));
  const rolesOf = (p: Person) => absent.find((u) => u?.id === p.id)?.roles ?? [];
  return withDelegation(actor, covered, rolesOf);
}

/** The acting user: identity from the activity, roles from storage (never from card data). */
export const loadActor = (turn: Turn, services: Services): Promise<Actor> =>
  storedActor(services, turn.tenantId, turn.user, turn.now);

/** The actor, or NO_ROLE: a user with no role sees an explanation and nothing of any claim. */
export async function loadMember(turn: Turn, services: Services): Promise<Actor> {
  const actor = await loadActor(turn, services);
  if (!hasAnyRole(actor)) throw new AppError('NO_ROLE');
  return actor;
}

/** The claims an actor may file documents on from a list: their own (while they may make claims) and shared ones. */
export const editableScope = (actor: Actor): Extract<ClaimScope, { kind: 'user' }> => ({
  kind: 'user',
  userId: actor.userId,
  includeOwned: canCreateClaims(actor),
  includeSubmitted: false,
});

/**
 * The claims an actor may see in lists, from their stored roles as canView decides: every claim for
 * admins, else those of editableScope and, for reviewers, every submitted one.
 */
export const visibleScope = (actor: Actor): ClaimScope =>
  isTenantAdmin(actor)
    ? { kind: 'tenant' }
    : { ...editableScope(actor), includeSubmitted: canReview(actor) };

/**
 * The global admins BOOTSTRAP_ADMINS configures for a tenant, who may hold no stored role: those
 * bound to it, and bare ids (admins in every tenant) of people the bot knows there (a 1:1 chat or
 * a user record), with the name and Teams id stored for them when there is one.
 */
export async function configuredAdmins(services: Services, tenantId: string): Promise<Person[]> {
  const prefix = `${tenantId.toLowerCase()}:`;
  const entries = [...services.config.bootstrapAdmins];
  const bare = entries.filter((e) => !e.includes(':'));
  const known = await Promise.all(
    bare.map(async (id) =>
      (await services.conversations.get(tenantId, id)) || (await services.users.get(tenantId, id))
        ? [id]
        : [],
    ),
  );
  const ids = new Set([
    ...entries.filter((e) => e.startsWith(prefix)).map((e) => e.slice(prefix.length)),
    ...known.flat(),
  ]);
  return Promise.all(
    [...ids].map(async (id) => {
      const u = await services.users.get(tenantId, id);
      return {
        id,
        name: u?.name ?? '',
        ...(u?.channelUserId ? { channelUserId: u.channelUserId } : {}),
      };
    }),
  );
}
