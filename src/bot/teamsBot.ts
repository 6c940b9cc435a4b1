import { raceTimeout } from '../async';
import { AppError } from '../domain/errors';
import type { Person } from '../domain/roles';
import { texts } from '../i18n/i18n';
import { log } from '../log';
import { COMMAND_HANDLERS } from './commands';
import { AdaptiveCard, renderNotice } from '../../cards';
import {
  activityKey,
  buttonCommand,
  commandText,
  incomingFiles,
  isSharedCard,
  mentionsOf,
  scopeOf,
  tenantOf,
} from './activityReading';
import { CARD, EdgeTurn, InboundActivity, InvokeAnswer, conversationReference } from './edge';
import { errorCard } from './errors';
import { answerClaimSearch, answerDocumentSearch } from './searchInvokes';
import { receiveFiles } from './flows/fileUpload';
import { showHelp } from './flows/help';
import { CommandHandler, VerbHandler, asCardData, uniqueTable } from './handlers';
import { OwnChats } from './ownChats';
import { ChatProgressMessage } from './progressMessage';
import type { Services } from './services';
import { NO_PROGRESS, ProgressMessage, Reply, Turn } from './turn';
import { verbHandlers } from './verbs';
import type { Notifications } from '../notify/notifications';
import type { RateLimiter } from '../notify/rateLimiter';
import type { IncomingFile } from '../store/uploads';

/** An invoke answer that leaves the clicked card as it is and shows a short text. */
const MESSAGE = 'application/vnd.microsoft.activity.message';

export interface BotOptions {
  readonly allowedTenants: ReadonlySet<string> | undefined;
  readonly clock?: () => Date;
  /** A card action not answered within this long gets a "still working" card first. */
  readonly lateAnswerAfterMs: number;
  /** Paces progress messages per conversation: the notifications', so that both count together. */
  readonly conversationLimiter: RateLimiter;
  /** The local loop's language for every activity (config.localLocale). */
  readonly locale?: string;
}

/**
 * The bot on the Teams edge, whatever SDK carries its activities (edge.ts): it turns activities into
 * Turns, routes them through the command and verb tables, and turns Replies back into messages or
 * invoke answers.
 */
export class CoopClaimsBot {
  private readonly verbs: Map<string, VerbHandler>;
  /** File messages being filed now, by conversation and activity id. */
  private readonly uploadsUnderWay = new Set<string>();
  private readonly commands: readonly CommandHandler[];
  private readonly ownChats: OwnChats;

  constructor(
    private readonly services: Services,
    private readonly notifications: Notifications,
    private readonly options: BotOptions,
  ) {
    this.ownChats = new OwnChats(services.conversations);
    this.verbs = uniqueTable(verbHandlers(), (h) => h.verb);
    this.commands = [...uniqueTable(COMMAND_HANDLERS, (c) => c.name).values()];
  }

  /** One activity: an invoke's answer (501 for invokes the bot does not know), else nothing. */
  async run(context: EdgeTurn): Promise<InvokeAnswer | undefined> {
    if (this.options.locale) context.activity.locale = this.options.locale;
    switch (context.activity.type) {
      case 'message':
        await this.onMessage(context);
        return undefined;
      case 'invoke':
        return this.onInvoke(context);
      case 'conversationUpdate':
        await this.onMembersAdded(context);
        return undefined;
      case 'installationUpdate':
        await this.rememberConversation(context.activity);
        return undefined;
      default:
        return undefined;
    }
  }

  private async onMessage(context: EdgeTurn): Promise<void> {
    const a = context.activity;
    const files = incomingFiles(a);
    // A claim card shared from the message extension in the chat with the bot asks nothing.
    if (!files.length && isSharedCard(a)) return;
    // Teams sends a message again when its turn is not answered within 15 s, as a long upload's
    // is not: the upload under way answers it, in its progress message.
    const uploadKey = `${a.conversation?.id}|${a.id}`;
    if (files.length && this.uploadsUnderWay.has(uploadKey)) return;
    if (files.length) this.uploadsUnderWay.add(uploadKey);
    try {
      await this.answerMessage(context, files);
    } finally {
      this.uploadsUnderWay.delete(uploadKey);
    }
  }

