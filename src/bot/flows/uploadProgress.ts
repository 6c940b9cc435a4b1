import type { Texts } from '../../i18n/i18n';
import type { DownloadProgress } from '../../http/download';
import type { ProgressMessage } from '../turn';

/** How often progress is looked at; files done within one tick post nothing but the answer. */
const TICK_MS = 1000;
/** Updates every second tick at the most (2 s): well inside Teams' per-conversation limits. */
const TICKS_BETWEEN_SHOWS = 2;

/**
 * "Uploading <file> … 42%" in the turn's progress message while the files of one message stream
 * in. Shows run on a timer, so the download never waits for the chat: counting a chunk only
 * stores two numbers.
 */
export class UploadProgress {
  private fileLabel = '';
  private received = 0;
  private total: number | undefined;
  private shownText = '';
  private ticksSinceShown = TICKS_BETWEEN_SHOWS;
  private readonly ticker: NodeJS.Timeout;

  constructor(
    private readonly message: ProgressMessage,
    private readonly texts: Texts,
    private readonly fileCount: number,
  ) {
    message.expect();
    this.ticker = setInterval(() => this.tick(), TICK_MS);
  }

  startFile(name: string, index: number): void {
    this.fileLabel =
      this.fileCount > 1
        ? this.texts.t('upload.progress.fileOf', {
            file: name,
            index: index + 1,
            count: this.fileCount,
          })
        : name;
    this.received = 0;
    this.total = undefined;
  }

  readonly onDownload: DownloadProgress = (received, total) => {
    this.received = received;
    this.total = total;
  };

  stop(): void {
    clearInterval(this.ticker);
  }

  private tick(): void {
    this.ticksSinceShown += 1;
    const text = this.text();
    if (this.ticksSinceShown < TICKS_BETWEEN_SHOWS || text === this.shownText) return;
    if (!this.message.show(text)) return;
    this.shownText = text;
    this.ticksSinceShown = 0;
  }

  private text(): string {
    const file = this.fileLabel;
    if (this.total) {
      const percent = Math.min(100, Math.floor((this.received * 100) / this.total));
      return this.texts.t('upload.progress.percent', { file, percent });
    }
    if (!this.received) return this.texts.t('upload.progress.started', { file });
    const received = this.texts.bytes(this.received);
    return this.texts.t('upload.progress.received', { file, received });
  }
}
