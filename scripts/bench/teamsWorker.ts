import {
  ConnectorRequest,
  ConversationInfo,
  DirectoryUser,
  RecordingConnector,
  now,
} from '../../testkit/connector';
import { startFileServer } from './fileServer';
import { Answer, LoadSpec, fill, post, runLoad } from './load';
import { serve } from './rpc';

/**
 * Worker thread: Teams as the bot sees it — the load generator posting activities and the
 * recording Bot Connector receiving what the bot sends — on its own event loop, so the client's
 * work never queues behind the bot's (nor the other way round).
 */

let connector: RecordingConnector | undefined;
const fileServers: { stop(): Promise<void> }[] = [];
const started = (): RecordingConnector => {
  if (!connector) throw new Error('teams worker not started');
  return connector;
};

/** A write the bot made through the connector (send, reply, update, create), accepted or faulted. */
export type Sent = ConnectorRequest & Required<Pick<ConnectorRequest, 'op' | 'conversationId'>>;

const writesOf = (requests: readonly ConnectorRequest[]): Sent[] =>
  requests.filter((q): q is Sent => q.op !== undefined && q.conversationId !== undefined);

export interface TurnAnswer extends Answer {
  /** When the activity was posted (performance.timeOrigin based, comparable across threads). */
  readonly startedAt: number;
  /** What the bot sent through the connector while the turn ran. */
  readonly sent: Sent[];
}

const api = {
  async start(errorMarkers: string[]): Promise<{ serviceUrl: string }> {
    connector = await RecordingConnector.start({ errorMarkers, acceptUnknownUpdates: true });
    return { serviceUrl: connector.serviceUrl };
  },
  addUsers(users: DirectoryUser[]): void {
    for (const u of users) started().addUser(u);
  },
  /** A group chat or channel, whose members the bot may look up. */
  addConversation: (conversation: ConversationInfo) => started().addConversation(conversation),
  /**
   * One activity (UNIQUE placeholders filled in); its answer and what the bot sent meanwhile.
   * `timeoutMs` replaces Teams' 15 s where a measure wants to see a slower turn through.
   */
  async turn(arg: { url: string; activity: string; timeoutMs?: number }): Promise<TurnAnswer> {
    const c = started();
    const before = c.requests.length;
    const startedAt = now();
    const answer = await post(arg.url, fill(arg.activity), arg.timeoutMs);
    return { ...answer, startedAt, sent: writesOf(c.requests.slice(before)) };
  },
  async load(spec: LoadSpec) {
    const c = started();
    c.record(false);
    try {
      return await runLoad(spec);
    } finally {
      c.record(true);
    }
  },
  tally: () => started().tally(),
  clearRecords: () => started().record(true),
  /** The first send into each of these conversations is answered `status` with Retry-After. */
  injectFaults(arg: { conversationIds: string[]; status: number; retryAfter: number }): void {
    const { status, retryAfter } = arg;
    for (const conversationId of arg.conversationIds) {
      started().inject({ status, retryAfter, conversationId, ops: ['send', 'reply'] });
    }
  },
  /**
   * Waits until every one of `conversationIds` has had an accepted send or reply (a proactive
   * message: records are cleared before the turn that causes them) or `timeoutMs` passed,
   * then `quietMs` longer to catch doubles; returns every send and fault recorded.
   */
  async waitForSends(arg: {
    conversationIds: string[];
    timeoutMs: number;
    quietMs: number;
  }): Promise<Sent[]> {
    const c = started();
    const deadline = now() + arg.timeoutMs;
    const waiting = new Set(arg.conversationIds);
    while (now() < deadline) {
      for (const s of writesOf(c.requests))
        if (s.op !== 'update' && s.status < 300) waiting.delete(s.conversationId);
      if (!waiting.size) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await new Promise((resolve) => setTimeout(resolve, arg.quietMs));
    return writesOf(c.requests);
  },
  /** A file of `size` bytes at `${url}/<any name>`, and its SHA-256. */
  async serveFile(size: number): Promise<{ url: string; sha256: string }> {
    const server = await startFileServer(size);
    fileServers.push(server);
    return { url: server.url, sha256: server.sha256 };
  },
  async stopFileServers(): Promise<void> {
    await Promise.all(fileServers.splice(0).map((s) => s.stop()));
  },
  async stop(): Promise<void> {
    await api.stopFileServers();
    await connector?.stop();
  },
};

export type TeamsApi = typeof api;

serve(api);
