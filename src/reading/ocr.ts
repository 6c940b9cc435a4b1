import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createWorker, type Worker } from 'tesseract.js';
import { raceTimeout } from '../async';

/** The OCR languages; their trained data arrives with npm (@tesseract.js-data/*), never downloaded. */
const LANGUAGES = ['eng', 'nld'] as const;
/** The LSTM engine only (tesseract's OEM 1): what the *_best_int data is trained for. */
const LSTM_ONLY = 1;
/** An idle engine gives its memory (about 100 MB) back after this long. */
const IDLE_CLOSE_MS = 60_000;

export class OcrTimeoutError extends Error {}

/**
 * tesseract.js in its own worker thread, started on first use and closed when idle. A recognition
 * that outlasts its time is abandoned and the engine terminated, so a hostile image cannot keep a
 * core busy; the next call starts a fresh engine.
 */
export class OcrEngine {
  private engine: Promise<Worker> | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private langDir: string | undefined;

  async recognize(image: Buffer | Uint8Array, opts: { timeoutMs: number }): Promise<string> {
    clearTimeout(this.idleTimer);
    const engine = (this.engine ??= this.start());
    try {
      // Past the deadline the engine is terminated (below) and this rejects, unheard.
      const recognized = engine.then((e) => e.recognize(Buffer.from(image)));
      const done = await raceTimeout(recognized, opts.timeoutMs);
      if (!done) throw new OcrTimeoutError();
      return done.data.text;
    } catch (e) {
      await this.close();
      throw e;
    } finally {
      this.idleTimer = setTimeout(() => void this.close(), IDLE_CLOSE_MS);
      this.idleTimer.unref();
    }
  }

  async close(): Promise<void> {
    clearTimeout(this.idleTimer);
    const engine = this.engine;
    this.engine = undefined;
    await (await engine?.catch(() => undefined))?.terminate();
  }

  private start(): Promise<Worker> {
    return createWorker([...LANGUAGES], LSTM_ONLY, {
      langPath: this.languageDir(),
      cacheMethod: 'none',
      gzip: true,
      // Without a handler tesseract.js throws a failed job's error from an event listener (an
      // uncaught exception); the job's promise is rejected either way.
      errorHandler: () => undefined,
    });
  }

  /** tesseract.js reads every language from one folder: links to each package's data, made once. */
  private languageDir(): string {
    if (!this.langDir) {
      const dir = mkdtempSync(path.join(tmpdir(), 'coop-ocr-'));
      for (const lang of LANGUAGES) {
        const pkg = path.dirname(require.resolve(`@tesseract.js-data/${lang}/package.json`));
        const file = `${lang}.traineddata.gz`;
        symlinkSync(path.join(pkg, '4.0.0_best_int', file), path.join(dir, file));
      }
      this.langDir = dir;
    }
    return this.langDir;
  }
}
