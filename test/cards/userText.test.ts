import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

/**
 * Teams renders a TextBlock's text and a fact's title and value as Markdown; a TextRun never. So
 * every binding of a template in one of those places is listed here: text the app makes (labels,
 * numbers, amounts, dates, statuses), or text holding what users typed, which the view named
 * escapes with `literal()` (src/bot/views/text.ts), the one way user text gets into Markdown.
 * test/trust/literalText.test.ts shows them escaped on every card, with a Markdown link typed
 * into every field. A new binding in a Markdown place fails here until it is listed.
 */
const APP = 'app';
const MARKDOWN_BINDINGS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'claimDetail.json': {
    number: APP,
    statusLabel: APP,
    fundName: 'views/claim.ts: the fund name',
    activityLine: APP,
    amount: APP,
    "approved != ''": APP,
    approved: APP,
    "paid != ''": APP,
    paid: APP,
    ownerName: 'views/claim.ts: the owner name',
    invoiceCheck: APP,
    typeLabel: APP,
    readingLine: APP,
    moreDocuments: APP,
    metrics: APP,
    name: 'views/claim.ts: the metric name',
    value: APP,
    approvalStep: 'views/policy.ts: the first approver name',
    reimbursable: APP,
    "exchange != ''": APP,
    exchange: 'views/reimbursement.ts: the name of who entered the rate',
    "approvalReason != ''": APP,
    approvalReason: 'views/claim.ts: the reason for approving less',
    "partlyPaid != ''": APP,
    partlyPaid: APP,
    "approvalStep != ''": APP,
    waited: APP,
    "waited != ''": APP,
    duplicateLine: 'views/duplicates.ts: the name of who checked a duplicate flag',
  },
  'claimsOverview.json': {
    usage: APP,
    statusLabel: APP,
    amount: APP,
    approvedPart: APP,
    allocated: APP,
    approved: APP,
    paid: APP,
    "paid != ''": APP,
    pending: APP,
    reserved: APP,
    "reserved != ''": APP,
    remaining: APP,
  },
  'document.json': {
    'notice.text': APP,
    subtitle: APP,
    uploadedLine: 'views/documents.ts: the uploader name',
    readingLine: APP,
  },
  'documentLink.json': {
    heading: APP,
    facts: APP,
    title: APP,
    value: 'views/documentLink.ts, flows/exports.ts: the claim title',
    expiry: APP,
  },
  'documents.json': {
    heading: APP,
    pageLine: 'views/documents.ts: the claim title',
    uploadedLine: 'views/documents.ts: the uploader name',
    readingLine: APP,
  },
  'fundRequest.json': {
    heading: APP,
    activity: 'views/fundRequest.ts: the activity',
    facts: APP,
    title: APP,
    value: 'views/fundRequest.ts: fund, requester, decider, reason',
  },
  'insights.json': {
    ...Object.fromEntries(
      [
        'scope',
        'usage',
        'pageLine',
        'heading',
        'slices',
        'legend',
        'text',
        'rows',
        'label',
        'spendText',
        'pipelineText',
        'returnPipeline',
        'returnRevenue',
        'waiting.line',
      ].map((k) => [k, APP]),
    ),
    name: 'views/insights.ts: the fund name',
  },
  'funds.json': Object.fromEntries([
    ['usage', APP],
    ["reserved != ''", APP],
    ["paid != ''", APP],
    ...['allocated', 'approved', 'paid', 'pending', 'reserved', 'remaining'].flatMap((k) => [
      [`$root.labels.${k}`, APP],
      [k, APP],
    ]),
  ]),
  'help.json': Object.fromEntries(
    [
      'heading',
      'intro',
      'demoHint',
      'commandsHeading',
      'commands',
      'command',
      'meaning',
      'hint',
      'rolesLine',
    ].map((k) => [k, APP]),
  ),
  'history.json': { heading: APP, when: APP },
  'policy.json': { rules: APP, title: APP, value: APP },
  // The files of demo/documents the local loop offers: shipped with the app, never typed by users.
  'localFiles.json': { title: APP, intro: APP, example: APP, name: APP },
  'notification.json': {
    kindLabel: APP,
    facts: APP,
    title: APP,
    value: 'views/notification.ts: items, file name, payment reference',
    noteLabel: APP,
    hint: APP,
  },
  'reviewQueue.json': {
    showing: APP,
    waited: APP,
    notice: APP,
    summary: APP,
    statusLabel: APP,
    amount: APP,
    ownerName: 'flows/overview.ts: the owner name',
  },
  'uploadQuestion.json': { heading: APP },
};

const CARDS = path.join(__dirname, '..', '..', '..', 'cards');

/** The bindings (`${…}` without `t.` labels) in the Markdown places of a template. */
function markdownBindings(template: unknown): Set<string> {
  const found = new Set<string>();
  const add = (text: string): void => {
    for (const [, b] of text.matchAll(/\$\{([^}]*)\}/g)) {
      if (!/^(\$root\.)?t\./.test(b)) found.add(b);
    }
  };
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const n = node as Record<string, unknown>;
    if (n.type === 'TextBlock' && typeof n.text === 'string') add(n.text);
    if (n.type === 'FactSet') add(JSON.stringify(n.facts));
    Object.values(n).forEach(visit);
  };
  visit(template);
  return found;
}

describe('cards: every binding in a Markdown place is app text or escaped user text (issue 28)', () => {
  const templates = readdirSync(CARDS).filter((f) => f.endsWith('.json'));

  it('reads every template', () => {
    assert.ok(templates.length >= 15, templates.join(', '));
  });

  for (const file of templates) {
    it(`${file}: each TextBlock and fact binding is listed`, () => {
      const template: unknown = JSON.parse(readFileSync(path.join(CARDS, file), 'utf8'));
      const listed = MARKDOWN_BINDINGS[file] ?? {};
      assert.deepEqual([...markdownBindings(template)].sort(), Object.keys(listed).sort());
    });
  }
});
