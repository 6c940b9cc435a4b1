import http from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * A recording Bot Connector on loopback: the part of the Bot Framework REST API botbuilder calls
 * (send, reply, update, createConversation, get member). It counts what the bot sends, keeps the
 * activities when asked to, and answers chosen sends with a fault (429 + Retry-After) once.
 */

export interface DirectoryUser {
  readonly id: string;
  readonly name: string;
  readonly aadObjectId: string;
  readonly tenantId: string;
  readonly personalConversationId: string;
}

export interface Sent {
  /** performance.timeOrigin + performance.now(), comparable across threads. */
  readonly at: number;
  readonly op: 'send' | 'reply' | 'update' | 'create';
  readonly conversationId: string;
  readonly status: number;
  readonly activity?: Record<string, unknown>;
}

export interface ConnectorTally {
  /** Activities accepted (2xx), by operation. */
  readonly accepted: Record<string, number>;
  /** Accepted activities holding an error marker (an error card or message): a broken turn. */
  readonly errors: number;
  readonly faulted: number;
}

export const now = (): number => performance.timeOrigin + performance.now();

export class RecordingConnector {
  private readonly users = new Map<string, DirectoryUser>();
  private readonly faults = new Map<string, { status: number; retryAfter: number; left: number }>();
  private sent: Sent[] = [];
  private recording = false;
  private accepted: Record<string, number> = {};
  private errors = 0;
  private faulted = 0;
  private nextId = 1;

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
    private readonly errorMarkers: readonly string[],
  ) {}

  static async start(errorMarkers: readonly string[]): Promise<RecordingConnector> {
    const server = http.createServer({ keepAlive: true });
    server.keepAliveTimeout = 10 * 60_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const connector = new RecordingConnector(server, `http://127.0.0.1:${port}`, errorMarkers);
    server.on('request', (req, res) => connector.handle(req, res));
    return connector;
  }

  /** The serviceUrl activities carry (Teams' have a region path). */
  get serviceUrl(): string {
    return `${this.url}/amer/`;
  }

  addUsers(users: readonly DirectoryUser[]): void {
    for (const u of users) {
      this.users.set(u.id, u);
      this.users.set(u.aadObjectId, u);
    }
  }

  /** Starts keeping every activity (and fault) from now on, forgetting earlier ones. */
  record(on: boolean): void {
    this.recording = on;
    this.sent = [];
  }

  /** The first send into each of these conversations is answered `status` with Retry-After. */
  injectFaults(conversationIds: readonly string[], status: number, retryAfter: number): void {
    for (const id of conversationIds) this.faults.set(id, { status, retryAfter, left: 1 });
  }

  recorded(): Sent[] {
    return this.sent;
  }

  tally(): ConnectorTally {
    return { accepted: { ...this.accepted }, errors: this.errors, faulted: this.faulted };
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const path = new URL(req.url ?? '/', this.url).pathname;
      const at = path.indexOf('/v3/conversations');
      const [cid = '', sub, aid] = (at < 0 ? '' : path.slice(at + '/v3/conversations'.length))
        .split('/')
        .slice(1)
        .map(decodeURIComponent);
      const conversationId = cid.split(';')[0];
      if (at < 0) return this.reply(res, 404, { error: { code: 'NotFound' } });
      if (!cid && req.method === 'POST') return this.create(res, text);
      if (sub === 'activities' && (req.method === 'POST' || req.method === 'PUT')) {
        const op = req.method === 'PUT' ? 'update' : aid ? 'reply' : 'send';
        return this.write(res, op, conversationId, text);
      }
      if (sub === 'members' && req.method === 'GET' && aid) return this.member(res, aid);
      this.reply(res, 404, { error: { code: 'NotFound', message: `${req.method} ${path}` } });
    });
  }

  private write(
    res: http.ServerResponse,
    op: Sent['op'],
    conversationId: string,
    text: string,
  ): void {
    const fault = this.faults.get(conversationId);
    if (fault && fault.left > 0 && op !== 'update') {
      fault.left -= 1;
      this.faulted += 1;
      if (this.recording) this.sent.push({ at: now(), op, conversationId, status: fault.status });
      return this.reply(
        res,
        fault.status,
        { error: { code: 'Throttled', message: 'injected' } },
        { 'retry-after': String(fault.retryAfter) },
      );
    }
    this.accepted[op] = (this.accepted[op] ?? 0) + 1;
    if (this.errorMarkers.some((m) => text.includes(m))) this.errors += 1;
    if (this.recording) {
      const activity = JSON.parse(text) as Record<string, unknown>;
      this.sent.push({ at: now(), op, conversationId, status: 201, activity });
    }
    this.reply(res, op === 'update' ? 200 : 201, { id: `bench-${this.nextId++}` });
  }

  /** POST /v3/conversations: a 1:1 chat with one user of the tenant. */
  private create(res: http.ServerResponse, text: string): void {
    const body = JSON.parse(text || '{}') as { members?: { id?: string }[] };
    const user = this.users.get(body.members?.[0]?.id ?? '');
    if (!user) return this.reply(res, 404, { error: { code: 'NotFound' } });
    this.accepted.create = (this.accepted.create ?? 0) + 1;
    if (this.recording) {
      this.sent.push({
        at: now(),
        op: 'create',
        conversationId: user.personalConversationId,
        status: 201,
      });
    }
    this.reply(res, 201, {
      id: user.personalConversationId,
      activityId: `bench-${this.nextId++}`,
      serviceUrl: this.serviceUrl,
    });
  }

  private member(res: http.ServerResponse, key: string): void {
    const user = this.users.get(key);
    if (!user) return this.reply(res, 404, { error: { code: 'MemberNotFoundInConversation' } });
    this.reply(res, 200, {
      id: user.id,
      name: user.name,
      aadObjectId: user.aadObjectId,
      tenantId: user.tenantId,
      userPrincipalName: `${user.aadObjectId}@bench.test`,
    });
  }

  private reply(
    res: http.ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
      ...headers,
    });
    res.end(text);
  }
}
