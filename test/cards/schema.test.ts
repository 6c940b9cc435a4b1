import assert from 'node:assert/strict';
import { Notice, renderNewFundRequest } from '../../cards';
import { Claim, permissions } from '../../src/domain/claim';
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
import type { Actor } from '../../src/domain/roles';
import { texts } from '../../src/i18n/i18n';
import { DocumentDisplay, claimCard } from '../../src/bot/views/claim';
import { notificationCard } from '../../src/bot/views/notification';
import { literal } from '../../src/bot/views/text';
import {
  LOCALES,
  MAX_BYTES,
  ON_REQUEST,
  USER,
  WITHHELD,
  admin,
  asPerson,
  at,
  bytes,
  check,
  fund,
  largest,
  links,
  nodes,
  owner,
  problems,
  reviewer,
  stages,
  strings,
} from './schemaKit';

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
      /** The claim card as `who` sees it, its buttons from their permissions. */
      const cardFor = (claim: Claim, who: Actor, documents: DocumentDisplay, notice?: Notice) =>
        claimCard({
          claim,
          fund,
          actor: who,
          can: permissions(who, claim),
          texts: t,
          documents,
          notice,
        });

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
            const card = cardFor(claim, who, documents);
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
        const own = cardFor(claim, reviewer, ON_REQUEST);
        const everyone = cardFor(claim, reviewer, WITHHELD);
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
        const card = cardFor(claim, owner, links(claim), notice);
        check('notice', card);
      });

      it('claim detail card of the largest claim stays under 28 KB', () => {
        const claim = largest();
        const found: Record<string, string[]> = {};
        for (const who of [owner, reviewer, admin]) {
          for (const documents of [links(claim), ON_REQUEST, WITHHELD]) {
            const card = cardFor(claim, who, documents);
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
    });
  }
});
