import http from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * A round-robin HTTP balancer on loopback in front of several app instances, like Azure's in front
 * of App Service instances: no session affinity, so consecutive turns of one user land on different
 * instances. Each request goes to the next instance in turn; an instance that cannot be reached
 * answers 502 (the balancer does not retry: Teams does). Used by the scale-out tests, the benchmark
 * and `npm run dev -- --instances N`.
 */
export interface Balancer {
  /** e.g. http://127.0.0.1:3978 */
  readonly url: string;
  /** Requests forwarded to each instance so far, in the order the instances were given. */
  counts(): readonly number[];
  stop(): Promise<void>;
}

export async function startBalancer(o: {
  /** The instances' base URLs, e.g. http://127.0.0.1:41234 */
  readonly upstreams: readonly string[];
  readonly port?: number;
}): Promise<Balancer> {
  if (!o.upstreams.length) throw new Error('a balancer needs at least one instance');
  const targets = o.upstreams.map((u) => new URL(u));
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const counts = targets.map(() => 0);
  let next = 0;
  const server = http.createServer((req, res) => {
    const i = next;
    next = (next + 1) % targets.length;
    counts[i] += 1;
    const target = targets[i];
    const upstream = http.request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: target.host },
        agent,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (res.headersSent) res.destroy();
      else res.writeHead(502).end();
    });
    req.pipe(upstream);
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts: () => [...counts],
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}
