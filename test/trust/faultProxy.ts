import http from 'node:http';
import { AddressInfo, Socket } from 'node:net';

/**
 * An HTTP proxy on loopback between the app and a storage emulator (Cosmos DB, Azurite) that fails on
 * demand: it refuses connections (as if the service were down), resets them, cuts them in the middle
 * of a request body, or answers a status (503, 429) for every request or only for writes after some
 * have passed.
 */
export type Fault =
  | { readonly kind: 'refuse' }
  | { readonly kind: 'reset' }
  /** Forwards `bytes` bytes of request bodies, cuts the request under way, then resets every one. */
  | { readonly kind: 'cutAfter'; readonly bytes: number }
  | {
      readonly kind: 'status';
      readonly status: number;
      /** Only POST/PUT/PATCH/DELETE fail. */
      readonly writesOnly?: boolean;
      /** How many matching requests still pass before the fault starts (mid-turn faults). */
      readonly after?: number;
      /** Sent as x-ms-retry-after-ms (429). */
      readonly retryAfterMs?: number;
    };

export class FaultProxy {
  /** Requests seen, and how many were failed. */
  readonly stats = { requests: 0, failed: 0 };
  private fault: Fault | undefined;
  private passed = 0;
  private passedBytes = 0;
  private readonly sockets = new Set<Socket>();
  private readonly agent = new http.Agent({ keepAlive: true });

  private constructor(
    private server: http.Server,
    readonly port: number,
    private readonly target: URL,
  ) {}

  static async start(target: string): Promise<FaultProxy> {
    const proxy = new FaultProxy(http.createServer(), 0, new URL(target));
    const port = await proxy.listen(0);
    (proxy as { port: number }).port = port;
    return proxy;
  }

  /** A proxy in front of the blob endpoint of `connectionString`, and the connection string through it. */
  static async inFrontOfBlob(
    connectionString: string,
  ): Promise<{ proxy: FaultProxy; connectionString: string }> {
    const endpoint = /BlobEndpoint=([^;]+)/.exec(connectionString)?.[1];
    if (!endpoint) throw new Error('the connection string names no blob endpoint');
    const { origin, pathname } = new URL(endpoint);
    const proxy = await FaultProxy.start(origin);
    const throughProxy = connectionString.replace(endpoint, `${proxy.url}${pathname}`);
    return { proxy, connectionString: throughProxy };
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts failing; `refuse` closes the port so that new connections are refused. */
  async fail(fault: Fault): Promise<void> {
    this.fault = fault;
    this.passed = 0;
    this.passedBytes = 0;
    if (fault.kind === 'refuse') await this.close();
  }

  /** Back to normal: the port listens again and every request is forwarded. */
  async recover(): Promise<void> {
    const wasRefusing = this.fault?.kind === 'refuse';
    this.fault = undefined;
    if (wasRefusing) {
      this.server = http.createServer();
      await this.listen(this.port);
    }
  }

  async stop(): Promise<void> {
    if (this.fault?.kind !== 'refuse') await this.close();
    this.agent.destroy();
  }

  private async listen(port: number): Promise<number> {
    this.server.on('request', (req, res) => this.handle(req, res));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  private async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    this.stats.requests += 1;
    const fault = this.fault;
    if (
      fault?.kind === 'reset' ||
      (fault?.kind === 'cutAfter' && this.passedBytes >= fault.bytes)
    ) {
      this.stats.failed += 1;
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'status') {
      const write = !['GET', 'HEAD'].includes(req.method ?? 'GET') && !isQuery(req);
      if (!fault.writesOnly || write) {
        if (this.passed < (fault.after ?? 0)) {
          this.passed += 1;
        } else {
          this.stats.failed += 1;
          req.resume();
          const body = JSON.stringify({ code: codeOf(fault.status), message: 'injected fault' });
          res.writeHead(fault.status, {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            ...(fault.retryAfterMs === undefined
              ? {}
              : { 'x-ms-retry-after-ms': String(fault.retryAfterMs) }),
          });
          res.end(body);
          return;
        }
      }
    }
    const upstream = http.request(
      {
        host: this.target.hostname,
        port: this.target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: this.target.host },
        agent: this.agent,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => req.socket.destroy());
    if (fault?.kind === 'cutAfter') {
      req.on('data', (chunk: Buffer) => {
        this.passedBytes += chunk.length;
        if (this.passedBytes >= fault.bytes && !upstream.destroyed) {
          this.stats.failed += 1;
          upstream.destroy();
          req.socket.destroy();
        }
      });
    }
    req.pipe(upstream);
  }
}

/** Cosmos queries are POSTs too, but read-only. */
const isQuery = (req: http.IncomingMessage): boolean =>
  String(req.headers['x-ms-documentdb-isquery'] ?? '') === 'True' ||
  String(req.headers['content-type'] ?? '').includes('application/query+json');

const codeOf = (status: number): string =>
  status === 429 ? 'TooManyRequests' : status === 503 ? 'ServiceUnavailable' : 'Injected';
