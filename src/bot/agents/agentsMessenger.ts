import {
  Activity,
  ConversationParameters,
  ConversationReference,
} from '@microsoft/agents-activity';
import { CloudAdapter, HttpError, MessageFactory, TurnContext } from '@microsoft/agents-hosting';
import type { AdaptiveCard } from '../../../cards';
import { DeliveryError, Messenger, resultInConversation } from '../../notify/messenger';
import { cardAttachment } from '../edge';

/** The scope of tokens for the Bot Connector (Azure Bot Service). */
const BOT_CONNECTOR_SCOPE = 'https://api.botframework.com';

/** The Agents SDK's HTTP failure (status, Retry-After, the service's error code) as a DeliveryError. */
export function toDeliveryError(e: unknown): DeliveryError {
  if (e instanceof DeliveryError) return e;
  if (!(e instanceof HttpError))
    return new DeliveryError(String((e as Error)?.message ?? e), undefined, undefined);
  const retryAfter = Number(e.response.headers?.get?.('retry-after'));
  const code = (e.response.data as { error?: { code?: unknown } } | undefined)?.error?.code;
  return new DeliveryError(
    e.message,
    e.status,
    Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter * 1000 : undefined,
    typeof code === 'string' ? code : undefined,
  );
}

const cardMessage = (card: AdaptiveCard): Activity =>
  MessageFactory.attachment(
    cardAttachment(card) as Parameters<typeof MessageFactory.attachment>[0],
  );

/**
 * A stored reference (Bot Framework's shape, `bot` for the bot's account) as the Agents SDK names it
 * (`agent`), so that references stored under either SDK serve both; botbuilder keeps none in the
 * reference of a chat it opened, and the Agents SDK sends nothing without one: Teams' bot id then.
 */
const agentsReference = (
  reference: Readonly<Record<string, unknown>>,
  bot: { id: string; name: string },
): ConversationReference =>
  ({ ...reference, agent: reference.agent ?? reference.bot ?? bot }) as ConversationReference;

/**
 * Proactive messages through the Agents SDK's CloudAdapter. Its connector client retries nothing on
 * its own: 429s and 5xx come back here, and the dispatcher retries within Teams' rate limits.
 */
export class AgentsMessenger implements Messenger {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
  ) {}

  /** The bot's account in Teams. */
  private get bot(): { id: string; name: string } {
    return { id: `28:${this.appId}`, name: '' };
  }

  /** The bot's identity; none in local mode, where the connector client sends no token. */
  private get identity(): string | { aud?: string } {
    return this.appId || {};
  }

  private async inConversation<T>(
    reference: Readonly<Record<string, unknown>>,
    act: (context: TurnContext) => Promise<T>,
  ): Promise<T> {
    return resultInConversation(
      (inside) =>
        this.adapter.continueConversation(
          this.identity,
          agentsReference(reference, this.bot),
          inside,
        ),
      act,
      toDeliveryError,
    );
  }

  async send(
    reference: Readonly<Record<string, unknown>>,
    card: AdaptiveCard,
  ): Promise<string | undefined> {
    return this.inConversation(
      reference,
      async (context) => (await context.sendActivity(cardMessage(card)))?.id,
    );
  }

  async createPersonal(
    target: { tenantId: string; userId: string; serviceUrl: string },
    card: AdaptiveCard,
  ): Promise<Readonly<Record<string, unknown>>> {
    let reference: Record<string, unknown> | undefined;
    let failure: unknown;
    const parameters = {
      isGroup: false,
      members: [{ id: target.userId, name: '' }],
      // The Agents SDK addresses the opened chat's first message from this account: Teams' bot id.
      agent: this.bot,
      tenantId: target.tenantId,
      channelData: { tenant: { id: target.tenantId } },
    } as unknown as ConversationParameters;
    try {
      await this.adapter.createConversationAsync(
        this.appId,
        'msteams',
        target.serviceUrl,
        BOT_CONNECTOR_SCOPE,
        parameters,
        async (context) => {
          try {
            const { agent, ...rest } = context.activity.getConversationReference();
            reference = { ...rest, bot: agent };
            await context.sendActivity(cardMessage(card));
          } catch (e) {
            failure = e;
          }
        },
      );
    } catch (e) {
      failure = e;
    }
    if (failure || !reference)
      throw toDeliveryError(failure ?? new Error('no conversation created'));
    return reference;
  }

  async update(
    reference: Readonly<Record<string, unknown>>,
    activityId: string,
    card: AdaptiveCard,
  ): Promise<void> {
    await this.inConversation(reference, async (context) => {
      const activity = cardMessage(card);
      activity.id = activityId;
      await context.updateActivity(activity);
    });
  }

  async mention(
    reference: Readonly<Record<string, unknown>>,
    user: { channelUserId: string; name: string },
    text: string,
  ): Promise<void> {
    const markup = `<at>${user.name}</at>`;
    await this.inConversation(reference, async (context) => {
      const message = MessageFactory.text(`${markup} ${text}`);
      message.entities = [
        { type: 'mention', text: markup, mentioned: { id: user.channelUserId, name: user.name } },
      ];
      await context.sendActivity(message);
    });
  }
}
