import http from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * A keep-alive HTTP proxy on loopback in front of the Cosmos DB emulator that counts every request
 * the app makes (per database: container and operation, answer status, answer bytes, query text),
 * so storage round trips per turn are counted, not guessed.
 */

export interface DatabaseCounts {
  /** `claims.read`, `users.query`, `funds.queryPlan`, ... */
  readonly operations: Record<string, number>;
  /** Answers that were not 2xx, by status (412 = an ETag conflict, retried by the app). */
  readonly statuses: Record<string, number>;
  readonly responseBytes: Record<string, number>;
  /** Time from forwarding a request to the end of its answer, summed. */
  readonly milliseconds: Record<string, number>;
  /** Query requests (plans included) by container and query text. */
  readonly queries: Record<string, { count: number; bytes: number }>;
}

export type StorageCounts = Record<string, DatabaseCounts>;

const DOC = /^\/dbs\/([^/]+)\/colls\/([^/]+)\/docs(?:\/([^/]+))?$/;
const PKRANGES = /^\/dbs\/([^/]+)\/colls\/([^/]+)\/pkranges$/;
const DB = /^\/dbs\/([^/]+)/;
const QUERY_TEXT_CHARS = 90;

const isTrue = (req: http.IncomingMessage, header: string): boolean =>
  String(req.headers[header] ?? '').toLowerCase() === 'true';

/** Which database, and what the request does: `container.operation`. */
function classify(req: http.IncomingMessage): { database: string; operation: string } {
  const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).replace(
    /^\/+/,
    '/',
  );
  const doc = DOC.exec(path);
  if (doc) {
    const [, database, container, id] = doc;
    if (id) {
      const op = { GET: 'read', PUT: 'replace', DELETE: 'delete', PATCH: 'patch' }[
        req.method ?? ''
      ];
      return { database, operation: `${container}.${op ?? req.method}` };
    }
    let op = req.method === 'GET' ? 'readFeed' : 'create';
    if (isTrue(req, 'x-ms-cosmos-is-query-plan-request')) op = 'queryPlan';
    else if (
      isTrue(req, 'x-ms-documentdb-isquery') ||
      String(req.headers['content-type']).startsWith('application/query+json')
    ) {
      op = 'query';
    } else if (isTrue(req, 'x-ms-documentdb-is-upsert')) op = 'upsert';
    else if (isTrue(req, 'x-ms-cosmos-is-batch-request')) op = 'batch';
    return { database, operation: `${container}.${op}` };
  }
  const ranges = PKRANGES.exec(path);
  if (ranges) return { database: ranges[1], operation: `${ranges[2]}.pkRanges` };
  return { database: DB.exec(path)?.[1] ?? '(account)', operation: `metadata.${req.method}` };
}

function queryKey(operation: string, body: Buffer): string {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { query?: unknown };
    const text = typeof parsed.query === 'string' ? parsed.query : '?';
    return `${operation.split('.')[0]}: ${text.replace(/\s+/g, ' ').slice(0, QUERY_TEXT_CHARS)}`;
  } catch {
    return `${operation}: ?`;
  }
}

const bump = (record: Record<string, number>, key: string, by = 1): void => {
  record[key] = (record[key] ?? 0) + by;
};

export interface CountingProxy {
  readonly endpoint: string;
  counts(): StorageCounts;
  stop(): Promise<void>;
}

export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const upstream = new URL(target);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const counts: StorageCounts = {};
  const countsOf = (database: string): DatabaseCounts =>
    (counts[database] ??= {
      operations: {},
      statuses: {},
      responseBytes: {},
      milliseconds: {},
      queries: {},
    });

  const server = http.createServer({ keepAlive: true }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const { database, operation } = classify(req);
      const c = countsOf(database);
      bump(c.operations, operation);
      const query = /\.(query|queryPlan)$/.test(operation)
        ? (c.queries[queryKey(operation, body)] ??= { count: 0, bytes: 0 })
        : undefined;
      if (query) query.count += 1;
      const started = performance.now();
      // A kept-alive socket the emulator closed while idle fails at once with ECONNRESET before
      // the emulator read anything: that request goes again on a fresh socket.
      const send = (retry: boolean): void => {
        const forward = http.request(
          {
            host: upstream.hostname,
            port: upstream.port,
            method: req.method,
            path: req.url,
            headers: req.headers,
            agent,
          },
          (answer) => {
            const status = answer.statusCode ?? 0;
            if (status < 200 || status > 299) bump(c.statuses, `${operation} ${status}`);
            res.writeHead(status, answer.headers);
            answer.on('data', (chunk: Buffer) => {
              bump(c.responseBytes, operation, chunk.length);
              if (query) query.bytes += chunk.length;
            });
            answer.on('end', () => bump(c.milliseconds, operation, performance.now() - started));
            answer.pipe(res);
          },
        );
        forward.on('error', (e: NodeJS.ErrnoException) => {
          if (retry && forward.reusedSocket && e.code === 'ECONNRESET') return send(false);
          res.writeHead(502, { 'content-type': 'text/plain' });
          res.end(`proxy: ${e.message}`);
        });
        forward.end(body);
      };
      send(true);
    });
  });
  server.keepAliveTimeout = 10 * 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    counts: () => structuredClone(counts),
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}

/** What happened between two snapshots of one database's counts. */
export function countsBetween(
  before: DatabaseCounts | undefined,
  after: DatabaseCounts | undefined,
): DatabaseCounts {
  const diff = (a: Record<string, number> = {}, b: Record<string, number> = {}) => {
    const out: Record<string, number> = {};
    for (const [k, v] of Object.entries(b)) if (v - (a[k] ?? 0) > 0) out[k] = v - (a[k] ?? 0);
    return out;
  };
  const queries: DatabaseCounts['queries'] = {};
  for (const [k, v] of Object.entries(after?.queries ?? {})) {
    const was = before?.queries[k] ?? { count: 0, bytes: 0 };
    if (v.count > was.count)
      queries[k] = { count: v.count - was.count, bytes: v.bytes - was.bytes };
  }
  return {
    operations: diff(before?.operations, after?.operations),
    statuses: diff(before?.statuses, after?.statuses),
    responseBytes: diff(before?.responseBytes, after?.responseBytes),
    milliseconds: diff(before?.milliseconds, after?.milliseconds),
    queries,
  };
}

export const totalOf = (record: Record<string, number>): number =>
  Object.values(record).reduce((sum, v) => sum + v, 0);
