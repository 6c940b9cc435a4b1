/** Percentiles, medians and the way figures are written in the table. */

export interface Summary {
  readonly n: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
}

/** Nearest-rank percentile of values sorted ascending (NaN when there are none). */
function percentile(sorted: readonly number[], p: number): number {
  if (!sorted.length) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
  };
}

export function median(values: readonly number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}

/** The median of each field over repeated runs. */
export function medianSummary(runs: readonly Summary[]): Summary {
  return {
    n: runs.reduce((sum, r) => sum + r.n, 0),
    p50: median(runs.map((r) => r.p50)),
    p95: median(runs.map((r) => r.p95)),
    p99: median(runs.map((r) => r.p99)),
  };
}

export const ms = (value: number): string =>
  Number.isNaN(value) ? '—' : value < 10 ? `${value.toFixed(1)} ms` : `${Math.round(value)} ms`;

export const seconds = (valueMs: number): string => `${(valueMs / 1000).toFixed(2)} s`;

export const ratio = (value: number): string =>
  Number.isFinite(value) ? `${value.toFixed(2)}×` : '—';

export const percent = (value: number): string =>
  Number.isFinite(value) ? `${Math.round(value * 100)}%` : '—';

export function bytes(value: number): string {
  if (value < 1024) return `${value} B`;
  if (value < 1024 * 1024) return `${(value / 1024).toFixed(1)} KB`;
  return `${(value / 1024 / 1024).toFixed(1)} MB`;
}

export const perSecond = (value: number): string => `${Math.round(value)}/s`;