  private async onMembersAdded(context: EdgeTurn): Promise<void> {
    const a = context.activity;
    const botAdded = (a.membersAdded ?? []).some((m) => m.id === a.recipient.id);
    // Another organisation installing the app is told nothing and nothing of it is kept.
    if (botAdded && this.tenantAllowed(a))
      await send(
        context,
        await this.answer(context, (turn) => showHelp(turn, this.services, true)),
      );
  }

  private async answerMessage(context: EdgeTurn, files: IncomingFile[]): Promise<void> {
    const progress = this.progressMessage(context);
    const reply = await this.answer(
      context,
      (turn) =>
        files.length
          ? receiveFiles(turn, this.services, files, commandText(context.activity))
          : this.routeMessage(context, turn),
      progress,
    );
    const shownIn = await progress.finish(cardForEveryone(reply));
    await this.remember(context.activity, reply, shownIn ?? (await send(context, reply)));
  }

  /**
   * Card actions (Universal Actions) and searches; every card action gets a card, never an error,
   * even with a malformed value (no action). Other invokes are not implemented here: 501.
   */
  private async onInvoke(context: EdgeTurn): Promise<InvokeAnswer> {
    const search = {
      // A search answers with cards for a chat: nothing in it depends on being the user's own chat.
      turn: () => this.toTurn(context, NO_PROGRESS, false),
      services: this.services,
      value: context.activity.value as unknown,
      locale: context.activity.locale,
    };
    if (context.activity.name === 'application/search') return answerDocumentSearch(search);
    if (context.activity.name === 'composeExtension/query') {
      return { status: 200, body: await answerClaimSearch(search) };
    }
    if (context.activity.name !== 'adaptiveCard/action') return { status: 501 };
    const value = context.activity.value as { action?: unknown } | undefined;
    const action = asCardData(value?.action);
    const answering = this.answer(context, (turn) => {
      const handler = typeof action.verb === 'string' ? this.verbs.get(action.verb) : undefined;
      if (!handler) throw new AppError('UNKNOWN_ACTION');
      return handler.handle(turn, asCardData(action.data), this.services);
    });
    const reply = await raceTimeout(answering, this.options.lateAnswerAfterMs);
    const clicked = context.activity.replyToId;
    if (!reply && clicked) {
      // Teams gives up on an invoke after 15 s (a large file filed from the question card, say):
      // the clicked card says so now, and shows the answer when it comes.
      // The turn's context is gone by the time the answer comes: only its activity is kept.
      void this.answerLate(context.activity, answering, clicked);
      const stillWorking = textCard(texts(context.activity.locale).t('upload.stillWorking'));
      return { status: 200, body: { statusCode: 200, type: CARD, value: stillWorking } };
    }
    const answer = reply ?? (await answering);
    if ('card' in answer && answer.asNewMessage) {
      const sent = await send(context, answer).catch((e: unknown) => {
        // Not sent (the chat service failing): the answer takes the clicked card's place instead.
        log.warn({ err: e }, 'could not send the opened card as a new message');
        return null;
      });
      if (sent !== null) {
        await this.remember(context.activity, answer, sent);
        return {
          status: 200,
          body: { statusCode: 200, type: MESSAGE, value: answer.asNewMessage },
        };
      }
    }
    // The returned card replaces the one the user clicked (Universal Actions).
    await this.remember(context.activity, answer, clicked);
    return { status: 200, body: { statusCode: 200, type: CARD, value: cardOf(answer) } };
  }

