import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

/** The demo seed's files, committed to the repo (made by `npm run demo-documents`). */
export const DEMO_DOCUMENTS_DIR = path.resolve(__dirname, '..', '..', '..', 'demo', 'documents');

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  pdf: 'application/pdf',
  png: 'image/png',
};

export interface DemoFile {
  readonly bytes: Buffer;
  readonly size: number;
  readonly sha256: string;
  readonly contentType: string;
}

/** One demo file with what a document record says of it. */
export async function loadDemoFile(fileName: string): Promise<DemoFile> {
  const bytes = await readFile(path.join(DEMO_DOCUMENTS_DIR, fileName));
  return {
    bytes,
    size: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    contentType: contentTypeOf(fileName),
  };
}

export const contentTypeOf = (fileName: string): string =>
  CONTENT_TYPES[path.extname(fileName).slice(1).toLowerCase()] ?? 'application/octet-stream';
