/**
 * ZIP files for the Teams app package and for tests that read an export: written with yazl (the
 * app's own archive writer) and read with yauzl, with every entry's CRC-32 checked. The writer
 * stamps every entry with the same date, so the same files give the same bytes.
 */
import { crc32 } from 'node:zlib';
import yauzl from 'yauzl';
import { ZipFile } from 'yazl';

export interface ZipEntry {
  readonly name: string;
  readonly data: Buffer;
}

export class ZipError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZipError';
  }
}

/** 1980-01-01, the earliest date a ZIP can hold: no entry carries the time it was packed. */
const FIXED_DATE = new Date(1980, 0, 1);

function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('error', reject);
    stream.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

/** A ZIP of `entries` in their order, deflated; two entries of one name are refused. */
export function writeZip(entries: readonly ZipEntry[]): Promise<Buffer> {
  const names = new Set<string>();
  const zip = new ZipFile();
  for (const { name, data } of entries) {
    if (names.has(name)) throw new ZipError(`duplicate entry "${name}"`);
    names.add(name);
    zip.addBuffer(data, name, { mtime: FIXED_DATE, forceDosTimestamp: true });
  }
  zip.end();
  return collect(zip.outputStream);
}

/** Every file entry of a ZIP with its bytes, in archive order; a damaged entry throws. */
export function readZip(bytes: Buffer): Promise<ZipEntry[]> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true, validateEntrySizes: true }, (err, zip) => {
      if (err) return reject(err);
      const entries: ZipEntry[] = [];
      zip.on('error', reject);
      zip.on('end', () => resolve(entries));
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        zip.openReadStream(entry, (e, stream) => {
          if (e) return reject(e);
          collect(stream).then((data) => {
            if (crc32(data) !== entry.crc32) {
              return reject(new ZipError(`entry "${entry.fileName}": CRC-32 does not match`));
            }
            entries.push({ name: entry.fileName, data });
            zip.readEntry();
          }, reject);
        });
      });
      zip.readEntry();
    });
  });
}
