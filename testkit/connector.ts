import http from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * A recording Bot Connector on loopback: the part of the Bot Framework REST API
 * (/v3/conversations/...) that botbuilder calls when the bot sends, replies, updates, opens a 1:1
 * chat or looks a member up. It answers members from a small directory, can inject faults and
 * counts what it accepted. While recording (from the start) it keeps every activity and request;
 * `record(false)` makes it only count, for the benchmark's tens of thousands of sends: then no
 * activity is parsed and nothing is kept per request.
 */

/** A user as Teams' roster returns it (TeamsChannelAccount). */
export interface DirectoryUser {
  readonly id: string;
  readonly name: string;
  readonly aadObjectId: string;
  readonly email?: string;
  readonly userPrincipalName?: string;
  readonly tenantId: string;
  /** The user's 1:1 chat with the bot, returned by createConversation. */
  readonly personalConversationId: string;
  /** false: the app is not installed for them, so createConversation answers 403. */
  appInstalled?: boolean;
}

export interface ConversationInfo {
  readonly id: string;
  readonly tenantId: string;
  readonly type: 'personal' | 'groupChat' | 'channel';
  /** Teams user ids (29:...) of the members. */
  readonly memberIds: readonly string[];
}

export type Operation = 'send' | 'reply' | 'update' | 'create';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Activity = Record<string, any>;

/** One activity the connector accepted (or a conversation it created). */
export interface Recorded {
  readonly seq: number;
  readonly op: Operation;
  readonly conversationId: string;
  readonly activityId: string;
  readonly replyToId?: string;
  readonly activity: Activity;
}

/** One request the bot made, whatever the answer. */
export interface ConnectorRequest {
  /** performance.timeOrigin + performance.now(): comparable across worker threads. */
  readonly at: number;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** Set on writes (send, reply, update, create) into a known conversation. */
  readonly op?: Operation;
  readonly conversationId?: string;
  /** The activity, when the write was accepted. */
  readonly activity?: Activity;
}

export interface Fault {
  readonly status: number;
  /** Seconds, sent as the Retry-After header. */
  readonly retryAfter?: number;
  /** How many requests fail (default 1). */
  readonly count?: number;
  /** Only writes to this conversation fail (default: any). */
  readonly conversationId?: string;
  /** Only these operations fail (default: every write). */
  readonly ops?: readonly Operation[];
  /** The error code in the answer's body (default `Injected`), e.g. the Playground's `UserNotFound`. */
  readonly code?: string;
}

export interface ConnectorTally {
  /** Activities accepted (2xx), by operation. */
  readonly accepted: Record<string, number>;
  /** Accepted activities holding an error marker (an error card or message): a broken turn. */
  readonly errors: number;
  readonly faulted: number;
}

export interface ConnectorOptions {
  /** Texts that make an accepted activity count in `tally().errors`. */
  readonly errorMarkers?: readonly string[];
  /**
   * Accept an update of an activity it has no record of (the benchmark clicks cards it never
   * sent); by default that is 404 while recording, as Teams answers for a message it never had.
   */
  readonly acceptUnknownUpdates?: boolean;
}

export const now = (): number => performance.timeOrigin + performance.now();

/** What a request is answered, and the write it was, if any. */
interface Answer {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Record<string, string>;
  readonly op?: Operation;
  readonly conversationId?: string;
  readonly activity?: Activity;
}

/** A write the connector was asked for; `activity` is parsed only while recording (creates always). */
interface Write {
  readonly op: Operation;
  readonly conversationId: string;
  readonly activityId: string;
  readonly replyToId?: string;
  readonly text: string;
  readonly activity?: Activity;
}

type Json = Record<string, unknown>;

const ROUTE = '/v3/conversations';

