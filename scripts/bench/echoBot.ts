import { AddressInfo } from 'node:net';
import {
  AdaptiveCardInvokeResponse,
  AdaptiveCardInvokeValue,
  TeamsActivityHandler,
  TurnContext,
} from 'botbuilder';
import restify from 'restify';
import { createAdapter } from '../../src/bot/botbuilder/adapter';
import { CARD } from './activities';

/**
 * The baseline: a minimal echo bot on the app's own CloudAdapter set-up and a restify server like
 * the app's. Messages are echoed through the connector; invokes answer a small card.
 */
class EchoBot extends TeamsActivityHandler {
  constructor() {
    super();
    this.onMessage(async (context, next) => {
      await context.sendActivity(`echo: ${context.activity.text ?? ''}`);
      await next();
    });
  }

  protected override async onAdaptiveCardInvoke(
    _context: TurnContext,
    value: AdaptiveCardInvokeValue,
  ): Promise<AdaptiveCardInvokeResponse> {
    return {
      statusCode: 200,
      type: CARD,
      value: {
        type: 'AdaptiveCard',
        version: '1.5',
        body: [{ type: 'TextBlock', text: `echo: ${value.action?.verb ?? ''}`, wrap: true }],
      },
    };
  }
}

export async function startEchoBot(): Promise<{ url: string; stop(): Promise<void> }> {
  const adapter = createAdapter(undefined);
  const bot = new EchoBot();
  const server = restify.createServer({ name: 'echo' });
  server.use(restify.plugins.bodyParser({ maxBodySize: 1024 * 1024 }));
  server.post('/api/messages', async (req, res) => {
    await adapter.process(req, res, (context) => bot.run(context));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/messages`,
    stop: async () => {
      server.close();
    },
  };
}
