import { Container } from '@azure/cosmos';
import { AppError } from '../domain/errors';
import { Role } from '../domain/roles';
import { CosmosDb, queryAll, readDoc, updateDoc } from './cosmos';
import { StampedCache, TenantStamps } from './tenantStamps';

export interface RoleChange {
  readonly role: Role;
  readonly change: 'grant' | 'revoke';
  readonly by: string;
  readonly at: string;
}

/** A user of a tenant as the app knows them: name, roles, and the audit of role changes. */
export interface UserRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly name: string;
  /** The Teams user id (29:…), when known, to open a 1:1 chat with them. */
  readonly channelUserId?: string;
  readonly roles: readonly Role[];
  readonly changes: readonly RoleChange[];
}

export interface RoleChangeOptions {
  /**
   * Revoking Global admin: refuse (LAST_GLOBAL_ADMIN) when no other stored global admin would be
   * left. Decided on one ETag-checked document per tenant, so two revocations at once, on any
   * instances, cannot both pass.
   */
  readonly keepOneGlobalAdmin?: boolean;
}

export interface UserRepository {
  get(tenantId: string, userId: string): Promise<UserRecord | undefined>;
  /** Grants or revokes in one conditional write; returns the stored record. */
  changeRole(
    tenantId: string,
    user: { id: string; name: string; channelUserId?: string },
    change: RoleChange,
    options?: RoleChangeOptions,
  ): Promise<UserRecord>;
  withRole(tenantId: string, role: Role): Promise<UserRecord[]>;
}

const MAX_AUDIT = 100;

/** The user's record after a role change: roles as a sorted set, the change audited (the latest kept). */
export function withRoleChange(o: {
  tenantId: string;
  current: UserRecord | undefined;
  user: { id: string; name: string; channelUserId?: string };
  change: RoleChange;
}): UserRecord {
  const { current, user, change } = o;
  const roles = new Set(current?.roles ?? []);
  if (change.change === 'grant') roles.add(change.role);
  else roles.delete(change.role);
  return {
    id: user.id,
    tenantId: o.tenantId,
    name: user.name || current?.name || '',
    ...(user.channelUserId || current?.channelUserId
      ? { channelUserId: user.channelUserId ?? current?.channelUserId }
      : {}),
    roles: [...roles].sort(),
    changes: [...(current?.changes ?? []), change].slice(-MAX_AUDIT),
  };
}

/**
 * The tenant's global admins, in one document beside the users: written after a grant, before a
 * revocation. A crash between the two writes leaves it counting fewer admins than there are, so it
 * can only refuse a revocation too many, never allow one too many.
 */
interface GlobalAdmins {
  readonly id: typeof GLOBAL_ADMINS;
  readonly tenantId: string;
  readonly type: 'globalAdmins';
  readonly ids: readonly string[];
}
const GLOBAL_ADMINS = 'global-admins';

/**
 * Every turn needs the acting user's roles, so records are kept while the tenant's roles stamp
 * stays (see TenantStamps): a grant or revoke on any instance bumps it once stored, and the very next
 * turn on every instance reads the record again.
 */
export class CosmosUserRepository implements UserRepository {
  private readonly container: Container;
  private readonly stamps: TenantStamps;
  private readonly records: StampedCache<UserRecord | undefined>;
  private readonly holders: StampedCache<UserRecord[]>;

  constructor(deps: { readonly db: CosmosDb; readonly stamps: TenantStamps }) {
    this.container = deps.db.container('users');
    this.stamps = deps.stamps;
    this.records = new StampedCache({ stamps: deps.stamps, kind: 'roles' });
    this.holders = new StampedCache({ stamps: deps.stamps, kind: 'roles' });
  }

  async get(tenantId: string, userId: string): Promise<UserRecord | undefined> {
    return this.records.get(
      tenantId,
      `${tenantId}|${userId}`,
      async () => (await readDoc<UserRecord>(this.container, tenantId, userId))?.doc,
    );
  }

  async changeRole(
    tenantId: string,
    user: { id: string; name: string; channelUserId?: string },
    change: RoleChange,
    options: RoleChangeOptions = {},
  ): Promise<UserRecord> {
    const admin = change.role === 'globalAdmin';
    if (admin && change.change === 'revoke') {
      await this.editGlobalAdmins(tenantId, (ids) => {
        const rest = ids.filter((id) => id !== user.id);
        if (options.keepOneGlobalAdmin && rest.length === 0) {
          throw new AppError('LAST_GLOBAL_ADMIN', { name: user.name });
        }
        return rest;
      });
    }
    const saved = await updateDoc<UserRecord>(this.container, tenantId, user.id, (current) =>
      withRoleChange({ tenantId, current, user, change }),
    );
    if (admin && change.change === 'grant') {
      await this.editGlobalAdmins(tenantId, (ids) => [...new Set([...ids, user.id])]);
    }
    await this.stamps.bump(tenantId, 'roles');
    return saved as UserRecord;
  }

  /** Changes the tenant's list of global admins (made from the stored roles the first time). */
  private async editGlobalAdmins(
    tenantId: string,
    edit: (ids: readonly string[]) => readonly string[],
  ): Promise<void> {
    const existing = await readDoc<GlobalAdmins>(this.container, tenantId, GLOBAL_ADMINS);
    const first = existing
      ? []
      : (await this.queryHolders(tenantId, 'globalAdmin')).map((u) => u.id);
    await updateDoc<GlobalAdmins>(this.container, tenantId, GLOBAL_ADMINS, (current) => ({
      id: GLOBAL_ADMINS,
      tenantId,
      type: 'globalAdmins',
      ids: edit(current?.ids ?? first),
    }));
  }

  /** Kept like a user's roles (the reviewers of every submit, say). */
  async withRole(tenantId: string, role: Role): Promise<UserRecord[]> {
    return this.holders.get(tenantId, `${tenantId}|${role}`, () =>
      this.queryHolders(tenantId, role),
    );
  }

  private queryHolders(tenantId: string, role: Role): Promise<UserRecord[]> {
    return queryAll<UserRecord>(
      this.container,
      'SELECT * FROM c WHERE c.tenantId = @t AND ARRAY_CONTAINS(c.roles, @r)',
      [
        { name: '@t', value: tenantId },
        { name: '@r', value: role },
      ],
    );
  }
}
