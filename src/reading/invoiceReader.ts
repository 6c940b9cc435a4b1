import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { raceTimeout } from '../async';
import {
  findInvoiceTotal,
  type InvoiceReading,
  type UnreadableReason,
} from '../domain/invoiceTotal';
import { findInvoiceNumber } from '../domain/invoiceNumber';
import { OcrEngine, OcrTimeoutError } from './ocr';
import type { PdfJob, PdfPages } from './pdfWorker';

export interface InvoiceReaderLimits {
  /** Files larger than this are not read (the upload itself has its own, larger limit). */
  readonly maxBytes: number;
  /** Only the first pages are read: an invoice's total is on its first pages. */
  readonly maxPages: number;
  /** One file's whole reading (PDF and OCR together). */
  readonly timeoutMs: number;
  /** Readings waiting their turn; more are refused as 'busy' (memory stays bounded). */
  readonly maxQueued: number;
  /** pdf.js decodes no image larger than this many pixels. */
  readonly maxImagePixels: number;
  /** The PDF worker's JavaScript heap. */
  readonly maxHeapMb: number;
}

export const DEFAULT_READER_LIMITS: InvoiceReaderLimits = {
  maxBytes: 20 * 1024 * 1024,
  maxPages: 5,
  timeoutMs: 30_000,
  maxQueued: 100,
  maxImagePixels: 16_000_000,
  maxHeapMb: 256,
};

export interface ReadInput {
  readonly bytes: Uint8Array;
  readonly contentType: string;
  /** The claim's currency, for totals written without one. */
  readonly fallbackCurrency: string;
}

/** A reading without its time, which read() adds. */
type Found = Omit<Extract<InvoiceReading, { status: 'read' }>, 'ms'>;

class Unreadable extends Error {
  constructor(readonly reason: UnreadableReason) {
    super(reason);
  }
}

const PDF_WORKER = path.join(__dirname, 'pdfWorker.js');
const IMAGE_TYPES = new Set(['image/png', 'image/jpeg']);

/** The invoice number, when the text names one (kept beside the total: duplicate invoices). */
function numberIn(text: string): { number?: string } {
  const number = findInvoiceNumber(text);
  return number ? { number } : {};
}

/**
 * Reads an invoice's total off the turn: a PDF's text in a worker thread with its own heap limit
 * and a deadline (a hostile PDF is terminated, never hangs the bot), scans through OCR. One file
 * at a time, so two cores stay free for turns; never throws: an unreadable file says why.
 */
export class InvoiceReader {
  private readonly ocr = new OcrEngine();
  private queue: Promise<unknown> = Promise.resolve();
  private waiting = 0;

  constructor(readonly limits: InvoiceReaderLimits = DEFAULT_READER_LIMITS) {}

  read(input: ReadInput): Promise<InvoiceReading> {
    const started = performance.now();
    const ms = () => Math.round(performance.now() - started);
    if (this.waiting >= this.limits.maxQueued) {
      return Promise.resolve({ status: 'unreadable', reason: 'busy', ms: 0 });
    }
    this.waiting++;
    const reading = this.queue.then(() =>
      this.readNow(input).then(
        (found): InvoiceReading => ({ ...found, ms: ms() }),
        (e: unknown): InvoiceReading => ({
          status: 'unreadable',
          reason: e instanceof Unreadable ? e.reason : 'damaged',
          ms: ms(),
        }),
      ),
    );
    this.queue = reading.finally(() => this.waiting--);
    return reading;
  }

  close(): Promise<void> {
    return this.ocr.close();
  }

  private async readNow(input: ReadInput): Promise<Found> {
    if (input.bytes.length > this.limits.maxBytes) throw new Unreadable('tooLarge');
    const deadline = performance.now() + this.limits.timeoutMs;
    const left = () => Math.max(0, deadline - performance.now());
    if (IMAGE_TYPES.has(input.contentType)) {
      const text = await this.recognize(input.bytes, left());
      return this.found(text, input, { method: 'ocr', pages: 1 });
    }
    if (input.contentType !== 'application/pdf') throw new Unreadable('notSupported');
    const pdf = await this.readPdf(input.bytes, left());
    const text = pdf.texts.join('\n');
    const fromText = findInvoiceTotal(text, { fallbackCurrency: input.fallbackCurrency });
    if (fromText) {
      return {
        status: 'read',
        ...fromText,
        ...numberIn(text),
        method: 'text',
        pages: pdf.pageCount,
      };
    }
    const scanned: string[] = [];
    for (const scan of pdf.scans) scanned.push(await this.recognize(scan, left()));
    return this.found(scanned.join('\n'), input, { method: 'ocr', pages: pdf.pageCount });
  }

  private found(
    text: string,
    input: ReadInput,
    how: { method: 'text' | 'ocr'; pages: number },
  ): Found {
    const total = findInvoiceTotal(text, { fallbackCurrency: input.fallbackCurrency });
    if (!total) throw new Unreadable('noTotal');
    return { status: 'read', ...total, ...numberIn(text), ...how };
  }

  private async recognize(image: Uint8Array, timeoutMs: number): Promise<string> {
    if (timeoutMs <= 0) throw new Unreadable('timedOut');
    try {
      return await this.ocr.recognize(image, { timeoutMs });
    } catch (e) {
      throw new Unreadable(e instanceof OcrTimeoutError ? 'timedOut' : 'damaged');
    }
  }

  private readPdf(bytes: Uint8Array, timeoutMs: number): Promise<PdfPages> {
    const job: PdfJob = {
      bytes,
      maxPages: this.limits.maxPages,
      maxImagePixels: this.limits.maxImagePixels,
    };
    const worker = new Worker(PDF_WORKER, {
      workerData: job,
      resourceLimits: { maxOldGenerationSizeMb: this.limits.maxHeapMb },
      stdout: true,
      stderr: true,
    });
    const answered = new Promise<PdfPages>((resolve, reject) => {
      const damaged = () => reject(new Unreadable('damaged'));
      worker.once('message', (answer: { ok: boolean; result?: PdfPages }) =>
        answer.ok && answer.result ? resolve(answer.result) : damaged(),
      );
      worker.once('error', damaged);
      worker.once('exit', damaged);
    });
    return raceTimeout(answered, timeoutMs)
      .then((pages) => {
        if (!pages) throw new Unreadable('timedOut');
        return pages;
      })
      .finally(() => void worker.terminate());
  }
}
