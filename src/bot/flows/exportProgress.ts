import type { ProgressMessage } from '../turn';

/** How often progress is looked at; an export done within two ticks posts nothing but its answer. */
const TICK_MS = 1000;
const TICKS_BETWEEN_SHOWS = 2;

/**
 * "Exporting CLM-0042 … 40 of 200 documents" in the turn's progress message, updated in place on a
 * timer while an export runs: the export only stores a number, it never waits for the chat.
 */
export class ExportProgress {
  private done = 0;
  private shown = -1;
  private ticks = 0;
  private readonly ticker: NodeJS.Timeout;

  constructor(
    private readonly message: ProgressMessage,
    private readonly text: (done: number) => string,
  ) {
    this.ticker = setInterval(() => this.tick(), TICK_MS);
  }

  readonly update = (done: number): void => {
    this.done = done;
  };

  stop(): void {
    clearInterval(this.ticker);
  }

  private tick(): void {
    this.ticks += 1;
    if (this.ticks < TICKS_BETWEEN_SHOWS || this.done === this.shown) return;
    if (!this.message.show(this.text(this.done))) return;
    this.shown = this.done;
    this.ticks = 0;
  }
}
