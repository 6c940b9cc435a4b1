import assert from 'node:assert/strict';
import type * as ACTypes from 'adaptivecards';
import {
  AdaptiveCard,
  renderClaimsOverview,
  renderFunds,
  renderHelp,
  renderHistory,
  renderNewClaim,
  renderNewFundRequest,
  renderNotice,
  renderReviewQueue,
  renderUploadQuestion,
  ReviewQueueData,
} from '../../cards';
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
import { Fund, totalsFrom } from '../../src/domain/fund';
import { readFund } from '../../src/domain/fundInput';
import {
  approveRequest,
  declineRequest,
  expireRequest,
  newFundRequest,
  useRequest,
} from '../../src/domain/fundRequest';
import { fundRequestCard, fundRequestsCard } from '../../src/bot/views/fundRequest';
import { money } from '../../src/domain/money';
import { NOTIFICATION_KINDS, newNotification } from '../../src/domain/notification';
import type { Actor, Person, Role } from '../../src/domain/roles';
import { texts } from '../../src/i18n/i18n';
import { DocumentDisplay, claimCard, historyLine, summaryView } from '../../src/bot/views/claim';
import { documentLinkCard } from '../../src/bot/views/documentLink';
import { notificationCard } from '../../src/bot/views/notification';
import { literal } from '../../src/bot/views/text';
import { fundView } from '../../src/bot/flows/overview';
import type { ClaimSummary } from '../../src/store/claims';

// The package's `main` is extension-less ESM that Node cannot load; its UMD bundle works in Node.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const AC = require('adaptivecards/dist/adaptivecards.min.js') as typeof ACTypes;

const MAX_BYTES = 28 * 1024;
const LOCALES = ['en-US', 'nl-NL'] as const;
/** User text that must reach the card literally: a template expression and markdown. */
const USER = 'Q3 ${title} **bold** _it_ [link](https://evil.example) # h';
const USER_MD = '**bold**';

type Node = Record<string, unknown>;

