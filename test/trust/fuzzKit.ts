/** Hostile payloads for the trust suites (names, strings, any JSON) and the check of an answer. */
import fc from 'fast-check';
import { CARD_TYPE, TurnResult, cardBytes } from '../support/teams';

/** Teams refuses a card over about 40 KB (413). */
const MAX_CARD_BYTES = 40 * 1024;
export const UNEXPECTED = /Something went wrong/;

/** Field names the handlers read, and names that attack object handling. */
const KEYS = [
  'claim',
  'title',
  'fundId',
  'activityType',
  'activityStart',
  'activityEnd',
  'amount',
  'description',
  'additionalInfo',
  'metricName',
  'metricValue',
  'comment',
  'document',
  'documentType',
  'explanation',
  'newExplanation',
  'approvedAmount',
  'note',
  'reason',
  'item',
  'feedback',
  'infoItem',
  'infoFeedback',
  'colleagues',
  'requestTypes',
  'requestNote',
  'formId',
  'fundName',
  'allocated',
  'currency',
  'periodStart',
  'periodEnd',
  'before',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
];

/** Strings that have broken parsers and templates before. */
export const NASTY = [
  '',
  ' ',
  '1e309',
  '-0',
  '0x10',
  'NaN',
  'Infinity',
  '-1',
  '2026-02-30',
  '9999-99-99',
  '${title}',
  '${$root.t.open}',
  '{{title}}',
  '**bold**',
  '<script>alert(1)</script>',
  '\u202eexe.pdf',
  '\u200b\u200c\u200d\ufeff',
  'CLM-0001',
  'CLM-999999999',
  'clm-0',
  '__proto__',
  'constructor',
  'invoice,poe',
  '00000000-0000-0000-0000-000000000000',
];

export const leaf = fc.oneof(
  fc.constantFrom(...NASTY),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);
export const key = fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 12 }));
export const { json } = fc.letrec<{ json: unknown }>((tie) => ({
  json: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('json'), { maxLength: 3 }),
    fc.dictionary(key, tie('json'), { maxKeys: 4, noNullPrototype: true }),
  ),
}));

const OPENED_BELOW = 'application/vnd.microsoft.activity.message';

/** What the bot answered for a turn, checked: never a 500, always a card for an invoke. */
export function problemsOf(r: TurnResult, what: string): string[] {
  const problems: string[] = [];
  if (r.status !== 200) problems.push(`${what}: HTTP ${r.status}`);
  if (r.invokeStatus !== undefined || what.startsWith('invoke')) {
    if (r.invokeStatus !== 200) problems.push(`${what}: invoke statusCode ${r.invokeStatus}`);
    const body = r.body as { type?: unknown } | undefined;
    // Open in a 1:1 chat answers with a new message and leaves the clicked card (a short text).
    const opened = body?.type === OPENED_BELOW && r.card?.type === 'AdaptiveCard';
    if (!opened && (body?.type !== CARD_TYPE || r.invokeCard?.type !== 'AdaptiveCard')) {
      problems.push(`${what}: no Adaptive Card`);
    }
  }
  if (UNEXPECTED.test(r.text)) problems.push(`${what}: unexpected error card`);
  for (const card of r.cards) {
    if (cardBytes(card) > MAX_CARD_BYTES) problems.push(`${what}: card of ${cardBytes(card)} B`);
  }
  return problems;
}

export const short = (x: unknown): string => {
  const text = JSON.stringify(x) ?? String(x);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
};
