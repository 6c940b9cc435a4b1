import { isBootstrapAdmin } from '../../config';
import { AppError } from '../../domain/errors';
import { canGrant, parseRole } from '../../domain/roles';
import { splitLimit } from '../../domain/policy';
import { changeLimit, limitFor } from './limits';
import { loadMember } from '../actor';
import type { Services } from '../services';
import type { Reply, Turn } from '../turn';

/**
 * `grant @Name role` / `revoke @Name role`: the person comes from the mention entity (resolved to
 * their Entra object id in this conversation), the role from the words after it.
 */
export async function changeRole(
  turn: Turn,
  services: Services,
  change: 'grant' | 'revoke',
  roleText: string,
): Promise<Reply> {
  const actor = await loadMember(turn, services);
  const texts = turn.texts;
  const { role: roleWords, limit } = splitLimit(roleText);
  const role = parseRole(roleWords);
  if (!role || turn.mentions.length !== 1) return { text: texts.t('roles.usage') };
  if (limit !== undefined && (role !== 'reviewer' || change !== 'grant')) {
    return { text: texts.t('roles.usage') };
  }
  if (!canGrant(actor, role)) throw new AppError('NOT_ALLOWED', { action: change });
  const target = await turn.resolveMember(turn.mentions[0].id);
  if (!target) throw new AppError('USER_NOT_FOUND');
  const params = { name: target.name, role: texts.tDynamic(`role.${role}`) };
  if (
    change === 'revoke' &&
    role === 'globalAdmin' &&
    isBootstrapAdmin(services.config.bootstrapAdmins, turn.tenantId, target.id)
  ) {
    return { text: texts.t('roles.bootstrapped', params) };
  }
  const before = await services.users.get(turn.tenantId, target.id);
  const had = before?.roles.includes(role) ?? false;
  const limited = limit === undefined ? undefined : await limitFor(turn, services, limit);
  if (change === 'grant' && had && !limited) return { text: texts.t('roles.alreadyHad', params) };
  if (change === 'revoke' && !had) return { text: texts.t('roles.didNotHave', params) };
  if (!had || change === 'revoke') {
    await services.users.changeRole(
      turn.tenantId,
      { ...target, channelUserId: turn.mentions[0].id },
      {
        role,
        change,
        by: actor.userId,
        at: turn.now.toISOString(),
      },
      { keepOneGlobalAdmin: !anotherConfiguredAdmin(turn.tenantId, services, target.id) },
    );
  }
  if (role === 'reviewer' && (limited || change === 'revoke')) {
    await changeLimit(turn, services, actor, target, change === 'grant' ? limited : undefined);
  }
  if (limited) {
    const limitParams = { ...params, amount: texts.money(limited) };
    return { text: texts.t(had ? 'roles.limitChanged' : 'roles.grantedUpTo', limitParams) };
  }
  return { text: texts.t(change === 'grant' ? 'roles.granted' : 'roles.revoked', params) };
}

/**
 * A tenant always keeps a global admin: besides the stored ones (counted by the user repository,
 * atomically), a configured BOOTSTRAP_ADMINS entry bound to the tenant is one.
 */
function anotherConfiguredAdmin(tenantId: string, services: Services, targetId: string): boolean {
  const prefix = `${tenantId.toLowerCase()}:`;
  return [...services.config.bootstrapAdmins].some(
    (e) => e.startsWith(prefix) && e !== `${prefix}${targetId.toLowerCase()}`,
  );
}
