import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * A loopback file server standing in for OneDrive / SharePoint: each file gets a fresh download URL
 * (what Teams puts in `content.downloadUrl`). It can serve slowly, break off half-way or redirect,
 * and it records every request with how many bytes it wrote before the connection closed.
 */

type Route =
  | { readonly kind: 'bytes'; readonly bytes: Buffer; readonly drip: boolean }
  | { readonly kind: 'breaks'; readonly bytes: Buffer; readonly after: number }
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

  /** Serves `bytes` at a fresh URL; `drip` sends 64 KB every few ms, so an abort shows. */
  serve(name: string, bytes: Buffer, opts: { drip?: boolean } = {}): string {
    return this.add(name, { kind: 'bytes', bytes, drip: opts.drip ?? false });
  }

  /** Announces all of `bytes` but sends only the first `after`, then destroys the socket. */
  breakAfter(name: string, bytes: Buffer, after: number): string {
    return this.add(name, { kind: 'breaks', bytes, after });
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
    res.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-length': String(route.bytes.length),
    });
    if (route.kind === 'breaks') {
      write(route.bytes.subarray(0, route.after));
      setTimeout(() => req.socket.destroy(), 30);
      return;
    }
    if (!route.drip) {
      served.sent = route.bytes.length;
      res.end(route.bytes);
      return;
    }
    void (async () => {
      for (let at = 0; at < route.bytes.length; at += DRIP_CHUNK) {
        if (res.destroyed) return;
        write(route.bytes.subarray(at, at + DRIP_CHUNK));
        await new Promise((resolve) => setTimeout(resolve, DRIP_PAUSE_MS));
      }
      if (!res.destroyed) res.end();
    })();
  }
}
