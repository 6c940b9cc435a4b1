import type { Claim, ClaimDocument } from '../domain/claim';
import { documentsToRead, recordReading } from '../domain/documentReading';
import type { InvoiceReading } from '../domain/invoiceTotal';
import { log } from '../log';
import type { ClaimRepository } from '../store/claims';
import { FileMissingError, FileRejectedError, type FileStore } from '../store/fileStore';
import type { InvoiceReader } from './invoiceReader';

/** Documents waiting to be read in this process. */
const MAX_WAITING = 100;

export interface InvoiceReadingsOptions {
  readonly claims: Pick<ClaimRepository, 'update'>;
  readonly files: Pick<FileStore, 'read'>;
  readonly reader: Pick<InvoiceReader, 'read' | 'close' | 'limits'>;
  /** A claim changed by a reading: its posted cards are brought up to date. */
  readonly onRead: (claim: Claim) => void;
}

/**
 * Reads the totals of a claim's new invoices and CSRs in the background, never in a turn: the
 * upload answers at once and the claim card updates in place when the total is known. Asked each
 * time a claim card is shown, so a reading a crash interrupted starts again; a document already
 * being read in this process is not read twice (and a reading is kept only once, by document id).
 */
export class InvoiceReadings {
  private readonly inFlight = new Set<string>();
  private readonly running = new Set<Promise<void>>();
  /** One file at a time, from Blob storage to the stored total: memory holds one file. */
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly o: InvoiceReadingsOptions) {}

  readNew(claim: Claim): void {
    for (const document of documentsToRead(claim)) {
      const key = `${claim.tenantId}|${claim.number}|${document.id}`;
      // Past the bound the document waits for the next time its claim is shown.
      if (this.inFlight.has(key) || this.inFlight.size >= MAX_WAITING) continue;
      this.inFlight.add(key);
      const read = () => this.readOne(claim, document);
      const work = (this.queue = this.queue.then(read, read))
        .catch((e: unknown) =>
          log.warn({ err: e, claim: claim.number }, 'the invoice total was not stored'),
        )
        .finally(() => {
          this.inFlight.delete(key);
          this.running.delete(work);
        });
      this.running.add(work);
    }
  }

  /** Resolves when every reading started so far has been stored (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running.size) await Promise.all([...this.running]);
  }

  async stop(): Promise<void> {
    await this.idle();
    await this.o.reader.close();
  }

  private async readOne(claim: Claim, document: ClaimDocument): Promise<void> {
    const reading: InvoiceReading =
      document.size > this.o.reader.limits.maxBytes
        ? { status: 'unreadable', reason: 'tooLarge', ms: 0 }
        : await this.read(document.blobName, document.contentType, claim.amount.currency);
    const saved = await this.o.claims.update(
      claim.tenantId,
      claim.number,
      `read:${document.id}`,
      (current) => recordReading(current, document.id, reading),
    );
    this.o.onRead(saved);
  }

  private async read(
    blobName: string,
    contentType: string,
    fallbackCurrency: string,
  ): Promise<InvoiceReading> {
    try {
      const bytes = await this.o.files.read(blobName, this.o.reader.limits.maxBytes);
      return await this.o.reader.read({ bytes, contentType, fallbackCurrency });
    } catch (e) {
      if (e instanceof FileRejectedError) {
        return { status: 'unreadable', reason: 'tooLarge', ms: 0 };
      }
      // Kept, so that a document whose file is gone is not asked for again at every view.
      if (e instanceof FileMissingError) return { status: 'unreadable', reason: 'damaged', ms: 0 };
      throw e;
    }
  }
}
