import { InputIssue } from './errors';

export const LIMITS = {
  title: 120,
  description: 2000,
  additionalInfo: 4000,
  comment: 1000,
  metricName: 60,
  fundName: 80,
  explanation: 1000,
  note: 1000,
} as const;

// Control characters other than tab and newline, and bidi overrides that could disguise text.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g;
const INVISIBLE = /[\s\u200b-\u200d\u2060\ufeff]/g;

/** User text as stored: NFC, no control characters, trimmed. Shown literally, never interpreted. */
export function cleanText(value: unknown): string {
  if (typeof value !== 'string') return '';
  return value.replace(UNSAFE, '').normalize('NFC').trim();
}

/** Reads a text field, collecting issues instead of throwing so a form reports every problem at once. */
export function readText(
  issues: InputIssue[],
  field: string,
  value: unknown,
  max: number,
  { required = true }: { required?: boolean } = {},
): string {
  if (value !== undefined && value !== null && typeof value !== 'string') {
    issues.push({ field, problem: 'invalid' });
    return '';
  }
  const text = cleanText(value);
  if (required && !text.replace(INVISIBLE, '')) issues.push({ field, problem: 'required' });
  else if (text.length > max) issues.push({ field, problem: 'tooLong', params: { max } });
  return text;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar date `YYYY-MM-DD` between 2000 and 2100, or an issue. */
export function readDate(issues: InputIssue[], field: string, value: unknown): string {
  const text = typeof value === 'string' ? value.trim() : '';
  if (!text) {
    issues.push({ field, problem: 'required' });
    return '';
  }
  const m = ISO_DATE.exec(text);
  const date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
  if (!m || !date || date.toISOString().slice(0, 10) !== text || +m[1] < 2000 || +m[1] > 2100) {
    issues.push({ field, problem: 'dateInvalid' });
    return '';
  }
  return text;
}

/** One of the allowed values, or an issue. */
export function readChoice<T extends string>(
  issues: InputIssue[],
  field: string,
  value: unknown,
  allowed: readonly T[],
): T | undefined {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value))
    return value as T;
  issues.push({ field, problem: value === undefined || value === '' ? 'required' : 'invalid' });
  return undefined;
}