  /**
   * A card action answered after Teams stopped waiting ("still working" went back in time): the
   * answer replaces the clicked card, which is then remembered to be kept up to date.
   */
  private async answerLate(
    a: InboundActivity,
    answering: Promise<Reply>,
    clicked: string,
  ): Promise<void> {
    const tenantId = tenantOf(a) ?? '';
    try {
      const reply = await answering;
      const reference = conversationReference(a);
      // Put in place with a message update, which every member of a group chat sees.
      await this.notifications.sender.replaceCard(
        tenantId,
        reference,
        clicked,
        cardForEveryone(reply),
      );
      await this.remember(a, reply, clicked);
    } catch (e) {
      log.warn({ err: e }, 'could not put a late answer in place of its card');
    }
  }

  private async routeMessage(context: EdgeTurn, turn: Turn): Promise<Reply> {
    const text = commandText(context.activity) || buttonCommand(context.activity);
    for (const command of this.commands) {
      const match = command.pattern.exec(text);
      if (match) return command.handle(turn, match, this.services);
    }
    throw new AppError('UNKNOWN_COMMAND', { command: text.slice(0, 60) });
  }

  /** Builds the Turn, runs the handler, and turns every failure into a card: never a 500. */
  private async answer(
    context: EdgeTurn,
    handle: (turn: Turn) => Promise<Reply>,
    progress: ProgressMessage = NO_PROGRESS,
  ): Promise<Reply> {
    const t = texts(context.activity.locale);
    try {
      const ownChat = await this.rememberConversation(context.activity);
      return await handle(this.toTurn(context, progress, ownChat));
    } catch (e) {
      return { card: errorCard(e, t) };
    }
  }

  /** `ownChat`: the conversation is the user's own chat with the bot (see OwnChats). */
  private toTurn(context: EdgeTurn, progress: ProgressMessage, ownChat: boolean): Turn {
    const a = context.activity;
    const tenantId = tenantOf(a);
    const userId = a.from?.aadObjectId;
    // Only Teams vouches for the tenant and Entra ids in an activity: other channels of the bot
    // registration (Web Chat, Direct Line) are refused.
    if (a.channelId !== 'msteams' || !tenantId || !userId) {
      throw new AppError('NOT_ALLOWED', { action: 'identify' });
    }
    if (!this.tenantAllowed(a)) throw new AppError('TENANT_NOT_ALLOWED');
    const mentions = mentionsOf(a).flatMap(({ mentioned: m }) =>
      m?.id && m.id !== a.recipient?.id ? [{ id: m.id, name: m.name ?? '' }] : [],
    );
    return {
      activityId: activityKey(a, userId),
      ...(a.replyToId ? { replyToId: a.replyToId } : {}),
      tenantId,
      user: { id: userId, name: a.from.name ?? '', channelUserId: a.from.id },
      scope: scopeOf(a.conversation?.conversationType, ownChat),
      texts: texts(a.locale),
      now: this.options.clock?.() ?? new Date(),
      mentions,
      origin: conversationReference(a),
      resolveMember: (id) => resolveMember(context, id),
      progress,
    };
  }

  /** Progress shown as a card in this chat and paced by its rate limits. */
  private progressMessage(context: EdgeTurn): ChatProgressMessage {
    const chat = {
      post: (card: AdaptiveCard) => send(context, { card }),
      replace: async (id: string, card: AdaptiveCard) => {
        await context.update(id, card);
      },
    };
    const conversationId = context.activity.conversation?.id ?? '';
    return new ChatProgressMessage(
      chat,
      textCard,
      this.options.conversationLimiter,
      conversationId,
    );
  }

