import assert from 'node:assert/strict';
import {
  renderClaimsOverview,
  renderFunds,
  renderHelp,
  renderHistory,
  renderNewClaim,
  renderNotice,
  renderReviewQueue,
  renderUploadQuestion,
  ReviewQueueData,
} from '../../cards';
import { DOCUMENT_TYPES } from '../../src/domain/claim';
import { totalsFrom } from '../../src/domain/fund';
import { texts } from '../../src/i18n/i18n';
import { historyLine, summaryView } from '../../src/bot/views/claim';
import { documentLinkCard } from '../../src/bot/views/documentLink';
import { literal } from '../../src/bot/views/text';
import { fundView } from '../../src/bot/flows/overview';
import type { ClaimSummary } from '../../src/store/claims';
import { LOCALES, USER, check, fund, nodes, stages, strings, url } from './schemaKit';

describe('card schema (Adaptive Cards SDK, Teams subset of 1.5): lists, forms and notices', () => {
  for (const locale of LOCALES) {
    describe(locale, () => {
      const t = texts(locale);

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
