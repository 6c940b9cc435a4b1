import { Container } from '@azure/cosmos';
import { Role } from '../domain/roles';
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

export class CosmosUserRepository implements UserRepository {
  private readonly container: Container;

  constructor(db: CosmosDb) {
    this.container = db.container('users');
  }

  async get(tenantId: string, userId: string): Promise<UserRecord | undefined> {
    return (await readDoc<UserRecord>(this.container, tenantId, userId))?.doc;
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
    return saved as UserRecord;
  }

  async withRole(tenantId: string, role: Role): Promise<UserRecord[]> {
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
