import { randomBytes } from 'node:crypto';
import type { RecordingConnector } from '../../testkit/connector';
import type { Chat, TeamsUser, Tenant } from './teams';

const hex = (): string => randomBytes(16).toString('hex');

/**
 * A chat between two people, as Teams names it (`19:…@unq.gbl.spaces`, type `personal` like a
 * user's chat with the bot). The bot is not in it: a card shared there from the message extension
 * still sends card actions from it, and the bot cannot post into it.
 */
export function personToPersonChat(tenant: Tenant, a: TeamsUser, b: TeamsUser): Chat {
  return {
    id: `19:${hex()}_${hex()}@unq.gbl.spaces`,
    tenantId: tenant.id,
    type: 'personal',
    memberIds: [a.id, b.id],
  };
}

/** A team channel with these members, known to the connector (the bot is installed in the team). */
export function teamChannel(
  connector: RecordingConnector,
  tenant: Tenant,
  members: readonly TeamsUser[],
): Chat {
  const channel: Chat = {
    id: `19:${hex()}@thread.tacv2`,
    tenantId: tenant.id,
    type: 'channel',
    memberIds: members.map((m) => m.id),
  };
  connector.addConversation(channel);
  return channel;
}
