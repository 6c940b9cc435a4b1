import { isBootstrapAdmin } from '../../config';
import { AppError } from '../../domain/errors';
import { canGrant, parseRole } from '../../domain/roles';
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
  const role = parseRole(roleText);
  if (!role || turn.mentions.length !== 1) return { text: texts.t('roles.usage') };
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
  if (change === 'grant' && had) return { text: texts.t('roles.alreadyHad', params) };
  if (change === 'revoke' && !had) return { text: texts.t('roles.didNotHave', params) };
  if (change === 'revoke' && role === 'globalAdmin')
    await refuseLastGlobalAdmin(turn, services, target);
  await services.users.changeRole(
    turn.tenantId,
    { ...target, channelUserId: turn.mentions[0].id },
    {
      role,
      change,
      by: actor.userId,
      at: turn.now.toISOString(),
    },
  );
  return { text: texts.t(change === 'grant' ? 'roles.granted' : 'roles.revoked', params) };
}

/** A tenant always keeps a global admin: stored ones and configured ones bound to the tenant count. */
async function refuseLastGlobalAdmin(
  turn: Turn,
  services: Services,
  target: { id: string; name: string },
): Promise<void> {
  const prefix = `${turn.tenantId.toLowerCase()}:`;
  const configured = [...services.config.bootstrapAdmins].some(
    (e) => e.startsWith(prefix) && e !== `${prefix}${target.id.toLowerCase()}`,
  );
  if (configured) return;
  const admins = await services.users.withRole(turn.tenantId, 'globalAdmin');
  if (!admins.some((u) => u.id !== target.id)) {
    throw new AppError('LAST_GLOBAL_ADMIN', { name: target.name });
  }
}
