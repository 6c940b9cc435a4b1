import {
  CardFactory,
  InvokeResponse,
  MessageFactory,
  Request,
  Response,
  TeamsInfo,
  TurnContext,
} from 'botbuilder';
import type { Config } from '../../config';
import type { BotEdge, EdgeTurn, InboundActivity } from '../edge';
import { createAdapter } from './adapter';
import { TeamsMessenger } from './teamsMessenger';

/** A botbuilder turn as the bot sees it (edge.ts). */
function edgeTurn(context: TurnContext): EdgeTurn {
  const card = (c: unknown) => MessageFactory.attachment(CardFactory.adaptiveCard(c));
  return {
    activity: context.activity as unknown as InboundActivity,
    send: async (message) =>
      (await context.sendActivity(typeof message === 'string' ? message : card(message)))?.id,
    update: async (id, message) => {
      await context.updateActivity({ ...card(message), id });
    },
    member: (id) => TeamsInfo.getMember(context, id),
  };
}

/** The Teams edge on botbuilder 4 (the Bot Framework SDK): its CloudAdapter and Bot Connector client. */
export function botbuilderEdge(auth: Config['auth']): BotEdge {
  const adapter = createAdapter(auth);
  return {
    sdk: 'botbuilder',
    messenger: new TeamsMessenger(adapter, auth?.appId ?? ''),
    process: (req, res, logic) =>
      adapter.process(req as unknown as Request, res as unknown as Response, async (context) => {
        const answer = await logic(edgeTurn(context));
        if (answer) {
          await context.sendActivity({ type: 'invokeResponse', value: answer as InvokeResponse });
        }
      }),
  };
}
