/** The card schema suites' validator (Adaptive Cards SDK + Teams rules) and sample claims. */
import assert from 'node:assert/strict';
import type * as ACTypes from 'adaptivecards';
import { AdaptiveCard } from '../../cards';
import {
  Claim,
  DOCUMENT_TYPES,
  MAX_DOCUMENTS,
  MAX_METRICS,
  addComment,
  addDocument,
  addMetric,
  approve,
  commentOnItem,
  createClaim,
  readClaimInformation,
  requestUploads,
  startReview,
  submit,
} from '../../src/domain/claim';
import type { Fund } from '../../src/domain/fund';
import { readFund } from '../../src/domain/fundInput';
import { money } from '../../src/domain/money';
import type { Actor, Person } from '../../src/domain/roles';
import { DocumentDisplay } from '../../src/bot/views/claim';
import { literal } from '../../src/bot/views/text';
import { actor } from './fixtures';

// The package's `main` is extension-less ESM that Node cannot load; its UMD bundle works in Node.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const AC = require('adaptivecards/dist/adaptivecards.min.js') as typeof ACTypes;

export const MAX_BYTES = 28 * 1024;
export const LOCALES = ['en-US', 'nl-NL'] as const;
/** User text that must reach the card literally: a template expression and markdown. */
export const USER = 'Q3 ${title} **bold** _it_ [link](https://evil.example) # h';
const USER_MD = '**bold**';

type Node = Record<string, unknown>;

export function nodes(json: unknown): Node[] {
  const out: Node[] = [];
  const go = (n: unknown): void => {
    if (Array.isArray(n)) n.forEach(go);
    else if (n && typeof n === 'object') {
      out.push(n as Node);
      Object.values(n).forEach(go);
    }
  };
  go(json);
  return out;
}

export function strings(json: unknown): string[] {
  const out: string[] = [];
  const go = (n: unknown): void => {
    if (typeof n === 'string') out.push(n);
    else if (Array.isArray(n)) n.forEach(go);
    else if (n && typeof n === 'object') Object.values(n).forEach(go);
  };
  go(json);
  return out;
}

/** Problems the Adaptive Cards SDK and the Teams rules find in a rendered card; empty when valid. */
export function problems(card: AdaptiveCard): string[] {
  const out: string[] = [];
  const sdkCard = new AC.AdaptiveCard();
  // Teams' host config allows 6 top-level actions (the SDK's default is 5).
  sdkCard.hostConfig = new AC.HostConfig({ actions: { maxActions: 6 } });
  const context = new AC.SerializationContext();
  sdkCard.parse(card, context);
  for (let i = 0; i < context.eventCount; i++) {
    const message = context.getEventAt(i).message;
    // Teams' own elements (newer than the SDK): each carries a fallback, checked below.
    if (/^Unknown element type "(Badge|Icon)"/.test(message)) continue;
    out.push(`parse: ${message}`);
  }
  for (const e of sdkCard.validateProperties().validationEvents) {
    // Advice, not an error: Teams shows its own message for a missing required value.
    if (e.event === AC.ValidationEvent.RequiredInputsShouldHaveErrorMessage) continue;
    // A people picker (`choices.data`: Data.Query) has no static choices by design.
    const dynamic = e.source instanceof AC.ChoiceSetInput && e.source.choicesData !== undefined;
    if (e.event === AC.ValidationEvent.CollectionCantBeEmpty && dynamic) continue;
    out.push(`validate: ${e.message}`);
  }

  if (card.version !== '1.5') out.push(`version ${card.version}`);
  for (const n of nodes(card)) {
    const type = String(n.type);
    if (type.startsWith('Input.') && (typeof n.label !== 'string' || !n.label.trim())) {
      out.push(`input ${String(n.id)} has no label`);
    }
    if ((type === 'Badge' || type === 'Icon') && n.fallback === undefined) {
      out.push(`${type} without fallback`);
    }
    if (type === 'Action.Execute' && (typeof n.verb !== 'string' || !n.verb)) {
      out.push('Action.Execute without verb');
    }
    if (type === 'Action.OpenUrl' && (typeof n.url !== 'string' || !n.url)) {
      out.push('Action.OpenUrl without url');
    }
    for (const key of Object.keys(n))
      if (key === '$data' || key === '$when') out.push(`template key ${key} left`);
    // Markdown in user text must be escaped wherever Teams renders markdown.
    const markdown =
      type === 'TextBlock'
        ? [n.text]
        : type === 'FactSet'
          ? nodes(n.facts).map((f) => f.value)
          : [];
    for (const text of markdown) {
      if (typeof text === 'string' && text.includes(USER_MD))
        out.push(`markdown not escaped: ${text}`);
    }
  }
  for (const s of strings(card)) {
    if (s.replaceAll('${title}', '').includes('${')) out.push(`unresolved expression: ${s}`);
  }
  return out;
}

export const bytes = (card: AdaptiveCard): number => Buffer.byteLength(JSON.stringify(card));

