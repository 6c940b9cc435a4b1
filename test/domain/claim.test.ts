import assert from 'node:assert/strict';
import {
  Claim,
  ClaimPermissions,
  addComment,
  addDocument,
  addMetric,
  approve,
  authorize,
  canView,
  editInformation,
  formatClaimNumber,
  parseClaimNumber,
  permissions,
  person,
  readClaimInformation,
  readMetric,
  reject,
  requestInformation,
  requestUploads,
} from '../../src/domain/claim';
import { AppError } from '../../src/domain/errors';
import { MAX_HANDS } from '../../src/domain/fourEyes';
import { money } from '../../src/domain/money';
import { Actor } from '../../src/domain/roles';
import { CLAIM_STATUSES, ClaimStatus } from '../../src/domain/status';

import {
  TENANT,
  actor,
  owner,
  contributor,
  incentivesAdmin,
  globalAdmin,
  reviewer,
  noRole,
  otherTenantAdmin,
  otherTenantOwner,
  T0,
  T1,
  AFTER_ACTIVITY,
  INFO,
  newClaim,
  withStatus,
  contributingUser,
  withContributor,
  uploaded,
  throwsCode,
  issuesOf,
} from './claimFixtures';

describe('domain/claim', () => {
  describe('claim numbers', () => {
    it('formats and parses CLM numbers', () => {
      assert.equal(formatClaimNumber(42), 'CLM-0042');
      assert.equal(formatClaimNumber(12345), 'CLM-12345');
      assert.equal(parseClaimNumber(' clm-42 '), 'CLM-0042');
      assert.equal(parseClaimNumber('CLM-0042'), 'CLM-0042');
      assert.equal(parseClaimNumber('CLM-'), undefined);
      assert.equal(parseClaimNumber('CLM-42x'), undefined);
      assert.equal(parseClaimNumber('42'), undefined);
    });
  });

  describe('createClaim', () => {
    it('numbers the claim, records who owns it and a created event', () => {
      const claim = newClaim();
      assert.equal(claim.number, 'CLM-0042');
      assert.equal(claim.id, 'CLM-0042');
      assert.equal(claim.seq, 42);
      assert.equal(claim.formId, 'form-42');
      assert.equal(claim.tenantId, TENANT);
      assert.equal(claim.fundId, 'fund-1');
      assert.deepEqual(claim.owner, { id: 'u-owner', name: 'Name of u-owner' });
      assert.deepEqual(claim.contributors, []);
      assert.equal(claim.status, 'editing');
      assert.deepEqual(claim.amount, money(150000, 'USD'));
      assert.equal(claim.title, 'Spring webinar');
      assert.deepEqual(claim.documents, []);
      assert.deepEqual(claim.metrics, []);
      assert.equal(claim.createdAt, T0);
      assert.equal(claim.updatedAt, T0);
      assert.equal(claim.history.length, 1);
      const [created] = claim.history;
      assert.equal(created.seq, 1);
      assert.equal(created.kind, 'created');
      assert.equal(created.at, T0);
      assert.deepEqual(created.by, person(owner));
    });

    it('any role that creates claims may create one; reviewers and people without a role may not', () => {
      for (const by of [owner, incentivesAdmin, globalAdmin]) {
        assert.equal(newClaim(by).owner.id, by.userId);
      }
      for (const by of [reviewer, noRole, contributor]) {
        throwsCode(() => newClaim(by), 'NOT_ALLOWED');
      }
    });
  });

  describe('readClaimInformation', () => {
    const valid = {
      title: '  Partner\u202e event ',
      activityType: 'event',
      activityStart: '2026-03-01',
      activityEnd: '2026-03-01',
      amount: '1.234,56',
      description: '',
    };

    it('reads cleaned values, the amount in the fund currency and the locale', () => {
      const info = readClaimInformation(valid, 'EUR', 'nl-NL');
      assert.equal(info.title, 'Partner event');
      assert.equal(info.activityType, 'event');
      assert.equal(info.activityStart, '2026-03-01');
      assert.equal(info.activityEnd, '2026-03-01');
      assert.deepEqual(info.amount, money(123456, 'EUR'));
      assert.equal(info.description, '');
      assert.equal(info.additionalInfo, '');
    });

    it('collects every problem at once', () => {
      const issues = issuesOf(() =>
        readClaimInformation(
          {
            title: '',
            activityType: 'party',
            activityStart: '2026-03-10',
            activityEnd: '2026-03-01',
            amount: '12a',
            description: 'd'.repeat(2001),
            additionalInfo: 'i'.repeat(4001),
          },
          'USD',
          'en-US',
        ),
      );
      assert.deepEqual(issues.sort(), [
        'activityEnd:endBeforeStart',
        'activityType:invalid',
        'additionalInfo:tooLong',
        'amount:amountFormat',
        'description:tooLong',
        'title:required',
      ]);
    });

    it('treats a zero-width-only title as empty', () => {
      const issues = issuesOf(() =>
        readClaimInformation({ ...valid, title: '\u200b\u200d\ufeff' }, 'EUR', 'nl-NL'),
      );
      assert.deepEqual(issues, ['title:required']);
    });

    it('reports missing fields, invalid dates and a zero amount', () => {
      const issues = issuesOf(() =>
        readClaimInformation({ activityStart: '2026-02-30', amount: '0' }, 'USD', 'en-US'),
      );
      assert.deepEqual(issues.sort(), [
        'activityEnd:required',
        'activityStart:dateInvalid',
        'activityType:required',
        'amount:amountPositive',
        'title:required',
      ]);
    });

    it('refuses an overlong title and an amount with too many decimals for the currency', () => {
      const issues = issuesOf(() =>
        readClaimInformation({ ...valid, title: 't'.repeat(121), amount: '12,5' }, 'JPY', 'nl-NL'),
      );
      assert.deepEqual(issues.sort(), ['amount:amountDecimals', 'title:tooLong']);
    });

    it('refuses an amount that is not text', () => {
      const issues = issuesOf(() =>
        readClaimInformation({ ...valid, amount: 1500 }, 'EUR', 'nl-NL'),
      );
      assert.deepEqual(issues, ['amount:required']);
    });
  });

  describe('readMetric', () => {
    it('reads a name and a whole number', () => {
      assert.deepEqual(
        readMetric({ metricName: 'Leads', metricValue: '1.250' }, 'nl-NL', 'EUR', String),
        {
          name: 'Leads',
          value: 1250,
        },
      );
    });

    it('refuses a missing name and a fractional or negative value together', () => {
      assert.deepEqual(
        issuesOf(() => readMetric({ metricName: ' ', metricValue: '1.5' }, 'en-US', 'USD', String)),
        ['metricName:required', 'metricValue:amountDecimals'],
      );
      assert.deepEqual(
        issuesOf(() => readMetric({ metricName: 'x', metricValue: '-3' }, 'en-US', 'USD', String)),
        ['metricValue:amountNegative'],
      );
    });
  });

  describe('permissions', () => {
    type Expect = Partial<Record<keyof ClaimPermissions, readonly ClaimStatus[]>>;
    const ALL = CLAIM_STATUSES;
    const EDITABLE: ClaimStatus[] = ['editing', 'actionRequired'];
    const NOT_DECIDED: ClaimStatus[] = ALL.filter(
      (s) => s !== 'approved' && s !== 'rejected' && s !== 'paid',
    );
    const NOT_EDITING: ClaimStatus[] = ALL.filter((s) => s !== 'editing');
    const DECIDE: ClaimStatus[] = ['submitted', 'underReview', 'disputed'];
    const DISPUTE: ClaimStatus[] = ['approved', 'rejected'];

    /** product.md's role table: per person, in which statuses each permission holds. */
    const matrix: [string, Actor, Expect][] = [
      [
        'owner (incentives user)',
        owner,
        {
          view: ALL,
          comment: ALL,
          edit: EDITABLE,
          addDocuments: EDITABLE,
          submit: EDITABLE,
          requestUpload: EDITABLE,
        },
      ],
      [
        'contributor without a role (colleague asked to upload): documents and comments only',
        contributor,
        { view: NOT_DECIDED, comment: NOT_DECIDED, addDocuments: EDITABLE },
      ],
      [
        'contributor who is an incentives user: edits the claim too',
        contributingUser,
        { view: NOT_DECIDED, comment: NOT_DECIDED, edit: EDITABLE, addDocuments: EDITABLE },
      ],
      [
        'incentives admin',
        incentivesAdmin,
        {
          view: ALL,
          comment: ALL,
          edit: EDITABLE,
          addDocuments: EDITABLE,
          submit: EDITABLE,
          requestUpload: EDITABLE,
          dispute: DISPUTE,
          recordPayment: ['approved'],
        },
      ],
      [
        'global admin: not a reviewer unless granted Reviewer',
        globalAdmin,
        {
          view: ALL,
          comment: ALL,
          edit: EDITABLE,
          addDocuments: EDITABLE,
          submit: EDITABLE,
          requestUpload: EDITABLE,
          dispute: DISPUTE,
          recordPayment: ['approved'],
        },
      ],
      [
        'reviewer',
        reviewer,
        {
          view: NOT_EDITING,
          comment: NOT_EDITING,
          startReview: ['submitted'],
          decide: DECIDE,
          approve: DECIDE,
        },
      ],
      ['user without a role', noRole, {}],
      ['global admin of another tenant', otherTenantAdmin, {}],
      ['same user id in another tenant', otherTenantOwner, {}],
    ];
    const KEYS: (keyof ClaimPermissions)[] = [
      'view',
      'edit',
      'addDocuments',
      'submit',
      'comment',
      'requestUpload',
      'startReview',
      'decide',
      'approve',
      'dispute',
      'recordPayment',
    ];

    for (const [label, who, expect] of matrix) {
      it(`${label}`, () => {
        const base = withContributor(newClaim());
        for (const status of ALL) {
          const p = permissions(who, withStatus(base, status));
          for (const key of KEYS) {
            assert.equal(p[key], (expect[key] ?? []).includes(status), `${key} in ${status}`);
          }
          assert.equal(canView(who, withStatus(base, status)), p.view, `canView in ${status}`);
        }
      });
    }

    it('an owner who also reviews may not review their own claim', () => {
      const both = actor('u-both', ['incentivesUser', 'reviewer']);
      const mine = newClaim(both);
      for (const status of ALL) {
        const p = permissions(both, withStatus(mine, status));
        assert.equal(p.startReview, false, status);
        assert.equal(p.decide, false, status);
      }
      const someoneElses = withStatus(newClaim(), 'submitted');
      assert.equal(permissions(both, someoneElses).startReview, true);
    });

    it('a global admin may not review a claim they own, even as a reviewer', () => {
      const adminReviewer = actor('u-global-admin', ['globalAdmin', 'reviewer']);
      const mine = withStatus(newClaim(adminReviewer), 'underReview');
      assert.equal(permissions(adminReviewer, mine).decide, false);
      assert.equal(permissions(adminReviewer, withStatus(mine, 'submitted')).startReview, false);
      const someoneElses = withStatus(newClaim(), 'underReview');
      assert.equal(permissions(adminReviewer, someoneElses).decide, true);
    });

    describe('four eyes: whoever had a hand may not review', () => {
      const adminReviewer = actor('u-admin-reviewer', ['globalAdmin', 'reviewer']);
      const reviewerToo = (a: Actor): Actor => ({ ...a, roles: new Set([...a.roles, 'reviewer']) });
      const cases: [string, Actor, (c: Claim) => Claim][] = [
        [
          'a colleague who uploaded a document',
          contributor,
          (c) => addDocument(withContributor(c, contributor), contributor, uploaded('inv.pdf'), T1),
        ],
        [
          'an admin who edited the information',
          adminReviewer,
          (c) => editInformation(c, adminReviewer, { ...INFO, title: 'Edited' }, T1),
        ],
        [
          'an admin who added a metric',
          adminReviewer,
          (c) => addMetric(c, adminReviewer, { name: 'Leads', value: 3 }, T1),
        ],
        [
          'a colleague asked to contribute, who did nothing yet',
          contributor,
          (c) =>
            requestUploads(c, owner, { to: [person(contributor)], types: ['poe'], note: '' }, T1),
        ],
      ];
      for (const [label, who, handIn] of cases) {
        it(`${label}, granted Reviewer later, can neither start, decide nor give feedback`, () => {
          const later = reviewerToo(who);
          const touched = handIn(newClaim());
          assert.ok(touched.hands?.includes(who.userId), 'the hand is kept on the claim');
          for (const status of ['submitted', 'underReview', 'disputed'] as const) {
            const p = permissions(later, withStatus(touched, status));
            assert.equal(p.startReview || p.decide || p.reviewItems, false, status);
          }
          const inReview = withStatus(touched, 'underReview');
          throwsCode(
            () => approve(inReview, later, money(1, 'USD'), '', AFTER_ACTIVITY),
            'HAD_A_HAND',
          );
          throwsCode(() => reject(inReview, later, 'no', AFTER_ACTIVITY), 'HAD_A_HAND');
          throwsCode(
            () => requestInformation(inReview, later, 'more', AFTER_ACTIVITY),
            'HAD_A_HAND',
          );
          throwsCode(
            () =>
              approve(withStatus(touched, 'disputed'), later, money(1, 'USD'), '', AFTER_ACTIVITY),
            'HAD_A_HAND',
          );
          assert.equal(permissions(reviewer, inReview).decide, true, 'an uninvolved reviewer may');
        });
      }

      it('a claim stored before hands were kept gets them from its owner, contributors and history', () => {
        const edited = editInformation(newClaim(), adminReviewer, { ...INFO, title: 'X' }, T1);
        const { hands: _hands, ...old } = withContributor(edited, contributor);
        const stored = withStatus(old as Claim, 'underReview');
        for (const who of [adminReviewer, reviewerToo(contributor), reviewerToo(owner)]) {
          assert.equal(permissions(who, stored).decide, false, who.userId);
        }
      });

      it('at most MAX_HANDS people have a hand: asking one more colleague is refused', () => {
        const crowded = {
          ...newClaim(),
          hands: [owner.userId, ...Array.from({ length: MAX_HANDS - 1 }, (_, i) => `u-${i}`)],
        };
        assert.throws(
          () =>
            requestUploads(
              crowded,
              owner,
              { to: [person(contributor)], types: ['poe'], note: '' },
              T1,
            ),
          (e: unknown) =>
            e instanceof AppError &&
            e.issues.some((i) => i.field === 'colleague' && i.problem === 'tooMany'),
        );
        const asked = requestUploads(
          crowded,
          owner,
          { to: [{ id: 'u-7', name: 'Known' }], types: ['poe'], note: '' },
          T1,
        );
        assert.equal(asked.hands?.length, MAX_HANDS);
      });

      it('comments and reviews give no hand: a second reviewer may still decide', () => {
        const commented = addComment(withStatus(newClaim(), 'underReview'), reviewer, 'hm', T1);
        assert.equal(permissions(reviewer, commented).decide, true);
      });
    });
  });

  describe('authorize', () => {
    const base = withContributor(newClaim());

    it('says "not found" to anyone who may not see the claim', () => {
      const cases: [Actor, ClaimStatus][] = [
        [noRole, 'editing'],
        [noRole, 'submitted'],
        [otherTenantAdmin, 'submitted'],
        [otherTenantOwner, 'editing'],
        [reviewer, 'editing'],
        [contributor, 'approved'],
        [contributor, 'rejected'],
      ];
      for (const [who, status] of cases) {
        for (const action of ['view', 'comment', 'edit', 'decide'] as const) {
          throwsCode(() => authorize(who, withStatus(base, status), action), 'CLAIM_NOT_FOUND', {
            number: 'CLM-0042',
          });
        }
      }
    });

    it('says "not now" (STATUS_FORBIDS naming the status) when the action is possible in another status', () => {
      const cases: [Actor, ClaimStatus, keyof ClaimPermissions][] = [
        [owner, 'submitted', 'edit'],
        [owner, 'approved', 'submit'],
        [contributor, 'underReview', 'addDocuments'],
        [contributingUser, 'underReview', 'edit'],
        [incentivesAdmin, 'underReview', 'dispute'],
        [reviewer, 'actionRequired', 'decide'],
        [reviewer, 'approved', 'decide'],
        [reviewer, 'underReview', 'startReview'],
        [globalAdmin, 'rejected', 'requestUpload'],
      ];
      for (const [who, status, action] of cases) {
        throwsCode(() => authorize(who, withStatus(base, status), action), 'STATUS_FORBIDS', {
          status,
          action,
        });
      }
    });

    it('says "not you" (NOT_ALLOWED) when the action is never this person\'s', () => {
      const cases: [Actor, ClaimStatus, keyof ClaimPermissions][] = [
        [reviewer, 'submitted', 'edit'],
        [reviewer, 'approved', 'dispute'],
        [contributor, 'editing', 'submit'],
        [contributor, 'editing', 'requestUpload'],
        [contributor, 'underReview', 'decide'],
        [owner, 'underReview', 'decide'],
        [owner, 'submitted', 'startReview'],
        [owner, 'approved', 'dispute'],
        [incentivesAdmin, 'underReview', 'decide'],
      ];
      for (const [who, status, action] of cases) {
        throwsCode(() => authorize(who, withStatus(base, status), action), 'NOT_ALLOWED', {
          action,
        });
      }
    });

    it('passes when allowed', () => {
      assert.doesNotThrow(() => authorize(owner, base, 'edit'));
      assert.doesNotThrow(() => authorize(contributor, base, 'addDocuments'));
      assert.throws(() => authorize(contributor, base, 'edit'), /NOT_ALLOWED/);
      assert.doesNotThrow(() => authorize(contributingUser, base, 'edit'));
      assert.doesNotThrow(() => authorize(reviewer, withStatus(base, 'submitted'), 'startReview'));
      assert.doesNotThrow(() =>
        authorize(incentivesAdmin, withStatus(base, 'rejected'), 'dispute'),
      );
    });
  });
});