  /** A claim card now showing in a chat is remembered, to be updated in place when the claim changes. */
  private async remember(
    a: InboundActivity,
    reply: Reply,
    activityId: string | undefined,
  ): Promise<void> {
    const tenantId = tenantOf(a);
    const viewerId = a.from?.aadObjectId;
    if (!('card' in reply) || !reply.claim || !activityId || !tenantId || !viewerId) return;
    // A card in a person-to-person chat (shared from the message extension) is beyond the bot's reach.
    const personal = a.conversation?.conversationType === 'personal';
    if (personal && !(await this.ownChats.isOwn(tenantId, viewerId, a.conversation.id))) return;
    const conversation = conversationReference(a);
    try {
      await this.services.claims.rememberCard(tenantId, reply.claim, {
        viewerId,
        activityId,
        conversation,
        at: new Date().toISOString(),
      });
    } catch (e) {
      log.warn({ err: e, claim: reply.claim }, 'could not remember the claim card');
    }
  }

  /** ALLOWED_TENANTS, checked on every activity: messages, card actions, installs, chat updates. */
  private tenantAllowed(a: InboundActivity): boolean {
    const tenantId = tenantOf(a);
    const allowed = this.options.allowedTenants;
    return !allowed || (tenantId !== undefined && allowed.has(tenantId.toLowerCase()));
  }

  /**
   * Keeps the 1:1 conversation reference of every user who talks to the bot, for proactive messages;
   * true when the activity's conversation is that chat. Messages and chat events come only from chats
   * the bot is in; a card action may come from a person-to-person chat a card was shared into (also
   * `personal`), which is never taken for the user's own chat nor stored.
   */
  private async rememberConversation(a: InboundActivity): Promise<boolean> {
    const tenantId = tenantOf(a);
    if (!this.tenantAllowed(a) || a.channelId !== 'msteams') return false;
    if (tenantId) this.notifications.sender.learnServiceUrl(tenantId, a.serviceUrl);
    if (a.conversation?.conversationType !== 'personal' || !tenantId || !a.from?.aadObjectId) {
      return false;
    }
    const userId = a.from.aadObjectId;
    if (a.type === 'invoke' && !(await this.ownChats.isOwn(tenantId, userId, a.conversation.id))) {
      return false;
    }
    this.ownChats.confirm(tenantId, userId, a.conversation.id);
    // Without the activity id: a proactive message is a new message, not a reply, and the stored
    // reference changes only when the chat does (so most messages write nothing).
    const { activityId: _activityId, ...reference } = conversationReference(a);
    const isNew = await this.services.conversations.save({
      id: a.from.aadObjectId,
      tenantId,
      conversationId: a.conversation.id,
      ...(a.locale ? { locale: a.locale } : {}),
      reference,
      updatedAt: new Date().toISOString(),
    });
    // Someone the bot could not reach before may be waiting for notifications.
    if (isNew) await this.notifications.recipientAppeared(tenantId, a.from.aadObjectId);
    return true;
  }
}

async function resolveMember(
  context: EdgeTurn,
  channelUserId: string,
): Promise<Person | undefined> {
  try {
    const member = await context.member(channelUserId);
    return member.aadObjectId
      ? { id: member.aadObjectId, name: member.name ?? '', channelUserId: member.id }
      : undefined;
  } catch (e) {
    // botbuilder's RestError says statusCode, the Agents SDK's HttpError status.
    const { statusCode, status: code } = e as { statusCode?: number; status?: number };
    const status = statusCode ?? code;
    if (status === 404 || status === 400 || status === 403) return undefined;
    throw e;
  }
}

/** Sends the reply as a message, which every member of the chat sees; returns its activity id. */
async function send(context: EdgeTurn, reply: Reply): Promise<string | undefined> {
  const sent =
    'card' in reply ? await context.send(cardForEveryone(reply)) : await context.send(reply.text);
  return sent;
}

const textCard = (text: string) =>
  renderNotice({ style: 'accent', title: text, text: '', items: [], claim: '', openLabel: '' });

/** The user's own card: the answer to their invoke. */
const cardOf = (reply: Reply) => ('card' in reply ? reply.card : textCard(reply.text));
/** The card for a message every member of the chat sees. */
const cardForEveryone = (reply: Reply) =>
  'card' in reply ? (reply.forEveryone ?? reply.card) : textCard(reply.text);
