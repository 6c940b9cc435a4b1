import { Readable } from 'node:stream';
import { ZipFile } from 'yazl';
import type { Claim, ClaimDocument, HistoryEvent } from '../domain/claim';
import { HISTORY_COLUMNS, claimRecord, csvLine, historyCsvLine } from '../domain/exports';
import { AppError } from '../domain/errors';
import type { ExportStore } from '../store/exports';
import { FileMissingError } from '../store/fileStore';
import { sanitizeFileName } from '../store/fileNames';

/** The folder of the archive that holds the documents. */
const DOCUMENTS = 'documents';

/**
 * Every document's name in the archive: its original name, made safe for any unzipping tool, and
 * numbered where two would collide (`invoice.pdf`, `invoice (2).pdf`; names compared ignoring case,
 * as Windows and macOS do).
 */
export function archiveNames(documents: readonly ClaimDocument[]): string[] {
  const taken = new Set<string>();
  return documents.map((d) => {
    const name = sanitizeFileName(d.fileName) || 'document';
    const dot = name.lastIndexOf('.');
    const [stem, extension] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
    let candidate = name;
    for (let n = 2; taken.has(candidate.toLowerCase()); n += 1) {
      candidate = `${stem} (${n})${extension}`;
    }
    taken.add(candidate.toLowerCase());
    return `${DOCUMENTS}/${candidate}`;
  });
}

async function* historyCsv(events: AsyncIterable<HistoryEvent>): AsyncIterable<Buffer> {
  yield Buffer.from(csvLine(HISTORY_COLUMNS));
  for await (const e of events) yield Buffer.from(historyCsvLine(e));
}

export interface ClaimArchive {
  readonly store: ExportStore;
  readonly blobName: string;
  /** What the download is called: `CLM-0042.zip`. */
  readonly fileName: string;
  readonly claim: Claim;
  readonly history: AsyncIterable<HistoryEvent>;
  /** Called as each document starts downloading, with how many came before it. */
  readonly onDocument?: (done: number) => void;
}

/**
 * Writes a claim's ZIP: every document, `history.csv` and `claim.json`. Nothing is held whole: each
 * document is downloaded only when its turn in the archive comes and streams through into the
 * upload, which keeps a few blocks in memory. Documents are stored as they are (PDFs and images
 * are compressed already). Its size in bytes.
 */
export function writeClaimArchive(a: ClaimArchive): Promise<number> {
  const zip = new ZipFile();
  const names = archiveNames(a.claim.documents);
  a.claim.documents.forEach((d, i) => {
    const options = { compress: false, mtime: new Date(d.uploadedAt) };
    zip.addReadStreamLazy(names[i], options, (done) => {
      a.onDocument?.(i);
      a.store.openDocument(d.blobName).then(
        (stream) => done(null, stream),
        (e: unknown) => {
          // A file gone from storage stops the export with a message that names the document.
          const missing = e instanceof FileMissingError;
          done(
            missing ? new AppError('EXPORT_FILE_MISSING', { file: d.fileName }) : e,
            Readable.from([]),
          );
        },
      );
    });
  });
  zip.addReadStreamLazy('history.csv', (done) => done(null, Readable.from(historyCsv(a.history))));
  zip.addBuffer(Buffer.from(JSON.stringify(claimRecord(a.claim), null, 2)), 'claim.json');
  zip.end();
  const output = zip.outputStream as Readable;
  zip.on('error', (e: Error) => output.destroy(e));
  return a.store.save(a.blobName, output, { contentType: 'application/zip', fileName: a.fileName });
}