export function check(name: string, card: AdaptiveCard, userText = true): void {
  assert.deepEqual(problems(card), [], name);
  assert.ok(bytes(card) <= MAX_BYTES, `${name}: ${bytes(card)} bytes`);
  if (userText) {
    const all = strings(card);
    assert.ok(
      all.some((s) => s.includes(USER) || s.includes(literal(USER))),
      `${name}: user text is shown literally`,
    );
  }
}

// ---- sample data built with the domain functions ---------------------------------------------------

export const owner = actor('u-owner', 'Olivia Owner', ['incentivesUser']);
export const reviewer = actor('u-reviewer', 'Rita Reviewer', ['reviewer']);
export const admin = actor('u-admin', 'Adam Admin', ['incentivesAdmin']);
const colleague: Person = { id: 'u-col', name: 'Cora Colleague', channelUserId: '29:u-col' };
export const asPerson = (a: Actor): Person => ({ id: a.userId, name: a.name });

export const fund: Fund = readFund(
  {
    fundName: `Partner fund ${USER}`,
    allocated: '1000000',
    currency: 'USD',
    periodStart: '2026-01-01',
    periodEnd: '2026-12-31',
  },
  admin,
  'en-US',
  '2026-01-01T00:00:00Z',
  'fund-1',
);

export const at = (minute: number): string =>
  new Date(Date.UTC(2026, 2, 1, 9, 0) + minute * 60_000).toISOString();
export const url = (id: string): string =>
  `https://coopclaims.blob.core.windows.net/documents/t1/CLM-0042/${id}/file.pdf?sv=2025-01-05&se=2026-03-02T09%3A00%3A00Z&sr=b&sp=r&sig=${'A'.repeat(44)}`;

export function newClaim(long: boolean): Claim {
  const info = readClaimInformation(
    {
      title: long ? `${USER} `.repeat(4).slice(0, 120) : USER,
      activityType: 'webinar',
      activityStart: '2026-02-01',
      activityEnd: '2026-02-10',
      amount: '12,345.67',
      description: long ? 'd'.repeat(2000) : `Description ${USER}`,
      additionalInfo: long ? 'a'.repeat(4000) : `More ${USER}`,
    },
    'USD',
    'en-US',
  );
  return createClaim({
    actor: owner,
    seq: 42,
    formId: 'form-0042',
    fund: { id: fund.id, currency: 'USD' },
    info,
    now: at(0),
  });
}

const doc = (i: number, type: (typeof DOCUMENT_TYPES)[number], explanation: string) => ({
  id: `d${i}`,
  type,
  fileName: `document-${i}.pdf`,
  blobName: `t1/CLM-0042/d${i}/document-${i}.pdf`,
  size: 123_456,
  contentType: 'application/pdf',
  sha256: 'f'.repeat(64),
  explanation,
});

const submitContext = {
  remaining: money(100_000_000, 'USD'),
  reviewers: [asPerson(reviewer)],
};

/** A typical claim at each stage of its life. */
export function stages(): Record<'editing' | 'underReview' | 'approved', Claim> {
  let c = newClaim(false);
  c = addMetric(c, owner, { name: `Leads ${USER}`, value: 1234 }, at(1));
  c = addDocument(c, owner, doc(1, 'invoice', `Invoice ${USER}`), at(2));
  c = addDocument(c, owner, doc(2, 'poe', `Screenshot ${USER}`), at(3));
  c = addComment(c, owner, `Comment ${USER}`, at(4));
  c = requestUploads(c, owner, { to: [colleague], types: ['csr'], note: USER }, at(5));
  const editing = c;
  c = submit(c, owner, submitContext, at(6));
  c = startReview(c, reviewer, at(7));
  c = commentOnItem(c, reviewer, { documentId: 'd1', text: `Feedback ${USER}` }, at(8));
  const underReview = c;
  const approved = approve(
    c,
    reviewer,
    money(1_000_000, 'USD'),
    `Approved ${USER}`,
    at(9),
    `Reason ${USER}`,
  );
  return { editing, underReview, approved };
}

/** The largest claim the app allows: every document, every metric, 300 history events. */
export function largest(): Claim {
  let c = newClaim(true);
  for (let i = 0; i < MAX_DOCUMENTS; i++) {
    const type = DOCUMENT_TYPES[i % DOCUMENT_TYPES.length];
    c = addDocument(c, owner, doc(i, type, `${i} `.padEnd(1000, 'e')), at(i + 1));
  }
  for (let i = 0; i < MAX_METRICS; i++) {
    c = addMetric(c, owner, { name: `Metric ${i} `.padEnd(60, 'm'), value: 123_456_789 }, at(200));
  }
  while (c.history.length < 298) c = addComment(c, owner, 'c'.repeat(1000), at(300));
  c = submit(c, owner, submitContext, at(400));
  c = startReview(c, reviewer, at(401));
  assert.equal(c.history.length, 300);
  return c;
}

export const ON_REQUEST: DocumentDisplay = { kind: 'onRequest' };
export const WITHHELD: DocumentDisplay = { kind: 'withheld' };
export const links = (c: Claim): DocumentDisplay => ({
  kind: 'links',
  urls: new Map(c.documents.map((d) => [d.id, url(d.id)])),
});
