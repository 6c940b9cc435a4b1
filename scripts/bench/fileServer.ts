import { createHash } from 'node:crypto';
import http from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * The OneDrive/SharePoint stand-in behind Teams file messages: serves a file of a given size at a
 * pre-authenticated download URL, streamed block by block (never held whole in memory).
 */

const BLOCK = 1024 * 1024;

/** 1 MiB of PDF-looking bytes (the first block starts with the PDF signature). */
function block(first: boolean): Buffer {
  const b = Buffer.alloc(BLOCK);
  for (let i = 0; i < BLOCK; i++) b[i] = (i * 31 + (i >> 8)) & 0xff;
  if (first) b.write('%PDF-1.7\n% co-op claims benchmark\n', 0, 'latin1');
  return b;
}

/** Serves `size` bytes at /file/<any name>, streamed block by block. */
export async function startFileServer(
  size: number,
): Promise<{ url: string; sha256: string; stop(): Promise<void> }> {
  const head = block(true);
  const body = block(false);
  const chunkAt = (offset: number) =>
    (offset === 0 ? head : body).subarray(0, Math.min(BLOCK, size - offset));
  const hash = createHash('sha256');
  for (let offset = 0; offset < size; offset += BLOCK) hash.update(chunkAt(offset));
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/pdf', 'content-length': size });
    let offset = 0;
    const pump = (): void => {
      while (offset < size) {
        const chunk = chunkAt(offset);
        offset += chunk.length;
        if (!res.write(chunk)) {
          res.once('drain', pump);
          return;
        }
      }
      res.end();
    };
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/file`,
    sha256: hash.digest('hex'),
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
