import type { BotSdk, Config } from '../config';
import { agentsEdge } from './agents/edge';
import { botbuilderEdge } from './botbuilder/edge';
import type { BotEdge } from './edge';

/** The Teams edge on the SDK that BOT_SDK names (config.ts). */
export function createEdge(sdk: BotSdk, auth: Config['auth']): BotEdge {
  return sdk === 'agents' ? agentsEdge(auth) : botbuilderEdge(auth);
}
