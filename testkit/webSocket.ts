import { randomBytes } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';

// A minimal WebSocket client (RFC 6455, text frames, no extensions): Node 20 has no global WebSocket
// without --experimental-websocket, and `ws` is not a dependency of ours.

export class RawWebSocket {
  private buffer: Buffer = Buffer.alloc(0);
  private fragments: Buffer[] = [];
  private listeners: ((text: string) => void)[] = [];
  private closed = false;

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => (this.closed = true));
  }

  static connect(httpUrl: string, timeoutMs = 10_000): Promise<RawWebSocket> {
    const u = new URL(httpUrl);
    const key = randomBytes(16).toString('base64');
    return new Promise((resolve, reject) => {
      const req = http.request({
        host: u.hostname,
        port: u.port,
        path: u.pathname + u.search,
        headers: {
          Connection: 'Upgrade',
          Upgrade: 'websocket',
          'Sec-WebSocket-Key': key,
          'Sec-WebSocket-Version': '13',
        },
        timeout: timeoutMs,
      });
      req.on('upgrade', (_res, socket: net.Socket, head: Buffer) => {
        socket.setNoDelay(true);
        const ws = new RawWebSocket(socket);
        if (head.length) ws.receive(head);
        resolve(ws);
      });
      req.on('response', (res) => {
        res.resume();
        reject(new Error(`WebSocket ${httpUrl}: HTTP ${res.statusCode} instead of 101`));
      });
      req.on('timeout', () => req.destroy(new Error(`WebSocket ${httpUrl}: timeout`)));
      req.on('error', reject);
      req.end();
    });
  }

  onMessage(listener: (text: string) => void): void {
    this.listeners.push(listener);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.socket.write(RawWebSocket.frame(0x8, Buffer.from([0x03, 0xe8])));
    } catch {
      // already gone
    }
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 200).unref();
  }

  private receive(chunk: Buffer): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    for (;;) {
      if (this.buffer.length < 2) return;
      const b0 = this.buffer[0];
      const b1 = this.buffer[1];
      const fin = (b0 & 0x80) !== 0;
      const opcode = b0 & 0x0f;
      const masked = (b1 & 0x80) !== 0;
      let len = b1 & 0x7f;
      let offset = 2;
      if (len === 126) {
        if (this.buffer.length < 4) return;
        len = this.buffer.readUInt16BE(2);
        offset = 4;
      } else if (len === 127) {
        if (this.buffer.length < 10) return;
        len = Number(this.buffer.readBigUInt64BE(2));
        offset = 10;
      }
      const maskOffset = offset;
      if (masked) offset += 4;
      if (this.buffer.length < offset + len) return;
      let payload = this.buffer.subarray(offset, offset + len);
      if (masked) {
        const mask = this.buffer.subarray(maskOffset, maskOffset + 4);
        payload = Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]));
      }
      this.buffer = this.buffer.subarray(offset + len);
      this.handleFrame(fin, opcode, payload);
    }
  }

  private handleFrame(fin: boolean, opcode: number, payload: Buffer): void {
    switch (opcode) {
      case 0x0: // continuation
      case 0x1: // text
      case 0x2: {
        // binary
        this.fragments.push(Buffer.from(payload));
        if (!fin) return;
        const text = Buffer.concat(this.fragments).toString('utf8');
        this.fragments = [];
        for (const l of this.listeners) {
          try {
            l(text);
          } catch {
            // a listener's error must not break the stream
          }
        }
        return;
      }
      case 0x8: // close
        if (!this.closed) {
          this.closed = true;
          this.socket.write(RawWebSocket.frame(0x8, payload.subarray(0, 2)));
          this.socket.end();
        }
        return;
      case 0x9: // ping
        if (!this.closed) this.socket.write(RawWebSocket.frame(0xa, payload));
        return;
      default: // pong and reserved opcodes
        return;
    }
  }

  /** A client frame: FIN set, masked (RFC 6455 §5.3). */
  private static frame(opcode: number, payload: Buffer): Buffer {
    const mask = randomBytes(4);
    const len = payload.length;
    const header =
      len < 126
        ? Buffer.from([0x80 | opcode, 0x80 | len])
        : len < 65536
          ? Buffer.from([0x80 | opcode, 0x80 | 126, len >> 8, len & 0xff])
          : (() => {
              const h = Buffer.alloc(10);
              h[0] = 0x80 | opcode;
              h[1] = 0x80 | 127;
              h.writeBigUInt64BE(BigInt(len), 2);
              return h;
            })();
    const body = Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]));
    return Buffer.concat([header, mask, body]);
  }
}
