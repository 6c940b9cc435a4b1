import { logTo } from '../../src/log';

/** One log line as the app wrote it (JSON), with the fields every line has. */
export interface LogLine {
  readonly level: string;
  readonly time: string;
  readonly msg: string;
  readonly correlationId?: string;
  readonly activityId?: string;
  readonly activityType?: string;
  readonly [field: string]: unknown;
}

/** Records the app's log lines (as written, after masking) instead of printing them, until stop(). */
export class LogRecorder {
  readonly lines: string[] = [];
  private readonly restore = logTo({ write: (line: string) => this.lines.push(line) });

  /** The lines recorded from `from` on, parsed. */
  parsed(from = 0): LogLine[] {
    return this.lines.slice(from).map((line) => JSON.parse(line) as LogLine);
  }

  stop(): void {
    this.restore();
  }
}