function nodes(json: unknown): Node[] {
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

function strings(json: unknown): string[] {
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
function problems(card: AdaptiveCard): string[] {
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

const bytes = (card: AdaptiveCard): number => Buffer.byteLength(JSON.stringify(card));

function check(name: string, card: AdaptiveCard, userText = true): void {
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

const actor = (userId: string, name: string, roles: Role[]): Actor => ({
  tenantId: 't1',
  userId,
  name,
  channelUserId: `29:${userId}`,
  roles: new Set(roles),
});
const owner = actor('u-owner', 'Olivia Owner', ['incentivesUser']);
const reviewer = actor('u-reviewer', 'Rita Reviewer', ['reviewer']);
const admin = actor('u-admin', 'Adam Admin', ['incentivesAdmin']);
const colleague: Person = { id: 'u-col', name: 'Cora Colleague', channelUserId: '29:u-col' };
const asPerson = (a: Actor): Person => ({ id: a.userId, name: a.name });

const fund: Fund = readFund(
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

const at = (minute: number): string =>
  new Date(Date.UTC(2026, 2, 1, 9, 0) + minute * 60_000).toISOString();
const url = (id: string): string =>
  `https://coopclaims.blob.core.windows.net/documents/t1/CLM-0042/${id}/file.pdf?sv=2025-01-05&se=2026-03-02T09%3A00%3A00Z&sr=b&sp=r&sig=${'A'.repeat(44)}`;

function newClaim(long: boolean): Claim {
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

const submitContext = { remaining: money(100_000_000, 'USD'), reviewers: [asPerson(reviewer)] };

/** A typical claim at each stage of its life. */
function stages(): Record<'editing' | 'underReview' | 'approved', Claim> {
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
function largest(): Claim {
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

const ON_REQUEST: DocumentDisplay = { kind: 'onRequest' };
const WITHHELD: DocumentDisplay = { kind: 'withheld' };
const links = (c: Claim): DocumentDisplay => ({
  kind: 'links',
  urls: new Map(c.documents.map((d) => [d.id, url(d.id)])),
});

// ---- the tests --------------------------------------------------------------------------------------

describe('card schema (Adaptive Cards SDK, Teams subset of 1.5)', () => {
  it('the validator catches invalid cards', () => {
    const bad = {
      type: 'AdaptiveCard',
      version: '1.4',
      body: [
        { type: 'Bogus' },
        { type: 'TextBlock', text: 'x ${y}', size: 'huge' },
        { type: 'Input.Text', id: 'a' },
        { type: 'Input.Text', id: 'a', label: 'A' },
      ],
    } as const;
    const found = problems(bad).join('\n');
    for (const part of ['Bogus', 'huge', 'Duplicate', 'label', 'version', 'unresolved']) {
      assert.match(found, new RegExp(part), found);
    }
  });

  for (const locale of LOCALES) {
    describe(locale, () => {
      const t = texts(locale);

      it('claim detail card, every role and stage', () => {
        const s = stages();
        const views: [string, Claim, Actor][] = [
          ['owner editing', s.editing, owner],
          ['admin editing', s.editing, admin],
          ['owner under review', s.underReview, owner],
          ['reviewer under review', s.underReview, reviewer],
          ['admin under review', s.underReview, admin],
          ['owner approved', s.approved, owner],
          ['admin approved', s.approved, admin],
        ];
        const found: Record<string, string[]> = {};
        for (const [name, claim, who] of views) {
          for (const documents of [links(claim), ON_REQUEST, WITHHELD]) {
            const card = claimCard({ claim, fund, actor: who, texts: t, documents });
            const p = [...problems(card), ...(bytes(card) > MAX_BYTES ? [`${bytes(card)} B`] : [])];
            if (!strings(card).some((x) => x.includes(USER) || x.includes(literal(USER)))) {
              p.push('user text not literal');
            }
            if (p.length) found[`${name}, ${documents.kind}`] = p;
          }
        }
        assert.deepEqual(found, {});
      });

      it("claim detail card in a shared chat: no file link; documents only on the user's own view", () => {
        const claim = stages().underReview;
        const own = claimCard({ claim, fund, actor: reviewer, texts: t, documents: ON_REQUEST });
        const everyone = claimCard({ claim, fund, actor: reviewer, texts: t, documents: WITHHELD });
        for (const card of [own, everyone]) {
          const json = JSON.stringify(card);
          assert.ok(!json.includes('sig=') && !json.includes('blob.core'), json);
          assert.ok(!nodes(card).some((n) => n.type === 'Action.OpenUrl'));
        }
        const opens = nodes(own).filter((n) => n.verb === 'openDocument');
        assert.deepEqual(
          opens.map((n) => n.data),
          // the newest three, newest first, one line each
          claim.documents
            .slice(-3)
            .reverse()
            .map((d) => ({ claim: claim.number, document: d.id })),
        );
        assert.ok(strings(own).includes('document-2.pdf'));
        const shared = JSON.stringify(everyone);
        const secrets = [
          'document-1.pdf',
          'document-2.pdf',
          'Invoice Q3',
          'Screenshot Q3',
          'Feedback Q3',
        ];
        for (const secret of secrets) {
          assert.ok(!shared.includes(secret), `${secret} on the card everybody sees`);
        }
        assert.ok(!nodes(everyone).some((n) => n.verb === 'openDocument'));
        assert.ok(strings(everyone).includes(t.t('detail.documentsWithheld')));
      });

      it('claim detail card with a notice', () => {
        const claim = stages().editing;
        const notice = { style: 'attention' as const, text: USER, items: [USER] };
        const card = claimCard({
          claim,
          fund,
          actor: owner,
          texts: t,
          notice,
          documents: links(claim),
        });
        check('notice', card);
      });

      it('claim detail card of the largest claim stays under 28 KB', () => {
        const claim = largest();
        const found: Record<string, string[]> = {};
        for (const who of [owner, reviewer, admin]) {
          for (const documents of [links(claim), ON_REQUEST, WITHHELD]) {
            const card = claimCard({ claim, fund, actor: who, texts: t, documents });
            const p = [...problems(card), ...(bytes(card) > MAX_BYTES ? [`${bytes(card)} B`] : [])];
            if (p.length) found[`${who.name}, ${documents.kind}`] = p;
          }
        }
        assert.deepEqual(found, {}, `limit ${MAX_BYTES} B`);
      });

      it('notification card, every kind', () => {
        const claim = stages().underReview;
        for (const kind of NOTIFICATION_KINDS) {
          const n = newNotification({
            id: `n-${kind}`,
            kind,
            to: asPerson(owner),
            from: asPerson(reviewer),
            now: at(10),
            note: USER,
            details: {
              claim: claim.number,
              types: 'invoice,poe',
              due: '2026-03-09',
              amount: JSON.stringify(money(1_234_567, 'USD')),
              approved: JSON.stringify(money(1_000_000, 'USD')),
              items: `document-1.pdf: ${USER}`,
              fileName: `${USER}.pdf`,
            },
          });
          check(kind, notificationCard(n, claim, locale));
        }
      });

      it('fund requests: the form, the card in every status for each viewer, the list', () => {
        const form = renderNewFundRequest({
          t: t.messages.fundRequest,
          formId: 'form-3',
          funds: [{ value: fund.id, title: `${fund.name} (USD)` }],
          activityTypes: [{ value: 'event', title: t.t('activityType.event') }],
          amountPlaceholder: '1,234.56',
          values: {
            activity: USER,
            activityType: 'event',
            plannedStart: '2026-04-01',
            plannedEnd: '2026-04-02',
            plannedAmount: '1,000.00',
            fundId: fund.id,
          },
          notice: { style: 'attention', text: USER, items: [USER] },
        });
        check('newFundRequest', form);
        const requested = newFundRequest({
          actor: { ...owner, name: USER },
          seq: 3,
          formId: 'form-3',
          input: {
            activity: USER,
            activityType: 'event',
            plannedStart: '2026-04-01',
            plannedEnd: '2026-04-02',
            plannedAmount: '1,000.00',
          },
          fund,
          locale: 'en-US',
          now: at(0),
          admins: [asPerson(admin)],
        });
        const approved = approveRequest(requested, admin, at(1));
        const states = [
          requested,
          approved,
          declineRequest(requested, admin, USER, at(1)),
          useRequest(approved, { ...owner, name: USER }, 'CLM-0042', at(2)),
          expireRequest(approved, '2026-06-01T00:00:00.000Z'),
        ];
        for (const request of states) {
          for (const viewer of [owner, admin]) {
            const card = fundRequestCard({
              texts: t,
              request,
              viewer,
              fund,
              notice: { style: 'accent', text: USER, items: [] },
            });
            check(`fundRequest ${request.status} ${viewer.name}`, card);
          }
        }
        check('fundRequests', fundRequestsCard(t, states, true));
        check('fundRequests empty', fundRequestsCard(t, [], false), false);
      });

      it('help', () => {
        const card = renderHelp({
          heading: t.t('help.title'),
          intro: t.t('help.intro'),
          commandsHeading: t.t('help.commandsHeading'),
          commands: [
            { command: 'claims', meaning: t.t('help.commands.claims') },
            { command: 'new claim', meaning: t.tDynamic('help.commands.newClaim') },
          ],
          hint: t.t('help.personalHint'),
          demoHint: t.t('help.demo'),
          rolesLine: t.t('help.yourRoles', { roles: t.t('role.reviewer') }),
          buttons: {
            claimsPage: { shown: true, title: t.t('help.buttons.claims'), mode: 'primary' },
            newClaimForm: { shown: false, title: t.t('help.buttons.newClaim'), mode: 'secondary' },
            reviewPage: { shown: true, title: t.t('help.buttons.review'), mode: 'secondary' },
            newFundRequestForm: {
              shown: false,
              title: t.t('help.buttons.fundRequest'),
              mode: 'secondary',
            },
          },
        });
        check('help', card, false);
      });

      const s = stages();
      const summary: ClaimSummary = {
        number: s.approved.number,
        seq: s.approved.seq,
        fundId: s.approved.fundId,
        title: s.approved.title,
        status: s.approved.status,
        amount: s.approved.amount,
        approvedAmount: s.approved.approvedAmount,
        ownerName: USER,
      };
      const funds = [fundView(t, fund, totalsFrom(fund, {}))];

      it('claims overview', () => {
        for (const canCreate of [true, false]) {
          const card = renderClaimsOverview({
            t: t.messages.overview,
            claims: [summaryView(t, summary)],
            funds,
            next: canCreate ? 17 : null,
            canCreate,
          });
          check(`overview ${canCreate}`, card);
        }
      });

      it('new claim', () => {
        const card = renderNewClaim({
          t: t.messages.newClaim,
          formId: 'form-1',
          funds: [{ value: fund.id, title: `${fund.name} (USD)` }],
          activityTypes: [{ value: 'webinar', title: t.t('activityType.webinar') }],
          amountPlaceholder: '1,234.56',
          values: {
            title: USER,
            fundId: fund.id,
            activityType: 'webinar',
            activityStart: '2026-02-01',
            activityEnd: '2026-02-10',
            amount: '1,234.56',
            currency: 'EUR',
            description: USER,
            additionalInfo: USER,
          },
          notice: { style: 'warning', text: USER, items: [USER] },
        });
        check('newClaim', card);
      });

      it('funds', () => {
        for (const canManage of [true, false]) {
          const card = renderFunds({
            t: t.messages.funds,
            labels: t.messages.overview,
            notice: { style: 'good', text: USER, items: [] },
            funds,
            canManage,
            formId: 'form-2',
            values: {
              fundName: USER,
              allocated: '100,000',
              currency: 'USD',
              reimbursementRate: '50',
              capPerClaim: USER,
              periodStart: '2026-01-01',
              periodEnd: '2026-12-31',
              graceDays: '45',
            },
          });
          check(`funds ${canManage}`, card);
        }
      });

      it('document link (sent to the 1:1 chat)', () => {
        const claim = stages().editing;
        const card = documentLinkCard({
          claim,
          document: claim.documents[0],
          url: url('d1'),
          lifetimeSeconds: 900,
          texts: t,
        });
        check('documentLink', card);
        const open = nodes(card).filter((n) => n.type === 'Action.OpenUrl');
        assert.deepEqual(
          open.map((n) => n.url),
          [url('d1')],
        );
        assert.ok(strings(card).some((x) => x.includes('15')));
      });

      it('history everybody sees in a shared chat names no document', () => {
        const events = stages().approved.history;
        const card = renderHistory({
          t: t.messages.history,
          heading: t.t('history.title', { number: 'CLM-0042' }),
          number: 'CLM-0042',
          events: events.map((e) => historyLine(t, e, 'withheld')),
          older: null,
        });
        check('history withheld', card);
        const json = JSON.stringify(card);
        for (const secret of ['document-1.pdf', 'Invoice Q3', 'Screenshot Q3', 'Feedback Q3']) {
          assert.ok(!json.includes(secret), secret);
        }
      });

      it('history', () => {
        for (const older of [null, 3]) {
          const card = renderHistory({
            t: t.messages.history,
            heading: t.t('history.title', { number: s.approved.number }),
            number: s.approved.number,
            events: s.approved.history.map((e) => historyLine(t, e)),
            older,
          });
          check(`history ${older}`, card);
        }
        const empty = renderHistory({
          t: t.messages.history,
          heading: 'History',
          number: 'CLM-0001',
          events: [],
          older: null,
        });
        check('history empty', empty, false);
      });

      it('notice', () => {
        for (const claim of ['CLM-0042', '']) {
          const card = renderNotice({
            style: 'attention',
            title: USER,
            text: USER,
            items: [USER],
            claim,
            openLabel: t.t('overview.open'),
          });
          check(`notice ${claim}`, card);
        }
      });

      it('review queue: first, middle and last page, a notice, empty', () => {
        const queue: ReviewQueueData = {
          t: t.messages.review,
          open: t.t('overview.open'),
          notice: '',
          summary: t.t('review.position', { range: '21–40' }),
          showing: t.t('review.onlyAll'),
          claims: [
            {
              ...summaryView(t, summary),
              ownerName: literal(USER),
              waited: t.t('next.waitedToday'),
            },
          ],
          filter: { status: '', fund: '' },
          funds: [],
          next: 'WzEsIjIwMjYtMDMtMDFUMDk6MDA6MDAuMDAwWiIsNDIsNDBd',
          later: true,
        };
        // Each page with the buttons it shows: Next page, First page.
        const pages: [string, ReviewQueueData, number][] = [
          ['first', { ...queue, later: false }, 1],
          ['middle', queue, 2],
          ['last', { ...queue, next: null }, 1],
          ['notice', { ...queue, notice: t.t('review.pageGone'), later: false }, 1],
        ];
        for (const [name, data, buttons] of pages) {
          const card = renderReviewQueue(data);
          check(`reviewQueue ${name}`, card);
          assert.equal((card.actions as unknown[]).length, buttons, `reviewQueue ${name} buttons`);
        }
        const empty: ReviewQueueData = {
          ...queue,
          summary: t.t('review.empty'),
          claims: [],
          next: null,
          later: false,
        };
        check('reviewQueue empty', renderReviewQueue(empty), false);
      });

      it('upload question', () => {
        const card = renderUploadQuestion({
          heading: t.t('upload.question'),
          files: [`${USER}.pdf`],
          notice: { style: 'attention', text: USER, items: [] },
          labels: {
            claim: t.t('upload.claim'),
            documentType: t.t('detail.documentType'),
            explanation: t.t('detail.explanation'),
            add: t.t('upload.add'),
          },
          claims: [{ value: 'CLM-0042', title: `CLM-0042 ${USER}` }],
          documentTypes: DOCUMENT_TYPES.map((value) => ({ value, title: value })),
          values: { claim: 'CLM-0042', documentType: 'invoice', explanation: USER },
        });
        check('uploadQuestion', card);
      });
    });
  }
});
