import { randomBytes, randomUUID } from 'node:crypto';
import {
  ConversationInfo,
  DirectoryUser,
  Recorded,
  RecordingConnector,
} from '../../testkit/connector';

/**
 * A small Teams client: tenants, users and chats, and the activities Teams posts to a bot (messages
 * with @mentions, Action.Execute invokes, the bot being added). Each call returns the HTTP answer
 * and everything the bot sent through the recording connector during the turn. Card helpers below
 * read a card the way a user sees it and build what Teams sends when a button is pressed.
 */

export const CARD_TYPE = 'application/vnd.microsoft.card.adaptive';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Card = Record<string, any>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Activity = Record<string, any>;

export interface Tenant {
  readonly id: string;
  readonly name: string;
}

export type Chat = ConversationInfo;

export interface TeamsUser extends DirectoryUser {
  readonly personal: Chat;
}

export interface TurnResult {
  /** The HTTP status of POST /api/messages. */
  readonly status: number;
  readonly body: unknown;
  /** The card an invoke answered with (it replaces the clicked card). */
  readonly invokeCard?: Card;
  /** The invoke response's statusCode (undefined for messages). */
  readonly invokeStatus?: number;
  /** What the bot sent through the connector during the turn, in every conversation. */
  readonly sent: readonly Recorded[];
  /** Adaptive Cards the bot sent during the turn, then the invoke card. */
  readonly cards: readonly Card[];
  /** The invoke card, else the last card sent. */
  readonly card?: Card;
  /** The chat message holding `card` (an invoke card replaces the clicked one, so its id). */
  readonly cardActivityId?: string;
  /** Every text and card text of the answer, one string. */
  readonly text: string;
}

export interface ActivityOptions {
  readonly id?: string;
  readonly locale?: string;
}

const hex = (bytes: number): string => randomBytes(bytes).toString('hex');

export class TeamsClient {
  readonly bot: { readonly id: string; readonly name: string };
  private readonly locale: string;
  private readonly people: TeamsUser[] = [];
  private nextId = 1;

  constructor(
    /** The bot's messaging endpoint, e.g. `${app.url}/api/messages`. */
    readonly botUrl: string,
    readonly connector: RecordingConnector,
    opts: { bot?: { id: string; name: string }; locale?: string } = {},
  ) {
    this.bot = opts.bot ?? { id: '28:coop-claims-test-bot', name: 'Co-op Claims' };
    this.locale = opts.locale ?? 'en-US';
  }

  // ---- directory ----------------------------------------------------------------------------------

  tenant(name: string): Tenant {
    return { id: randomUUID(), name };
  }

