import { Activity } from '@microsoft/agents-activity';
import {
  CloudAdapter,
  ConnectorClient,
  MessageFactory,
  TurnContext,
} from '@microsoft/agents-hosting';
import type { Config } from '../../config';
import { log, noteActivity } from '../../log';
import type { BotEdge, EdgeTurn, InboundActivity, RosterMember } from '../edge';
import { cardAttachment } from '../edge';
import { AgentsResponse, authorized, createAgentsAdapter } from './adapter';
import { AgentsMessenger } from './agentsMessenger';
import { retried } from './retries';

type Attachment = Parameters<typeof MessageFactory.attachment>[0];

/**
 * A member of the turn's team (a channel) or chat, from the connector: the same REST call as
 * botbuilder's TeamsInfo.getMember, read off the activity without the Teams extension.
 */
async function member(
  adapter: CloudAdapter,
  context: TurnContext,
  id: string,
): Promise<RosterMember> {
  const connector = context.turnState.get<ConnectorClient>(adapter.ConnectorClientKey);
  const a = context.activity;
  const teamId = (a.channelData as { team?: { id?: unknown } } | undefined)?.team?.id;
  const conversationId = typeof teamId === 'string' ? teamId : (a.conversation?.id ?? '');
  return (await connector.getConversationMember(id, conversationId)) as RosterMember;
}

/** An Agents SDK turn as the bot sees it: the activity as plain Bot Framework JSON. */
function edgeTurn(adapter: CloudAdapter, context: TurnContext): EdgeTurn {
  const a = context.activity;
  const card = (c: unknown) => MessageFactory.attachment(cardAttachment(c as never) as Attachment);
  return {
    activity: { ...a, channelId: a.channelId } as unknown as InboundActivity,
    send: async (message) => {
      const activity = typeof message === 'string' ? MessageFactory.text(message) : card(message);
      return (await retried(() => context.sendActivity(activity)))?.id;
    },
    update: async (id, message) => {
      const update = card(message);
      update.id = id;
      await retried(() => context.updateActivity(update));
    },
    member: (id) => member(adapter, context, id),
  };
}

/**
 * The Teams edge on the Microsoft 365 Agents SDK (@microsoft/agents-hosting): its CloudAdapter, its
 * JWT validation and its connector client; the bot's own routing (teamsBot.ts) in place of its
 * ActivityHandler or AgentApplication, so that both SDKs run the same code past the edge.
 */
export function agentsEdge(auth: Config['auth']): BotEdge {
  const adapter = createAgentsAdapter(auth);
  return {
    sdk: 'agents',
    messenger: new AgentsMessenger(adapter, auth?.appId ?? ''),
    process: async (req, res, logic) => {
      if (auth && !(await authorized(adapter, req))) {
        res.setHeader('connection', 'close');
        res.send(401, { error: 'unauthorized' });
        return;
      }
      try {
        await adapter.process(req, new AgentsResponse(res), async (context) => {
          const answer = await logic(edgeTurn(adapter, context));
          if (answer) {
            await context.sendActivity(
              Activity.fromObject({ type: 'invokeResponse', value: answer }),
            );
          }
        });
      } catch (e) {
        // The SDK refuses an activity its schema does not allow before any turn (a ZodError).
        if ((e as Error).name === 'ZodError' && !res.headersSent) {
          res.send(400, { error: 'invalid activity' });
          return;
        }
        // Also before any turn: the connector client's token, which the SDK gets for every turn.
        noteActivity(req.body as { id?: string; type?: string });
        log.error({ err: e }, 'could not take in a request to /api/messages');
        if (!res.headersSent) res.send(500, { error: 'internal' });
      }
    },
  };
}
