import http from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * A recording Bot Connector: the part of the Bot Framework REST API (/v3/conversations/...) that
 * botbuilder calls when the bot sends, replies, updates, opens a 1:1 chat or looks a member up. It
 * keeps every activity the bot sent, answers members from a small directory and can inject faults.
 */

/** A user as Teams' roster returns it (TeamsChannelAccount). */
export interface DirectoryUser {
  readonly id: string;
  readonly name: string;
  readonly aadObjectId: string;
  readonly email: string;
  readonly userPrincipalName: string;
  readonly tenantId: string;
  /** The user's 1:1 chat with the bot, returned by createConversation. */
  readonly personalConversationId: string;
  /** false: the app is not installed for them, so createConversation answers 403. */
  appInstalled: boolean;
}

export interface ConversationInfo {
  readonly id: string;
  readonly tenantId: string;
  readonly type: 'personal' | 'groupChat' | 'channel';
  /** Teams user ids (29:...) of the members. */
  readonly memberIds: readonly string[];
}

export type Operation = 'send' | 'reply' | 'update' | 'create';

/** One activity the bot sent (or a conversation it created). */
export interface Recorded {
  readonly seq: number;
  readonly op: Operation;
  readonly conversationId: string;
  readonly activityId: string;
  readonly replyToId?: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly activity: Record<string, any>;
}

export interface Fault {
  readonly status: number;
  /** Seconds, sent as the Retry-After header. */
  readonly retryAfter?: number;
  /** How many requests fail (default 1). */
  readonly count?: number;
  /** Only writes to this conversation fail (default: any). */
  readonly conversationId?: string;
}

type Json = Record<string, unknown>;

export class RecordingConnector {
  readonly records: Recorded[] = [];
  /** Every request the bot made, answered or faulted. */
  readonly requests: { at: number; method: string; path: string; status: number }[] = [];
  private readonly users = new Map<string, DirectoryUser>();
  private readonly conversations = new Map<string, ConversationInfo>();
  private faults: { fault: Fault; left: number }[] = [];
  private nextId = 1000;

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {}

  static async start(): Promise<RecordingConnector> {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const connector = new RecordingConnector(server, `http://127.0.0.1:${port}`);
    server.on('request', (req, res) => {
      connector
        .handle(req, res)
        .catch((e: unknown) => connector.reply(req, res, 500, error('ConnectorError', String(e))));
    });
    return connector;
  }

  /** What activities carry as serviceUrl (real ones have a region path too). */
  get serviceUrl(): string {
    return `${this.url}/amer/`;
  }

  /** The sequence number of the newest record: pass to since() to see what came after. */
  get seq(): number {
    return this.records.length;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  addUser(user: DirectoryUser): void {
    for (const key of [user.id, user.aadObjectId, user.userPrincipalName]) {
      this.users.set(key.toLowerCase(), user);
    }
  }

  addConversation(conversation: ConversationInfo): void {
    this.conversations.set(conversation.id, conversation);
  }

  /** The next `count` writes (send, reply, update, create) fail with `status`. */
  inject(fault: Fault): void {
    this.faults.push({ fault, left: fault.count ?? 1 });
  }

  clearFaults(): void {
    this.faults = [];
  }

  /** Records after `seq`, optionally of one conversation. */
  since(seq: number, conversationId?: string): Recorded[] {
    return this.records.filter(
      (r) => r.seq > seq && (!conversationId || r.conversationId === conversationId),
    );
  }

  /** Activities the bot sent or replied into a conversation, oldest first. */
  delivered(conversationId: string): Recorded[] {
    return this.since(0, conversationId).filter((r) => r.op === 'send' || r.op === 'reply');
  }

  /** The newest version of an activity, after updates. */
  latest(conversationId: string, activityId: string): Recorded | undefined {
    return this.since(0, conversationId).findLast((r) => r.activityId === activityId);
  }

  /** The first record matching, waiting for background sends (notifications) up to `timeoutMs`. */
  async waitFor(match: (r: Recorded) => boolean, timeoutMs = 5000): Promise<Recorded | undefined> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.records.find(match);
      if (hit || Date.now() > end) return hit;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  // ---- HTTP ---------------------------------------------------------------------------------------

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', this.url).pathname;
    const at = path.indexOf('/v3/conversations');
    const [cid, sub, aid, extra] = (at < 0 ? '' : path.slice(at + '/v3/conversations'.length))
      .split('/')
      .slice(1)
      .map(decodeURIComponent);
    const body = await readJson(req);
    const method = req.method ?? 'GET';
    if (at < 0) return this.reply(req, res, 404, error('NotFound', 'no such route'));
    if (!cid && method === 'POST') return this.createConversation(req, res, body);
    const conversationId = cid.split(';')[0];
    if (sub === 'activities' && method === 'POST' && !extra) {
      return this.write(req, res, aid ? 'reply' : 'send', conversationId, body, aid);
    }
    if (sub === 'activities' && method === 'PUT' && aid) {
      if (!this.latest(conversationId, aid)) {
        return this.reply(req, res, 404, error('NotFound', `activity ${aid} not found`));
      }
      return this.write(req, res, 'update', conversationId, body, undefined, aid);
    }
    if (sub === 'members' && method === 'GET' && aid) return this.member(req, res, cid, aid);
    return this.reply(req, res, 404, error('NotFound', `no route ${method} ${path}`));
  }