  /** A user with a `29:` id, an Entra object id and a 1:1 chat with the bot (`a:` id). */
  user(
    tenant: Tenant,
    name: string,
    opts: { aadObjectId?: string; appInstalled?: boolean } = {},
  ): TeamsUser {
    const id = `29:1${hex(20)}`;
    const upn = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '.')}@${tenant.name}.test`;
    const personal: Chat = {
      id: `a:1${hex(24)}`,
      tenantId: tenant.id,
      type: 'personal',
      memberIds: [id],
    };
    const user: TeamsUser = {
      id,
      name,
      aadObjectId: opts.aadObjectId ?? randomUUID(),
      email: upn,
      userPrincipalName: upn,
      tenantId: tenant.id,
      personalConversationId: personal.id,
      appInstalled: opts.appInstalled ?? true,
      personal,
    };
    this.connector.addUser(user);
    this.people.push(user);
    return user;
  }

  groupChat(tenant: Tenant, members: readonly TeamsUser[]): Chat {
    const chat: Chat = {
      id: `19:${hex(16)}@thread.v2`,
      tenantId: tenant.id,
      type: 'groupChat',
      memberIds: members.map((m) => m.id),
    };
    this.connector.addConversation(chat);
    return chat;
  }

  // ---- activities ---------------------------------------------------------------------------------

  /** The fields every activity from Teams carries. */
  envelope(user: TeamsUser, chat: Chat, type: string, opts: ActivityOptions = {}): Activity {
    const now = new Date().toISOString();
    const locale = opts.locale ?? this.locale;
    return {
      type,
      id: opts.id ?? `${Date.now()}${this.nextId++}`,
      timestamp: now,
      localTimestamp: now,
      serviceUrl: this.connector.serviceUrl,
      channelId: 'msteams',
      from: { id: user.id, name: user.name, aadObjectId: user.aadObjectId },
      recipient: { ...this.bot },
      conversation: {
        id: chat.id,
        conversationType: chat.type,
        tenantId: chat.tenantId,
        ...(chat.type === 'personal' ? {} : { isGroup: true }),
      },
      channelData: { tenant: { id: chat.tenantId } },
      locale,
      entities: [{ type: 'clientInfo', locale, country: 'US', platform: 'Web' }],
    };
  }

  /**
   * A message. In a group chat the bot is @mentioned first unless the text already does; every
   * `<at>Name</at>` becomes a mention entity of the bot or of a user of that name.
   */
  message(user: TeamsUser, chat: Chat, text: string, opts: ActivityOptions = {}): Activity {
    const atBot = `<at>${this.bot.name}</at>`;
    const full = chat.type !== 'personal' && !text.includes(atBot) ? `${atBot} ${text}` : text;
    const activity = this.envelope(user, chat, 'message', opts);
    for (const [markup, name] of full.matchAll(/<at>(.*?)<\/at>/g)) {
      const who = name === this.bot.name ? this.bot : this.people.find((p) => p.name === name);
      if (who)
        activity.entities.push({ type: 'mention', text: markup, mentioned: { id: who.id, name } });
    }
    return { ...activity, text: full, textFormat: 'plain' };
  }

  send(user: TeamsUser, chat: Chat, text: string, opts: ActivityOptions = {}): Promise<TurnResult> {
    return this.post(this.message(user, chat, text, opts));
  }

  /** An Action.Execute press: the `adaptiveCard/action` invoke Teams posts. */
  invokeActivity(
    user: TeamsUser,
    chat: Chat,
    verb: string,
    data: unknown,
    replyToId?: string,
    opts: ActivityOptions = {},
  ): Activity {
    return {
      ...this.envelope(user, chat, 'invoke', { id: `f:${hex(10)}`, ...opts }),
      name: 'adaptiveCard/action',
      replyToId,
      value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
    };
  }

  invoke(
    user: TeamsUser,
    chat: Chat,
    verb: string,
    data: unknown,
    replyToId?: string,
    opts: ActivityOptions = {},
  ): Promise<TurnResult> {
    return this.post(this.invokeActivity(user, chat, verb, data, replyToId, opts));
  }

  /**
   * Presses the button `title` on the card of an earlier answer (see press()), as `user`: the invoke
   * replies to the message that holds the card.
   */
  click(
    user: TeamsUser,
    chat: Chat,
    from: TurnResult,
    title: string,
    inputsByLabel: Readonly<Record<string, string>> = {},
    near?: string,
  ): Promise<TurnResult> {
    if (!from.card) throw new Error(`no card to press "${title}" on (answer: ${from.text})`);
    const { verb, data } = press(from.card, title, inputsByLabel, near);
    return this.invoke(user, chat, verb, data, from.cardActivityId);
  }

  /** The bot is added to a chat (installed): conversationUpdate with the bot in membersAdded. */
  addBot(user: TeamsUser, chat: Chat, opts: ActivityOptions = {}): Promise<TurnResult> {
    return this.post({
      ...this.envelope(user, chat, 'conversationUpdate', opts),
      membersAdded: [{ id: this.bot.id }],
    });
  }

  /** POSTs an activity to the bot; the bot's sends are awaited inside the turn, so all are here. */
  async post(activity: Activity): Promise<TurnResult> {
    const seq = this.connector.seq;
    const res = await fetch(this.botUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
      signal: AbortSignal.timeout(15_000),
    });
    const raw = await res.text();
    const body: unknown = raw ? parseJson(raw) : undefined;
    const sent = this.connector.since(seq);
    const invoke = activity.type === 'invoke' && isObject(body) ? body : undefined;
    const invokeCard =
      invoke?.type === CARD_TYPE && isObject(invoke.value) ? (invoke.value as Card) : undefined;
    // The turn's answer: what the bot sent or replied here (not background updates of older cards).
    const here = sent.filter(
      (r) =>
        r.conversationId === activity.conversation.id.split(';')[0] &&
        (r.op === 'send' || r.op === 'reply'),
    );
    // Replies to this activity, when there are any: a notice sent meanwhile into the same 1:1 chat
    // (in-memory storage delivers within the turn) is not the turn's answer.
    const replies = here.filter((r) => r.op === 'reply' && r.replyToId === activity.id);
    const withCards = (replies.length > 0 ? replies : here).flatMap((r) =>
      ((r.activity.attachments ?? []) as { contentType: string; content: Card }[])
        .filter((a) => a.contentType === CARD_TYPE)
        .map((a) => ({ card: a.content, activityId: r.activityId })),
    );
    if (invokeCard) withCards.push({ card: invokeCard, activityId: activity.replyToId });
    const cards = withCards.map((c) => c.card);
    const texts = sent.map((r) => r.activity.text).filter((t): t is string => Boolean(t));
    return {
      status: res.status,
      body,
      invokeCard,
      invokeStatus: typeof invoke?.statusCode === 'number' ? invoke.statusCode : undefined,
      sent,
      cards,
      card: cards.at(-1),
      cardActivityId: withCards.at(-1)?.activityId,
      text: [...texts, ...cards.map(cardText)].join('\n'),
    };
  }
}

// ---- cards ----------------------------------------------------------------------------------------

/** Where card elements keep their children. */
const CHILDREN = ['body', 'items', 'columns', 'inlines', 'facts', 'actions', 'card'];

const isObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);
const isAction = (n: Card): boolean => String(n.type ?? '').startsWith('Action.');
const isInput = (n: Card): boolean => String(n.type ?? '').startsWith('Input.');

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Every element in document order, with the chain of cards (root, then ShowCard cards) holding it. */
function walk(card: Card, visit: (node: Card, cards: readonly Card[]) => void): void {
  const go = (node: unknown, cards: readonly Card[]): void => {
    if (Array.isArray(node)) return node.forEach((n) => go(n, cards));
    if (!isObject(node)) return;
    const chain = node.type === 'AdaptiveCard' ? [...cards, node] : cards;
    visit(node, chain);
    for (const key of CHILDREN) go(node[key], chain);
  };
  go(card, []);
}

/** All text a user reads on the card: text blocks, text runs, facts, input labels, button titles. */
export function cardText(card: Card | undefined): string {
  const out: string[] = [];
  if (card) {
    walk(card, (n) => {
      if (n.type === 'TextBlock' || n.type === 'TextRun') out.push(String(n.text));
      else if (n.type === undefined && 'title' in n && 'value' in n)
        out.push(`${n.title}: ${n.value}`);
      else if (isAction(n)) out.push(String(n.title));
      else if (isInput(n)) out.push([n.label, n.value].filter(Boolean).join(' '));
    });
  }
  return out.join('\n');
}

export interface FoundAction {
  readonly action: Card;
  /** The card chain the action sits in: its inputs are the ones Teams sends with it. */
  readonly cards: readonly Card[];
}

/** Every action of the card, also those inside Action.ShowCard cards. */
export function actions(card: Card): FoundAction[] {
  const found: FoundAction[] = [];
  walk(card, (n, cards) => {
    if (isAction(n)) found.push({ action: n, cards });
  });
  return found;
}

/** The button titled `title` (case-insensitive); `near` picks one whose data mentions it. */
export function findAction(card: Card, title: string, near?: string): FoundAction {
  const all = actions(card);
  const hits = all.filter(
    (a) =>
      String(a.action.title).toLowerCase() === title.toLowerCase() &&
      (!near || JSON.stringify(a.action.data ?? '').includes(near)),
  );
  if (!hits.length) {
    const titles = all.map((a) => `"${a.action.title}"`).join(', ');
    throw new Error(`no button "${title}"${near ? ` for ${near}` : ''} (buttons: ${titles})`);
  }
  return hits[0];
}

/** The value of the fact titled `title` (a FactSet row), or undefined. */
export function factValue(card: Card | undefined, title: string): string | undefined {
  let value: string | undefined;
  if (card) {
    walk(card, (n) => {
      if (value === undefined && n.type === undefined && n.title === title) value = String(n.value);
    });
  }
  return value;
}

/** A fund bar's fact without its share of the allocation ("$4,000.00 · 40%" → "$4,000.00"). */
export const factAmount = (card: Card | undefined, title: string): string | undefined =>
  factValue(card, title)?.split(' · ')[0];

export const buttonTitles = (card: Card): string[] => actions(card).map((a) => a.action.title);

export const allInputs = (card: Card): Card[] => {
  const found: Card[] = [];
  walk(card, (n) => {
    if (isInput(n)) found.push(n);
  });
  return found;
};

/** The input labelled `label` (case-insensitive) anywhere on the card. */
export function findInput(card: Card, label: string): Card | undefined {
  return allInputs(card).find((i) => String(i.label).toLowerCase() === label.toLowerCase());
}

/** Inputs Teams sends with an action: those of each card in its chain, not of nested ShowCards. */
function inputsInScope(cards: readonly Card[]): Card[] {
  const found: Card[] = [];
  const go = (node: unknown, top: boolean): void => {
    if (Array.isArray(node)) return node.forEach((n) => go(n, false));
    if (!isObject(node) || (node.type === 'AdaptiveCard' && !top)) return;
    if (isInput(node)) found.push(node);
    for (const key of CHILDREN) go(node[key], false);
  };
  for (const card of cards) go(card, true);
  return found;
}

/**
 * Presses the button `title`: an Action.Execute, or an Action.ShowCard whose card holds one. Inputs
 * are filled by label (a choice by its value or title) over the values the card pre-fills. Returns
 * the verb and exactly the data Teams would send: the action's data plus the set inputs by id.
 */
export function press(
  card: Card,
  title: string,
  inputsByLabel: Readonly<Record<string, string>> = {},
  near?: string,
): { verb: string; data: Record<string, string> } {
  let found = findAction(card, title, near);
  if (found.action.type === 'Action.ShowCard') {
    const inner = actions(found.action.card).filter((a) => a.action.type === 'Action.Execute');
    if (inner.length !== 1) throw new Error(`"${title}" shows ${inner.length} buttons, not one`);
    found = { action: inner[0].action, cards: [...found.cards, found.action.card] };
  }
  if (found.action.type !== 'Action.Execute') {
    throw new Error(`"${title}" is an ${found.action.type}, not Action.Execute`);
  }
  const scope = inputsInScope(found.cards);
  const values: Record<string, string> = {};
  for (const input of scope) {
    if (input.value !== undefined && input.value !== '') values[input.id] = String(input.value);
  }
  for (const [label, given] of Object.entries(inputsByLabel)) {
    const input = scope.find((i) => String(i.label).toLowerCase() === label.toLowerCase());
    if (!input) {
      const labels = scope.map((i) => `"${i.label}"`).join(', ');
      throw new Error(`"${title}" has no input "${label}" (inputs: ${labels})`);
    }
    const choice = (input.choices as { title: string; value: string }[] | undefined)?.find(
      (c) => c.value === given || c.title.toLowerCase() === given.toLowerCase(),
    );
    if (input.type === 'Input.ChoiceSet' && !choice) {
      throw new Error(`"${label}" offers no choice "${given}"`);
    }
    if (given === '') delete values[input.id];
    else values[input.id] = choice ? choice.value : given;
  }
  return { verb: String(found.action.verb), data: { ...(found.action.data ?? {}), ...values } };
}

/** Bytes of the card as JSON on the wire. */
export const cardBytes = (card: Card): number => Buffer.byteLength(JSON.stringify(card));
