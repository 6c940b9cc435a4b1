import { randomBytes } from 'node:crypto';
import type { Chat, TeamsUser, Tenant } from './teams';

/**
 * A chat between two people, as Teams names it (`19:…@unq.gbl.spaces`, type `personal` like a
 * user's chat with the bot). The bot is not in it: a card shared there from the message extension
 * still sends card actions from it, and the bot cannot post into it.
 */
export function personToPersonChat(tenant: Tenant, a: TeamsUser, b: TeamsUser): Chat {
  const hex = (): string => randomBytes(16).toString('hex');
  return {
    id: `19:${hex()}_${hex()}@unq.gbl.spaces`,
    tenantId: tenant.id,
    type: 'personal',
    memberIds: [a.id, b.id],
  };
}
