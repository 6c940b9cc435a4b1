import type { Claim, HistoryEvent } from './claim/model';

/**
 * The columns of `history.csv`, in order. `for` and `forId` name the absent person someone acted
 * for while covering (`away until … @Name`); empty when they acted for themselves.
 */
export const HISTORY_COLUMNS = [
  'seq',
  'at',
  'by',
  'byId',
  'event',
  'item',
  'note',
  'for',
  'forId',
] as const;

/**
 * One CSV cell (RFC 4180). A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab or
 * carriage return first) gets a leading apostrophe: history holds text users typed.
 */
export function csvCell(value: string | number): string {
  const text = String(value);
  const safe = typeof value === 'string' && /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export const csvLine = (cells: readonly (string | number)[]): string =>
  `${cells.map(csvCell).join(',')}\r\n`;

export const historyCsvLine = (e: HistoryEvent): string =>
  csvLine([
    e.seq,
    e.at,
    e.by.name,
    e.by.id,
    e.kind,
    e.item ?? '',
    e.note ?? '',
    e.for?.name ?? '',
    e.for?.id ?? '',
  ]);

/**
 * Every field of a claim as `claim.json` holds it: what the claim is, without the bot's own
 * plumbing (notifications on their way, posted cards, unposted fund entries) and without its
 * history, which is `history.csv`.
 */
export function claimRecord(claim: Claim): Readonly<Record<string, unknown>> {
  const { outbox, postedCards, ledgerEntries, history, ...record } = claim;
  return record;
}