  private write(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    op: Operation,
    conversationId: string,
    activity: Json | undefined,
    replyToId?: string,
    activityId = String(++this.nextId),
  ): void {
    if (!activity) return this.reply(req, res, 400, error('BadArgument', 'activity required'));
    if (this.fault(req, res, conversationId)) return;
    this.records.push({
      seq: this.records.length + 1,
      op,
      conversationId,
      activityId,
      replyToId: replyToId ?? (activity.replyToId as string | undefined),
      activity: { ...activity, id: activityId },
    });
    this.reply(req, res, op === 'update' ? 200 : 201, { id: activityId });
  }

  /** POST /v3/conversations: the 1:1 chat of one user of the tenant, where the app is installed. */
  private createConversation(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    body: Json | undefined,
  ): void {
    const tenantId =
      (body?.tenantId as string | undefined) ??
      ((body?.channelData as Json | undefined)?.tenant as Json | undefined)?.id;
    const members = (body?.members as { id?: string }[] | undefined) ?? [];
    if (!tenantId) return this.reply(req, res, 400, error('BadArgument', 'tenantId required'));
    if (body?.isGroup || members.length !== 1) {
      return this.reply(req, res, 400, error('BadArgument', 'exactly one member is required'));
    }
    const user = this.findUser(members[0].id, String(tenantId));
    if (!user) return this.reply(req, res, 404, error('NotFound', 'no such user in the tenant'));
    if (!user.appInstalled) {
      return this.reply(req, res, 403, error('Forbidden', 'the app is not installed for the user'));
    }
    const conversationId = user.personalConversationId;
    if (this.fault(req, res, conversationId)) return;
    const activityId = String(++this.nextId);
    this.records.push({
      seq: this.records.length + 1,
      op: 'create',
      conversationId,
      activityId,
      activity: (body?.activity as Json | undefined) ?? {},
    });
    this.reply(req, res, 201, { id: conversationId, activityId, serviceUrl: this.serviceUrl });
  }

  /** GET .../members/{id}: a member of a group chat, or any user of the tenant in a 1:1 chat. */
  private member(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    conversationId: string,
    key: string,
  ): void {
    const conversation = this.conversations.get(conversationId.split(';')[0]);
    const user = conversation && this.findUser(key, conversation.tenantId);
    const inConversation =
      user && (conversation.type === 'personal' || conversation.memberIds.includes(user.id));
    if (!user || !inConversation) {
      return this.reply(req, res, 404, error('MemberNotFoundInConversation', `${key} not found`));
    }
    const { id, name, aadObjectId, email, userPrincipalName, tenantId } = user;
    this.reply(req, res, 200, { id, name, aadObjectId, email, userPrincipalName, tenantId });
  }

  private findUser(key: string | undefined, tenantId: string): DirectoryUser | undefined {
    const user = key ? this.users.get(key.toLowerCase()) : undefined;
    return user?.tenantId === tenantId ? user : undefined;
  }

  /** Answers the request with an injected fault if one matches; true when it did. */
  private fault(req: http.IncomingMessage, res: http.ServerResponse, conversationId: string) {
    const hit = this.faults.find(
      (f) => f.left > 0 && (!f.fault.conversationId || f.fault.conversationId === conversationId),
    );
    if (!hit) return false;
    hit.left -= 1;
    const { status, retryAfter } = hit.fault;
    const headers: Record<string, string> =
      retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) };
    this.reply(req, res, status, error('Injected', `injected ${status}`), headers);
    return true;
  }

  private reply(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void {
    this.requests.push({ at: Date.now(), method: req.method ?? '', path: req.url ?? '', status });
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
      ...headers,
    });
    res.end(text);
  }
}

const error = (code: string, message: string) => ({ error: { code, message } });

async function readJson(req: http.IncomingMessage): Promise<Json | undefined> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === 'object' ? (parsed as Json) : undefined;
  } catch {
    return undefined;
  }
}
