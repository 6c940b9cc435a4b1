/** The Agents Playground's API as far as the tests need it (testkit/playground.ts drives it). */

export interface PlaygroundUser {
  id: string;
  name: string;
  userPrincipleName: string;
  aadObjectId: string;
  givenName: string;
  surname: string;
  email: string;
}

/** `GET /_internal/v1/config` → `.config`: the organisation of .m365agentsplayground.yml. */
export interface PlaygroundConfig {
  tenantId: string;
  bot: { id: string; name: string };
  currentUser: PlaygroundUser;
  /** The 5 other users (not the current user). */
  users: PlaygroundUser[];
  personalChat: { id: string; name: string };
  groupChats: { id: string; name: string; members: string[] }[];
  teams: {
    id: string;
    name: string;
    aadGroupId: string;
    /** The first is General; its id is the team id. */
    channels: { id: string; name: string; channelType: string }[];
    members: string[];
  }[];
}

export interface CardAttachment {
  contentType: string;
  content: unknown;
}

/** One event of the transcript WebSocket (`createMessage` / `updateMessage`). */
export interface TranscriptMessage {
  action: 'createMessage' | 'updateMessage';
  /**
   * Its conversation: a chat id, or in a channel the thread `<channel id>;messageid=<root id>`. A
   * message that starts a new thread (the bot posting to the channel itself) has the channel id here
   * and the new thread in `postConversationId`.
   */
  conversationId: string;
  postConversationId?: string;
  messageId: string;
  timestamp: number;
  from: { id: string };
  text?: string;
  textFormat?: string;
  attachments: CardAttachment[];
  attachmentLayout?: string;
  mentions: unknown[];
  suggestedActions?: unknown;
  [key: string]: unknown;
}

/** One item of the log WebSocket: every request between the playground and the bot, plus notes. */
export interface LogEntry {
  /** 'bot' for a request/response, 'text' for a note. */
  type: string;
  id: string;
  timestamp: number;
  displayText?: string;
  /**
   * e.g. 'installationUpdate', 'conversationUpdate', 'message', 'invoke' (playground → bot) and
   * 'message', 'createConversation', 'getConversationMember' (bot → playground).
   */
  activityName?: string;
  conversationId?: string;
  from?: string;
  to?: string;
  request?: unknown;
  response?: { statusCode?: number; body?: unknown };
  [key: string]: unknown;
}

/** An activity the bot sent to the playground's connector (from the log stream). */
export interface BotActivity {
  type: string;
  conversation: { id: string; [key: string]: unknown };
  text?: string;
  attachments?: CardAttachment[];
  [key: string]: unknown;
}

/** A createConversation call of the bot (proactive 1:1), from the log stream. */
export interface CreatedConversation {
  /** e.g. `16b1a14a-…@test.user` (the playground's format, not Teams' `a:…`). */
  conversationId: string;
  members: { id: string; [key: string]: unknown }[];
  statusCode?: number;
  request: Record<string, unknown>;
}

export interface SendResult {
  messageId: string;
  /** Set when the message was posted to a channel: the new thread's conversation id (bot replies go there). */
  postConversationId?: string;
  timestamp: number;
}

export interface TeamsFile {
  name: string;
  downloadUrl: string;
  /** Default: the name's extension. */
  fileType?: string;
  /** Default: a random GUID. */
  uniqueId?: string;
  /** Default: the downloadUrl (Teams sends the SharePoint URL). */
  contentUrl?: string;
  /** Message text sent with the file (default ''). */
  text?: string;
}

export interface InvokeOptions {
  conversationId: string;
  fromId: string;
  /** messageId of the card's message. */
  replyToId: string;
  verb?: string;
  data?: Record<string, unknown>;
  /** Overrides the whole `value.action` (default `{ type: 'Action.Execute', verb, data }`). */
  action?: Record<string, unknown>;
}

/** The playground's answer to an `adaptiveCard/action` invoke: the bot's invoke response body. */
export interface InvokeResult {
  type?: string;
  /** For `application/vnd.microsoft.card.adaptive`: the card that replaced the old one. */
  value?: unknown;
  [key: string]: unknown;
}

export interface WaitOptions {
  timeoutMs?: number;
}

