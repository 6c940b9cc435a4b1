import { parentPort, workerData } from 'node:worker_threads';
import { encodeBmp, type RawImage } from './bmp';

/** What the reader asks of one PDF. */
export interface PdfJob {
  readonly bytes: Uint8Array;
  readonly maxPages: number;
  /** Images above this many pixels are not decoded (pdf.js maxImageSize): no decompression bomb. */
  readonly maxImagePixels: number;
}

/** Each page's text; for pages without text (a scan), their largest image as a BMP for OCR. */
export interface PdfPages {
  readonly pageCount: number;
  readonly texts: string[];
  readonly scans: Uint8Array[];
}

/** A page with fewer characters than this is taken for a scan. */
const SCAN_TEXT_CHARS = 20;

async function readPdf(job: PdfJob): Promise<PdfPages> {
  const { getDocumentProxy, extractImages } = await import('unpdf');
  const pdf = await getDocumentProxy(job.bytes, {
    verbosity: 0,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    maxImageSize: job.maxImagePixels,
  });
  const texts: string[] = [];
  const scans: Uint8Array[] = [];
  const pages = Math.min(pdf.numPages, job.maxPages);
  for (let number = 1; number <= pages; number++) {
    const page = await pdf.getPage(number);
    const content = await page.getTextContent();
    const text = content.items
      .map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : ''))
      .join('');
    texts.push(text);
    if (text.replace(/\s/g, '').length >= SCAN_TEXT_CHARS) continue;
    const images = (await extractImages(pdf, number)) as RawImage[];
    const largest = images.sort((a, b) => b.width * b.height - a.width * a.height)[0];
    if (largest) scans.push(encodeBmp(largest));
  }
  await pdf.destroy();
  return { pageCount: pdf.numPages, texts, scans };
}

// pdf.js prints its warnings (the legacy-build advice, damaged objects) with console.log; in this
// thread they would bypass the app's JSON log. Failures come back as a message instead.
const silent = (): void => undefined;
Object.assign(console, { log: silent, warn: silent, info: silent });

if (parentPort) {
  const port = parentPort;
  readPdf(workerData as PdfJob).then(
    (result) => port.postMessage({ ok: true, result }),
    (e: unknown) => port.postMessage({ ok: false, error: (e as Error)?.name ?? 'Error' }),
  );
}
