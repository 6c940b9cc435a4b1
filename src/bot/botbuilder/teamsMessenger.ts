import {
  CardFactory,
  CloudAdapter,
  ConversationParameters,
  ConversationReference,
  MessageFactory,
  TurnContext,
} from 'botbuilder';
import type { AdaptiveCard } from '../../../cards';
import { DeliveryError, Messenger, resultInConversation } from '../../notify/messenger';

function toDeliveryError(e: unknown): DeliveryError {
  if (e instanceof DeliveryError) return e;
  const err = e as {
    statusCode?: number;
    message?: string;
    code?: unknown;
    response?: { headers?: { get?(name: string): string | undefined } };
  };
  const retryAfter = Number(err.response?.headers?.get?.('retry-after'));
  return new DeliveryError(
    err.message ?? String(e),
    err.statusCode,
    Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter * 1000 : undefined,
    typeof err.code === 'string' ? err.code : undefined,
  );
}

/**
 * Proactive messages through CloudAdapter, whose connector clients retry nothing on their own (see
 * keepConnectors). Errors thrown inside the adapter's callback do not reject
 * the adapter's promise (platform-notes.md), so each callback catches and hands its outcome back.
 */
export class TeamsMessenger implements Messenger {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
  ) {}

  /**
   * Runs `act` in the conversation of `reference`; a failure inside the adapter's callback (which the
   * adapter would swallow) or outside it comes back as a DeliveryError.
   */
  private async inConversation<T>(
    reference: Readonly<Record<string, unknown>>,
    act: (context: TurnContext) => Promise<T>,
  ): Promise<T> {
    return resultInConversation(
      (inside) =>
        this.adapter.continueConversationAsync(
          this.appId,
          reference as Partial<ConversationReference>,
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
      async (context) =>
        (await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card))))?.id,
    );
  }

  async createPersonal(
    target: { tenantId: string; userId: string; serviceUrl: string },
    card: AdaptiveCard,
  ): Promise<Readonly<Record<string, unknown>>> {
    let reference: Partial<ConversationReference> | undefined;
    let failure: unknown;
    const parameters = {
      isGroup: false,
      members: [{ id: target.userId, name: '' }],
      tenantId: target.tenantId,
      channelData: { tenant: { id: target.tenantId } },
    } as unknown as ConversationParameters;
    try {
      await this.adapter.createConversationAsync(
        this.appId,
        'msteams',
        target.serviceUrl,
        '',
        parameters,
        async (context) => {
          try {
            reference = TurnContext.getConversationReference(context.activity);
            await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
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
    return { ...reference };
  }

  async update(
    reference: Readonly<Record<string, unknown>>,
    activityId: string,
    card: AdaptiveCard,
  ): Promise<void> {
    await this.inConversation(reference, async (context) => {
      const activity = MessageFactory.attachment(CardFactory.adaptiveCard(card));
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