export interface Playground {
  /** http://127.0.0.1:PORT — the web UI and the API. */
  url: string;
  port: number;
  /** The .m365agentsplayground.yml that was loaded. */
  configPath: string;
  logFile: string;
  /** The bot's connector base as the playground tells the bot (`serviceUrl`). */
  serviceUrl: string;
  stop(): Promise<void>;
  /** `GET /_internal/v1/config` (waits until the bot endpoint answers, up to 15 s). */
  config(): Promise<PlaygroundConfig>;
  /**
   * A user sends a message. Personal chat: always goes to the bot; group chat / channel: only when
   * the bot is among `mentions`. A mention missing from `text` as `<at>Name</at>` is prepended.
   *
   * From the current user it goes through the playground's own API (as typed in its UI; it appears
   * in the transcript and, in a channel, starts a thread: see `postConversationId`). The playground
   * sends every such message as the current user whatever `from.id` says, so a message from any
   * other user is built from the playground's activity template and sent as a custom activity: the
   * bot gets it (with from.id/name/aadObjectId of that user); it does not appear in the UI.
   */
  sendMessage(
    conversationId: string,
    fromId: string,
    text: string,
    mentions?: { id: string; name: string }[],
  ): Promise<SendResult>;
  /**
   * Clicks an Action.Execute: `adaptiveCard/action` invoke; resolves with the bot's invoke response.
   * Like the playground, a returned card replaces the message's card (in `botMessages()` too).
   */
  invoke(opts: InvokeOptions): Promise<InvokeResult>;
  /** Clicks an Action.Submit: the bot receives a message activity with `value`. */
  submit(opts: {
    conversationId: string;
    fromId: string;
    replyToId: string;
    value: Record<string, unknown>;
  }): Promise<void>;
  /**
   * `POST /_internal/v1/customActivities`: any activity, sent to the bot as is (the playground answers
   * at once and posts it to the bot afterwards).
   */
  sendCustomActivity(activity: Record<string, unknown>): Promise<void>;
  /**
   * A user sends a file in a chat, as Teams delivers it: a message with an
   * `application/vnd.microsoft.teams.file.download.info` attachment (the playground's UI cannot).
   * Serve the file yourself on 127.0.0.1 and give its `downloadUrl`.
   */
  sendFile(conversationId: string, fromId: string, file: TeamsFile): Promise<SendResult>;
  /**
   * `POST /_debug/conversation/:id/installation`: what the UI does when a chat is opened: the bot gets
   * an installationUpdate (add) and a conversationUpdate (membersAdded: the bot).
   */
  install(conversationId: string): Promise<void>;
  /** `GET /_internal/v1/customActivities/template`: a base activity from the current user. */
  activityTemplate(conversationId: string, type?: string): Promise<Record<string, unknown>>;
  /** Every event of the transcript WebSocket so far (bot messages; updates as separate events). */
  transcript(): TranscriptMessage[];
  /**
   * The bot's messages so far, in order, each in its latest state (updateMessage applied). Only the
   * current user's conversations: a proactive 1:1 to another user shows up in `log()` only.
   */
  botMessages(conversationId?: string): TranscriptMessage[];
  /** Resolves with the first bot message (latest state) matching `predicate`, existing or future. */
  waitForBotMessage(
    predicate: (m: TranscriptMessage) => boolean,
    opts?: WaitOptions,
  ): Promise<TranscriptMessage>;
  /**
   * Every activity the bot sent through the connector so far, in any conversation (also the 1:1
   * chats of other users, which the transcript never shows), oldest first.
   */
  botActivities(conversationId?: string): BotActivity[];
  waitForBotActivity(
    predicate: (a: BotActivity) => boolean,
    opts?: WaitOptions,
  ): Promise<BotActivity>;
  /** The bot's createConversation calls so far. */
  createdConversations(): CreatedConversation[];
  /** Every log item so far (requests bot ↔ playground). */
  log(): LogEntry[];
  waitForLog(predicate: (e: LogEntry) => boolean, opts?: WaitOptions): Promise<LogEntry>;
}

export interface StartPlaygroundOptions {
  /** e.g. http://127.0.0.1:3978/api/messages */
  botEndpoint: string;
  /** Where the playground writes its log (default: a new temp dir). */
  logFile?: string;
  /** Default: the repo's .m365agentsplayground.yml. Must exist (the playground would silently fall back). */
  configPath?: string;
  /** Default: a free loopback port. */
  port?: number;
  /** Default 'msteams'. */
  channelId?: string;
  /** Max time to wait for `Listening on N` (default 20 s). */
  startTimeoutMs?: number;
}
