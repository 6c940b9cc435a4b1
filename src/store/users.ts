import { Container } from '@azure/cosmos';
import { Role } from '../domain/roles';
import { ExpiringCache } from './expiringCache';
import { CosmosDb, queryAll, readDoc, updateDoc } from './cosmos';

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

export interface UserRepository {
  get(tenantId: string, userId: string): Promise<UserRecord | undefined>;
  /** Grants or revokes in one conditional write; returns the stored record. */
  changeRole(
    tenantId: string,
    user: { id: string; name: string; channelUserId?: string },
    change: RoleChange,
  ): Promise<UserRecord>;
  withRole(tenantId: string, role: Role): Promise<UserRecord[]>;
}

const MAX_AUDIT = 100;
const MAX_CACHED = 10_000;

/**
 * Every turn needs the acting user's roles, so a record read is kept for a few seconds (a grant or
 * revoke made through this process updates it at once; one made on another instance shows within
 * `cacheMs`).
 */
export class CosmosUserRepository implements UserRepository {
  private readonly container: Container;
  private readonly records: ExpiringCache<UserRecord | undefined>;
  private readonly holders: ExpiringCache<UserRecord[]>;

  constructor(db: CosmosDb, cacheMs = 5000) {
    this.container = db.container('users');
    this.records = new ExpiringCache(cacheMs, MAX_CACHED);
    this.holders = new ExpiringCache(cacheMs, MAX_CACHED);
  }

  async get(tenantId: string, userId: string): Promise<UserRecord | undefined> {
    return this.records.get(
      `${tenantId}|${userId}`,
      async () => (await readDoc<UserRecord>(this.container, tenantId, userId))?.doc,
    );
  }

  async changeRole(
    tenantId: string,
    user: { id: string; name: string; channelUserId?: string },
    change: RoleChange,
  ): Promise<UserRecord> {
    const saved = await updateDoc<UserRecord>(this.container, tenantId, user.id, (current) => {
      const roles = new Set(current?.roles ?? []);
      if (change.change === 'grant') roles.add(change.role);
      else roles.delete(change.role);
      return {
        id: user.id,
        tenantId,
        name: user.name || current?.name || '',
        ...(user.channelUserId || current?.channelUserId
          ? { channelUserId: user.channelUserId ?? current?.channelUserId }
          : {}),
        roles: [...roles].sort(),
        changes: [...(current?.changes ?? []), change].slice(-MAX_AUDIT),
      };
    });
    this.records.set(`${tenantId}|${user.id}`, saved);
    this.holders.delete(`${tenantId}|${change.role}`);
    return saved as UserRecord;
  }

  /** Kept as long as a user's roles are (the reviewers of every submit, say). */
  async withRole(tenantId: string, role: Role): Promise<UserRecord[]> {
    return this.holders.get(`${tenantId}|${role}`, () =>
      queryAll<UserRecord>(
        this.container,
        'SELECT * FROM c WHERE c.tenantId = @t AND ARRAY_CONTAINS(c.roles, @r)',
        [
          { name: '@t', value: tenantId },
          { name: '@r', value: role },
        ],
      ),
    );
  }
}
