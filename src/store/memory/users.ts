import { AppError } from '../../domain/errors';
import type { Role } from '../../domain/roles';
import {
  RoleChange,
  RoleChangeOptions,
  UserRecord,
  UserRepository,
  withRoleChange,
} from '../users';
import { stored } from './stored';

/** Users and their roles in this process's memory: the twin of CosmosUserRepository. */
export class MemoryUserRepository implements UserRepository {
  private readonly users = new Map<string, UserRecord>();

  async get(tenantId: string, userId: string): Promise<UserRecord | undefined> {
    const user = this.users.get(`${tenantId}|${userId}`);
    return user && stored(user);
  }

  async changeRole(
    tenantId: string,
    user: { id: string; name: string; channelUserId?: string },
    change: RoleChange,
    options: RoleChangeOptions = {},
  ): Promise<UserRecord> {
    const lastAdmin =
      options.keepOneGlobalAdmin &&
      change.role === 'globalAdmin' &&
      change.change === 'revoke' &&
      !this.holders(tenantId, 'globalAdmin').some((u) => u.id !== user.id);
    if (lastAdmin) throw new AppError('LAST_GLOBAL_ADMIN', { name: user.name });
    const key = `${tenantId}|${user.id}`;
    const saved = withRoleChange({ tenantId, current: this.users.get(key), user, change });
    this.users.set(key, stored(saved));
    return stored(saved);
  }

  async withRole(tenantId: string, role: Role): Promise<UserRecord[]> {
    return this.holders(tenantId, role).map(stored);
  }

  private holders(tenantId: string, role: Role): UserRecord[] {
    return [...this.users.values()].filter(
      (u) => u.tenantId === tenantId && u.roles.includes(role),
    );
  }
}
