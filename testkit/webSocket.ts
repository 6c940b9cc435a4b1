import WebSocket from 'ws';

/**
 * A WebSocket client for the Agents Playground's streams (text messages in, nothing out), on `ws`:
 * Node 20 has no global WebSocket without --experimental-websocket.
 */
export class RawWebSocket {
  private readonly listeners: ((text: string) => void)[] = [];

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data: WebSocket.RawData) => {
      const text = Buffer.isBuffer(data)
        ? data.toString('utf8')
        : Array.isArray(data)
          ? Buffer.concat(data).toString('utf8')
          : Buffer.from(data).toString('utf8');
      for (const listener of this.listeners) {
        try {
          listener(text);
        } catch {
          // a listener's error must not break the stream
        }
      }
    });
    socket.on('error', () => undefined);
  }

  /** Connects to `httpUrl` (http: or ws:), failing on an HTTP answer other than 101 or after `timeoutMs`. */
  static connect(httpUrl: string, timeoutMs = 10_000): Promise<RawWebSocket> {
    const url = httpUrl.replace(/^http/, 'ws');
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { handshakeTimeout: timeoutMs });
      socket.once('open', () => resolve(new RawWebSocket(socket)));
      socket.once('unexpected-response', (_req, res) => {
        res.resume();
        socket.terminate();
        reject(new Error(`WebSocket ${httpUrl}: HTTP ${res.statusCode} instead of 101`));
      });
      socket.once('error', (e) => reject(new Error(`WebSocket ${httpUrl}: ${e.message}`)));
    });
  }

  onMessage(listener: (text: string) => void): void {
    this.listeners.push(listener);
  }

  close(): void {
    if (this.socket.readyState === WebSocket.CLOSED || this.socket.readyState === WebSocket.CLOSING)
      return;
    this.socket.close(1000);
    setTimeout(() => this.socket.terminate(), 200).unref();
  }
}