export class RecordingConnector {
  readonly records: Recorded[] = [];
  readonly requests: ConnectorRequest[] = [];
  private readonly users = new Map<string, DirectoryUser>();
  private readonly conversations = new Map<string, ConversationInfo>();
  private faults: { fault: Fault; left: number }[] = [];
  private recording = true;
  private lastSeq = 0;
  private nextId = 1000;
  private accepted: Record<string, number> = {};
  private errors = 0;
  private faulted = 0;

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
    private readonly options: ConnectorOptions,
  ) {}

  static async start(options: ConnectorOptions = {}): Promise<RecordingConnector> {
    const server = http.createServer({ keepAlive: true });
    server.keepAliveTimeout = 10 * 60_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const connector = new RecordingConnector(server, `http://127.0.0.1:${port}`, options);
    server.on('request', (req, res) => connector.handle(req, res));
    return connector;
  }

  /** What activities carry as serviceUrl (real ones have a region path too). */
  get serviceUrl(): string {
    return `${this.url}/amer/`;
  }

  /** The sequence number of the newest record: pass to since() to see what came after. */
  get seq(): number {
    return this.lastSeq;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** A user of the directory, with their 1:1 chat with the bot. */
  addUser(user: DirectoryUser): void {
    for (const key of [user.id, user.aadObjectId, user.userPrincipalName]) {
      if (key) this.users.set(key.toLowerCase(), user);
    }
    this.addConversation({
      id: user.personalConversationId,
      tenantId: user.tenantId,
      type: 'personal',
      memberIds: [user.id],
    });
  }

  addConversation(conversation: ConversationInfo): void {
    this.conversations.set(conversation.id, conversation);
  }

  /** The next `count` matching writes (send, reply, update, create) fail with `status`. */
  inject(fault: Fault): void {
    this.faults.push({ fault, left: fault.count ?? 1 });
  }

  clearFaults(): void {
    this.faults = [];
  }

  /** Keeps every activity and request from now on (on), or only counts (off); forgets what it kept. */
  record(on: boolean): void {
    this.recording = on;
    this.records.length = 0;
    this.requests.length = 0;
  }

  tally(): ConnectorTally {
    return { accepted: { ...this.accepted }, errors: this.errors, faulted: this.faulted };
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

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const method = req.method ?? 'GET';
      const path = req.url ?? '/';
      let answer: Answer;
      try {
        const route = new URL(path, this.url).pathname;
        answer = this.route(method, route, Buffer.concat(chunks).toString('utf8'));
      } catch (e) {
        answer = { status: 500, body: error('ConnectorError', String(e)) };
      }
      if (this.recording) {
        const { status, op, conversationId, activity } = answer;
        this.requests.push({ at: now(), method, path, status, op, conversationId, activity });
      }
      const text = JSON.stringify(answer.body);
      res.writeHead(answer.status, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(text),
        ...answer.headers,
      });
      res.end(text);
    });
  }

  private route(method: string, path: string, text: string): Answer {
    const at = path.indexOf(ROUTE);
    if (at < 0) return { status: 404, body: error('NotFound', 'no such route') };
    const [cid = '', sub, aid, extra] = path
      .slice(at + ROUTE.length)
      .split('/')
      .slice(1)
      .map(decodeURIComponent);
    const conversationId = cid.split(';')[0];
    if (!cid && method === 'POST') return this.createConversation(text);
    if (sub === 'activities' && method === 'POST' && !extra) {
      const op = aid ? 'reply' : 'send';
      return this.write({ op, conversationId, text, activityId: this.newId(), replyToId: aid });
    }
    if (sub === 'activities' && method === 'PUT' && aid && !extra) {
      const checked = this.recording && !this.options.acceptUnknownUpdates;
      if (checked && !this.latest(conversationId, aid)) {
        return { status: 404, body: error('NotFound', `activity ${aid} not found`) };
      }
      return this.write({ op: 'update', conversationId, text, activityId: aid });
    }
    if (sub === 'members' && method === 'GET' && aid) return this.member(conversationId, aid);
    return { status: 404, body: error('NotFound', `no route ${method} ${path}`) };
  }

  private write(w: Omit<Write, 'activity'>): Answer {
    // While only counting, the activity is not parsed: the benchmark sends tens of thousands.
    const parsed = this.recording ? parseJson(w.text) : undefined;
    if (this.recording ? !parsed : !w.text) {
      return { status: 400, body: error('BadArgument', 'activity required') };
    }
    const activity = parsed && { ...parsed, id: w.activityId };
    const replyToId = w.replyToId ?? (parsed?.replyToId as string | undefined);
    const status = w.op === 'update' ? 200 : 201;
    return this.accept({ ...w, replyToId, activity }, { status, body: { id: w.activityId } });
  }

  /** POST /v3/conversations: the 1:1 chat of one user of the tenant, where the app is installed. */
  private createConversation(text: string): Answer {
    const body = parseJson(text);
    const tenantId =
      (body?.tenantId as string | undefined) ??
      ((body?.channelData as Json | undefined)?.tenant as Json | undefined)?.id;
    const members = (body?.members as { id?: string }[] | undefined) ?? [];
    if (!tenantId) return { status: 400, body: error('BadArgument', 'tenantId required') };
    if (body?.isGroup || members.length !== 1) {
      return { status: 400, body: error('BadArgument', 'exactly one member is required') };
    }
    const user = this.findUser(members[0].id, String(tenantId));
    if (!user) return { status: 404, body: error('NotFound', 'no such user in the tenant') };
    const conversationId = user.personalConversationId;
    if (user.appInstalled === false) {
      const refusal = error('Forbidden', 'the app is not installed for the user');
      return { status: 403, body: refusal, op: 'create', conversationId };
    }
    const activityId = this.newId();
    const activity = (body?.activity as Activity | undefined) ?? {};
    return this.accept(
      { op: 'create', conversationId, activityId, text, activity },
      { status: 201, body: { id: conversationId, activityId, serviceUrl: this.serviceUrl } },
    );
  }

  /** An injected fault if one matches; else counts the write, records it and answers `ok`. */
  private accept(w: Write, ok: { status: number; body: unknown }): Answer {
    const { op, conversationId } = w;
    const fault = this.takeFault(op, conversationId);
    if (fault) {
      this.faulted += 1;
      const { status, retryAfter } = fault;
      const headers = retryAfter === undefined ? undefined : { 'retry-after': String(retryAfter) };
      const body = error(fault.code ?? 'Injected', `injected ${status}`);
      return { status, body, headers, op, conversationId };
    }
    this.accepted[op] = (this.accepted[op] ?? 0) + 1;
    if (this.options.errorMarkers?.some((m) => w.text.includes(m))) this.errors += 1;
    if (!this.recording || !w.activity) return { ...ok, op, conversationId };
    const { activityId, replyToId, activity } = w;
    this.records.push({ seq: ++this.lastSeq, op, conversationId, activityId, replyToId, activity });
    return { ...ok, op, conversationId, activity };
  }

  /** The first injected fault for this write, used up by it. */
  private takeFault(op: Operation, conversationId: string): Fault | undefined {
    const i = this.faults.findIndex(
      ({ fault: f }) =>
        (!f.conversationId || f.conversationId === conversationId) &&
        (!f.ops || f.ops.includes(op)),
    );
    if (i < 0) return undefined;
    const hit = this.faults[i];
    hit.left -= 1;
    if (hit.left <= 0) this.faults.splice(i, 1);
    return hit.fault;
  }

  /** GET .../members/{id}: a member of a group chat, or any user of the tenant in a 1:1 chat. */
  private member(conversationId: string, key: string): Answer {
    const conversation = this.conversations.get(conversationId);
    const user = conversation && this.findUser(key, conversation.tenantId);
    const inConversation =
      user && (conversation.type === 'personal' || conversation.memberIds.includes(user.id));
    if (!user || !inConversation) {
      return { status: 404, body: error('MemberNotFoundInConversation', `${key} not found`) };
    }
    const { id, name, aadObjectId, email, userPrincipalName, tenantId } = user;
    return { status: 200, body: { id, name, aadObjectId, email, userPrincipalName, tenantId } };
  }

  private findUser(key: string | undefined, tenantId: string): DirectoryUser | undefined {
    const user = key ? this.users.get(key.toLowerCase()) : undefined;
    return user?.tenantId === tenantId ? user : undefined;
  }

  private newId(): string {
    return String(++this.nextId);
  }
}

const error = (code: string, message: string) => ({ error: { code, message } });

function parseJson(text: string): Json | undefined {
  if (!text) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === 'object' ? (parsed as Json) : undefined;
  } catch {
    return undefined;
  }
}
