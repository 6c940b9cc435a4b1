import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * A loopback file server standing in for OneDrive / SharePoint: each file gets a fresh download URL
 * (what Teams puts in `content.downloadUrl`). It can serve slowly, break off half-way or redirect,
 * and it records every request with how many bytes it wrote before the connection closed.
 */

export interface ServeOptions {
  /** Sends 64 KB every few ms, so an abort shows. */
  readonly drip?: boolean;
  /** Spreads the body over about this long in small chunks: a "large" file without big data. */
  readonly overMs?: number;
  /** Sends no Content-Length (chunked), so the size is unknown until the end. */
  readonly unknownSize?: boolean;
  /** Announces all of the bytes but sends only this many, then destroys the socket. */
  readonly breakAfter?: number;
  /** Answers only once this settles: the download is under way, and nothing arrives until then. */
  readonly heldUntil?: Promise<unknown>;
}

type Route =
  | { readonly kind: 'bytes'; readonly bytes: Buffer; readonly opts: ServeOptions }
  | { readonly kind: 'redirect'; readonly location: string };

export interface ServedRequest {
  readonly path: string;
  readonly total: number;
  /** Bytes written to the response so far. */
  sent: number;
  /** The connection closed (finished or aborted by the client). */
  closed: boolean;
  /** The whole body went out. */
  complete: boolean;
}

const DRIP_CHUNK = 64 * 1024;
const DRIP_PAUSE_MS = 2;
const SLOW_PAUSE_MS = 100;

export class FileServer {
  readonly requests: ServedRequest[] = [];
  private readonly routes = new Map<string, Route>();

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {}

  static async start(): Promise<FileServer> {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const files = new FileServer(server, `http://127.0.0.1:${port}`);
    server.on('request', (req, res) => files.handle(req, res));
    return files;
  }

  /** Serves `bytes` at a fresh URL: at once, or paced and possibly broken off (see ServeOptions). */
  serve(name: string, bytes: Buffer, opts: ServeOptions = {}): string {
    return this.add(name, { kind: 'bytes', bytes, opts });
  }

  /** Announces all of `bytes` but sends only the first `after`, then destroys the socket. */
  breakAfter(name: string, bytes: Buffer, after: number): string {
    return this.serve(name, bytes, { breakAfter: after });
  }

  /** Answers 302 with `location`. */
  redirect(name: string, location: string): string {
    return this.add(name, { kind: 'redirect', location });
  }

  /** Requests made for one URL handed out by this server. */
  hits(url: string): ServedRequest[] {
    const path = new URL(url).pathname;
    return this.requests.filter((r) => r.path === path);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private add(name: string, route: Route): string {
    const path = `/drive/${randomUUID()}/${encodeURIComponent(name)}`;
    this.routes.set(path, route);
    return `${this.url}${path}?tempauth=${randomUUID()}`;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const path = new URL(req.url ?? '/', this.url).pathname;
    const route = this.routes.get(path);
    const served: ServedRequest = {
      path,
      total: route && route.kind !== 'redirect' ? route.bytes.length : 0,
      sent: 0,
      closed: false,
      complete: false,
    };
    this.requests.push(served);
    res.on('close', () => {
      served.closed = true;
      served.complete = res.writableFinished;
    });
    const write = (chunk: Buffer): void => {
      served.sent += chunk.length;
      res.write(chunk);
    };
    if (!route) {
      res.writeHead(404);
      res.end('not found');
      return;
    }
    if (route.kind === 'redirect') {
      res.writeHead(302, { location: route.location });
      res.end();
      return;
    }
    const { opts } = route;
    if (opts.heldUntil) {
      void opts.heldUntil.then(() => this.answer(req, res, route.bytes, opts, write));
    } else {
      this.answer(req, res, route.bytes, opts, write);
    }
  }

  private answer(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    bytes: Buffer,
    opts: ServeOptions,
    write: (chunk: Buffer) => void,
  ): void {
    if (res.destroyed) return;
    res.writeHead(200, {
      'content-type': 'application/octet-stream',
      ...(opts.unknownSize ? {} : { 'content-length': String(bytes.length) }),
    });
    const body = bytes.subarray(0, opts.breakAfter ?? bytes.length);
    const finish = (): void => {
      if (opts.breakAfter === undefined) res.end();
      else setTimeout(() => req.socket.destroy(), 30);
    };
    const pace = opts.overMs
      ? { chunk: Math.ceil(body.length / (opts.overMs / SLOW_PAUSE_MS)), pauseMs: SLOW_PAUSE_MS }
      : opts.drip
        ? { chunk: DRIP_CHUNK, pauseMs: DRIP_PAUSE_MS }
        : { chunk: body.length, pauseMs: 0 };
    void (async () => {
      for (let at = 0; at < body.length; at += pace.chunk) {
        if (res.destroyed) return;
        write(body.subarray(at, at + pace.chunk));
        if (pace.pauseMs) await new Promise((resolve) => setTimeout(resolve, pace.pauseMs));
      }
      if (!res.destroyed) finish();
    })();
  }
}
