import { createReadStream, type ReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Server } from 'restify';
import { DEMO_DOCUMENTS_DIR, contentTypeOf } from '../demo/demoDocuments';

/**
 * The files of demo/documents offered to the local `attach` command (the Agents Playground has no
 * attach button). The app serves them on its own port, so an attached file takes the path of a
 * file sent in Teams: a download URL fetched from an allowed host, streamed into Blob storage.
 */
export class LocalDocuments {
  /** The app's own URL, known once it listens (serveLocalDocuments). */
  private baseUrl = '';

  constructor(private readonly dir: string = DEMO_DOCUMENTS_DIR) {}

  /** The file names, sorted. */
  async list(): Promise<string[]> {
    const entries = await readdir(this.dir, { withFileTypes: true });
    return entries
      .filter((e) => e.isFile() && !e.name.startsWith('.'))
      .map((e) => e.name)
      .sort();
  }

  /** The listed file of that name (case-insensitive), else undefined: nothing else is served. */
  async find(name: string): Promise<string | undefined> {
    const wanted = name.trim().toLowerCase();
    return (await this.list()).find((f) => f.toLowerCase() === wanted);
  }

  urlOf(name: string): string {
    return `${this.baseUrl}${LOCAL_DOCUMENTS_PATH}/${encodeURIComponent(name)}`;
  }

  /** The file's bytes and content type, for the app's route; undefined when it is not listed. */
  async open(name: string): Promise<{ stream: ReadStream; contentType: string } | undefined> {
    const file = await this.find(name);
    if (!file) return undefined;
    return {
      stream: createReadStream(path.join(this.dir, file)),
      contentType: contentTypeOf(file),
    };
  }

  /** The app listens at `url` (e.g. http://127.0.0.1:3978): files are offered from there. */
  servedAt(url: string): void {
    this.baseUrl = url;
  }
}

/** Where the app serves them (local loop only). */
export const LOCAL_DOCUMENTS_PATH = '/local/documents';

/** GET /local/documents/:name on the app's server: a listed file, else 404. */
export function serveLocalDocuments(server: Server, documents: LocalDocuments): void {
  server.get(`${LOCAL_DOCUMENTS_PATH}/:name`, async (req, res) => {
    const file = await documents.open(String(req.params.name ?? ''));
    if (!file) {
      res.send(404, { error: 'not found' });
      return;
    }
    res.writeHead(200, { 'content-type': file.contentType });
    file.stream.pipe(res);
  });
}
