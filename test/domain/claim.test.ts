import assert from 'node:assert/strict';
import {
  Claim,
  ClaimDocument,
  ClaimInformation,
  ClaimPermissions,
  RequirementsUnmetError,
  addComment,
  addDocument,
  addMetric,
  approve,
  authorize,
  canView,
  createClaim,
  dispute,
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
  startReview,
  submit,
} from '../../src/domain/claim';
import { AppError, ErrorCode } from '../../src/domain/errors';
import { MAX_HANDS } from '../../src/domain/fourEyes';
import { Money, money } from '../../src/domain/money';
import { Actor, Role } from '../../src/domain/roles';
import { CLAIM_STATUSES, ClaimStatus } from '../../src/domain/status';

const TENANT = 'tenant-a';
const OTHER_TENANT = 'tenant-b';

const actor = (userId: string, roles: Role[], tenantId = TENANT): Actor => ({
  tenantId,
  userId,
  name: `Name of ${userId}`,
  roles: new Set(roles),
});

const owner = actor('u-owner', ['incentivesUser']);
const contributor = actor('u-contributor', []);
const incentivesAdmin = actor('u-incentives-admin', ['incentivesAdmin']);
const globalAdmin = actor('u-global-admin', ['globalAdmin']);
const reviewer = actor('u-reviewer', ['reviewer']);
const secondReviewer = actor('u-reviewer-2', ['reviewer']);
const noRole = actor('u-nobody', []);
const otherTenantAdmin = actor('u-global-admin', ['globalAdmin'], OTHER_TENANT);
const otherTenantOwner = actor('u-owner', ['incentivesUser'], OTHER_TENANT);

const FUND = { id: 'fund-1', currency: 'USD' };
const T0 = '2026-03-01T09:00:00.000Z';
const T1 = '2026-03-02T09:00:00.000Z';
const AFTER_ACTIVITY = '2026-04-01T10:00:00.000Z';
const PLENTY: Money = money(1_000_000_00, 'USD');

const INFO: ClaimInformation = readClaimInformation(
  {
    title: 'Spring webinar',
    activityType: 'webinar',
    activityStart: '2026-03-01',
    activityEnd: '2026-03-10',
    amount: '1,500.00',
    description: 'Azure migration webinar',
  },
  'USD',
  'en-US',
);

function newClaim(by: Actor = owner, seq = 42): Claim {
  return createClaim({ actor: by, seq, formId: `form-${seq}`, fund: FUND, info: INFO, now: T0 });
}

const withStatus = (claim: Claim, status: ClaimStatus): Claim => ({ ...claim, status });
const contributingUser = actor('u-contributing-user', ['incentivesUser']);
const withContributor = (claim: Claim, ...who: Actor[]): Claim => ({
  ...claim,
  contributors: (who.length ? who : [contributor, contributingUser]).map(person),
});

function doc(type: ClaimDocument['type'], fileName: string, explanation: string): ClaimDocument {
  return {
    id: `d-${fileName}`,
    type,
    fileName,
    blobName: `blob/${fileName}`,
    size: 1234,
    contentType: 'application/pdf',
    sha256: 'a'.repeat(64),
    explanation,
    uploadedBy: person(owner),
    uploadedAt: T1,
    feedback: [],
  };
}

/** A document as an upload hands it to the domain. */
function uploaded(fileName: string): Parameters<typeof addDocument>[2] {
  const {
    uploadedBy: _by,
    uploadedAt: _at,
    feedback: _feedback,
    ...file
  } = doc('invoice', fileName, 'the invoice');
  return file;
}

/** A claim that meets every core requirement once the activity has ended. */
function readyClaim(by: Actor = owner): Claim {
  const claim = withContributor(newClaim(by));
  const withDocs: Claim = {
    ...claim,
    documents: [
      doc('invoice', 'invoice.pdf', 'Agency invoice for the webinar'),
      doc('poe', 'screenshot.png', 'Screenshot of the webinar with attendees'),
    ],
  };
  return addMetric(withDocs, by, { name: 'Attendees', value: 120 }, T1);
}

const doSubmit = (
  claim: Claim,
  by: Actor,
  remaining: Money = PLENTY,
  now = AFTER_ACTIVITY,
): Claim => submit(claim, by, { remaining, reviewers: [] }, now);

function throwsCode(fn: () => unknown, code: ErrorCode, params?: Record<string, unknown>): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof AppError, `expected AppError ${code}, got ${String(e)}`);
    assert.equal(e.code, code);
    if (params) for (const [k, v] of Object.entries(params)) assert.equal(e.params[k], v, k);
    return true;
  });
}

function issuesOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof AppError);
    assert.equal(e.code, 'INVALID_INPUT');
    return e.issues.map((i) => `${i.field}:${i.problem}`);
  }
  assert.fail('expected INVALID_INPUT');
}

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
      assert.deepEqual(readMetric({ metricName: 'Leads', metricValue: '1.250' }, 'nl-NL'), {
        name: 'Leads',
        value: 1250,
      });
    });

    it('refuses a missing name and a fractional or negative value together', () => {
      assert.deepEqual(
        issuesOf(() => readMetric({ metricName: ' ', metricValue: '1.5' }, 'en-US')),
        ['metricName:required', 'metricValue:amountDecimals'],
      );
      assert.deepEqual(
        issuesOf(() => readMetric({ metricName: 'x', metricValue: '-3' }, 'en-US')),
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
    const DECIDE: ClaimStatus[] = ['underReview', 'disputed'];
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
        { view: NOT_EDITING, comment: NOT_EDITING, startReview: ['submitted'], decide: DECIDE },
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
        [reviewer, 'submitted', 'decide'],
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

  describe('history of changes', () => {
    it('addMetric, editInformation and addComment append exactly one event each, seq increasing', () => {
      const c0 = withContributor(newClaim());
      const c1 = addMetric(c0, owner, { name: 'Attendees', value: 120 }, T1);
      const c2 = editInformation(
        c1,
        contributingUser,
        { ...INFO, title: 'Spring webinar (EMEA)' },
        T1,
      );
      const c3 = addComment(c2, incentivesAdmin, 'Looks good', T1);
      const c4 = addMetric(c3, incentivesAdmin, { name: 'Leads', value: 7 }, T1);

      const steps = [c0, c1, c2, c3, c4];
      for (let i = 1; i < steps.length; i++) {
        assert.equal(steps[i].history.length, steps[i - 1].history.length + 1);
        assert.deepEqual(
          steps[i].history.slice(0, -1),
          steps[i - 1].history,
          'earlier events kept',
        );
      }
      assert.deepEqual(
        c4.history.map((e) => [e.seq, e.kind, e.by.id]),
        [
          [1, 'created', 'u-owner'],
          [2, 'metricAdded', 'u-owner'],
          [3, 'informationEdited', 'u-contributing-user'],
          [4, 'commented', 'u-incentives-admin'],
          [5, 'metricAdded', 'u-incentives-admin'],
        ],
      );
      assert.equal(c2.history[2].item, 'title');
      assert.equal(c2.title, 'Spring webinar (EMEA)');
      assert.equal(c3.history[3].note, 'Looks good');
      assert.deepEqual(
        c4.metrics.map((m) => [m.name, m.value]),
        [
          ['Attendees', 120],
          ['Leads', 7],
        ],
      );
      assert.equal(new Set(c4.metrics.map((m) => m.id)).size, 2, 'metric ids are unique');
      assert.equal(c4.updatedAt, T1);
      assert.equal(c0.history.length, 1, 'the original claim is not mutated');
      assert.equal(c0.metrics.length, 0, 'the original claim is not mutated');
    });

    it('editInformation names every changed field', () => {
      const c = editInformation(
        newClaim(),
        owner,
        { ...INFO, amount: money(99, 'USD'), activityEnd: '2026-03-11' },
        T1,
      );
      assert.deepEqual(c.history[1].item?.split(', ').sort(), ['activityEnd', 'amount']);
      assert.deepEqual(c.amount, money(99, 'USD'));
    });

    it('editInformation with no change returns the same claim and records nothing', () => {
      const c = newClaim();
      const same = editInformation(c, owner, { ...INFO }, T1);
      assert.equal(same, c);
      assert.equal(same.history.length, 1);
      assert.equal(same.updatedAt, T0);
    });

    it('edits are refused outside editable statuses, comments never are', () => {
      const submitted = withStatus(newClaim(), 'submitted');
      throwsCode(() => addMetric(submitted, owner, { name: 'x', value: 1 }, T1), 'STATUS_FORBIDS');
      throwsCode(
        () => editInformation(submitted, owner, { ...INFO, title: 'x' }, T1),
        'STATUS_FORBIDS',
      );
      for (const status of CLAIM_STATUSES) {
        const c = addComment(withStatus(newClaim(), status), owner, 'note', T1);
        assert.equal(c.history[c.history.length - 1].kind, 'commented', status);
      }
    });

    it('a reviewer cannot edit a submitted claim, nor see an editing one', () => {
      throwsCode(
        () => addMetric(withStatus(newClaim(), 'submitted'), reviewer, { name: 'x', value: 1 }, T1),
        'NOT_ALLOWED',
      );
      throwsCode(() => addComment(newClaim(), reviewer, 'hi', T1), 'CLAIM_NOT_FOUND');
    });
  });

  describe('submit', () => {
    it('lists every unmet requirement and changes nothing', () => {
      const claim: Claim = {
        ...newClaim(),
        documents: [doc('other', 'notes.txt', '   ')],
      };
      assert.throws(
        () => doSubmit(claim, owner, money(1000, 'USD'), '2026-03-05T12:00:00.000Z'),
        (e: unknown) => {
          assert.ok(e instanceof RequirementsUnmetError);
          assert.equal(e.code, 'REQUIREMENTS_UNMET');
          assert.deepEqual(
            e.unmet.map((u) => u.code),
            [
              'invoiceOrCsr',
              'proofOfExecution',
              'explanation',
              'metric',
              'amountWithinRemaining',
              'activityEnded',
            ],
          );
          assert.deepEqual(e.unmet[2], { code: 'explanation', document: 'notes.txt' });
          assert.equal(e.params.count, 6);
          return true;
        },
      );
      assert.equal(claim.status, 'editing');
      assert.equal(claim.history.length, 1);
    });

    it('refuses a claim submitted too long after the activity', () => {
      assert.throws(
        () => doSubmit(readyClaim(), owner, PLENTY, '2026-04-25T09:00:00.000Z'),
        (e: unknown) =>
          e instanceof RequirementsUnmetError &&
          e.unmet.length === 1 &&
          e.unmet[0].code === 'submissionWindow',
      );
    });

    it('submits a claim that meets every requirement', () => {
      const ready = readyClaim();
      const submitted = doSubmit(ready, owner);
      assert.equal(submitted.status, 'submitted');
      assert.equal(submitted.submittedAt, AFTER_ACTIVITY);
      assert.equal(submitted.history.length, ready.history.length + 1);
      const last = submitted.history[submitted.history.length - 1];
      assert.equal(last.kind, 'submitted');
      assert.equal(last.seq, ready.history[ready.history.length - 1].seq + 1);
      assert.equal(ready.status, 'editing', 'the original claim is not mutated');
    });

    it('accepts an amount exactly equal to what the fund has left', () => {
      const ready = readyClaim();
      assert.equal(doSubmit(ready, owner, ready.amount).status, 'submitted');
    });

    it('only the owner or an admin may submit, not a contributor or a reviewer', () => {
      assert.equal(doSubmit(readyClaim(), incentivesAdmin).status, 'submitted');
      throwsCode(() => doSubmit(readyClaim(), contributor), 'NOT_ALLOWED');
      throwsCode(() => doSubmit(readyClaim(), reviewer), 'CLAIM_NOT_FOUND');
    });

    it('cannot submit twice', () => {
      const submitted = doSubmit(readyClaim(), owner);
      throwsCode(() => doSubmit(submitted, owner), 'STATUS_FORBIDS', { status: 'submitted' });
    });
  });

  describe('the review loop', () => {
    const submitted = (): Claim => doSubmit(readyClaim(), owner);
    const underReview = (): Claim => startReview(submitted(), reviewer, AFTER_ACTIVITY);

    it('startReview records the reviewer', () => {
      const c = underReview();
      assert.equal(c.status, 'underReview');
      assert.deepEqual(c.reviewer, person(reviewer));
      assert.equal(c.history[c.history.length - 1].kind, 'reviewStarted');
    });

    it('request information, edit, resubmit from Action required', () => {
      const asked = requestInformation(
        underReview(),
        reviewer,
        'Add the invoice total',
        AFTER_ACTIVITY,
      );
      assert.equal(asked.status, 'actionRequired');
      assert.equal(asked.history[asked.history.length - 1].note, 'Add the invoice total');
      const edited = addMetric(
        asked,
        contributingUser,
        { name: 'Leads', value: 3 },
        AFTER_ACTIVITY,
      );
      const again = doSubmit(edited, owner);
      assert.equal(again.status, 'submitted');
      assert.deepEqual(
        again.history.map((e) => e.kind),
        [
          'created',
          'metricAdded',
          'submitted',
          'reviewStarted',
          'informationRequested',
          'metricAdded',
          'submitted',
        ],
      );
      assert.deepEqual(
        again.history.map((e) => e.seq),
        [1, 2, 3, 4, 5, 6, 7],
      );
    });

    it('approves up to the claimed amount, refuses more and a different currency', () => {
      const c = underReview();
      const partial = approve(c, reviewer, money(100000, 'USD'), 'Partly eligible', AFTER_ACTIVITY);
      assert.equal(partial.status, 'approved');
      assert.deepEqual(partial.approvedAmount, money(100000, 'USD'));
      assert.equal(partial.decisionNote, 'Partly eligible');
      assert.equal(approve(c, reviewer, c.amount, '', AFTER_ACTIVITY).status, 'approved');

      for (const over of [money(c.amount.minor + 1, 'USD'), money(100, 'EUR')]) {
        assert.deepEqual(
          issuesOf(() => approve(c, reviewer, over, '', AFTER_ACTIVITY)),
          ['approvedAmount:approvedOverClaimed'],
        );
      }
      assert.equal(c.status, 'underReview');
    });

    it('refuses a negative approved amount', () => {
      assert.deepEqual(
        issuesOf(() => approve(underReview(), reviewer, money(-100, 'USD'), '', AFTER_ACTIVITY))
          .length,
        1,
      );
    });

    it('does not tell someone who cannot see the claim anything about its amount', () => {
      const c = underReview();
      throwsCode(
        () => approve(c, otherTenantAdmin, money(c.amount.minor + 1, 'USD'), '', AFTER_ACTIVITY),
        'CLAIM_NOT_FOUND',
      );
      throwsCode(
        () => approve(c, noRole, money(c.amount.minor + 1, 'USD'), '', AFTER_ACTIVITY),
        'CLAIM_NOT_FOUND',
      );
    });

    it('reject records the reason and clears any approved amount', () => {
      const approved = approve(underReview(), reviewer, money(5000, 'USD'), '', AFTER_ACTIVITY);
      const disputed = dispute(approved, incentivesAdmin, 'Should be more', [], AFTER_ACTIVITY);
      assert.equal(disputed.status, 'disputed');
      const rejected = reject(disputed, secondReviewer, 'Not eligible', AFTER_ACTIVITY);
      assert.equal(rejected.status, 'rejected');
      assert.equal(rejected.approvedAmount, undefined);
      assert.equal(rejected.decisionNote, 'Not eligible');
      assert.equal(rejected.history[rejected.history.length - 1].kind, 'rejected');
    });

    it('a reviewer cannot review their own claim', () => {
      const both = actor('u-both', ['incentivesUser', 'reviewer']);
      const mine = doSubmit(readyClaim(both), both);
      throwsCode(() => startReview(mine, both, AFTER_ACTIVITY), 'HAD_A_HAND');
      const reviewed = startReview(mine, reviewer, AFTER_ACTIVITY);
      throwsCode(() => approve(reviewed, both, money(1, 'USD'), '', AFTER_ACTIVITY), 'HAD_A_HAND');
      throwsCode(() => reject(reviewed, both, 'no', AFTER_ACTIVITY), 'HAD_A_HAND');
    });

    it('decisions need a review first; only admins dispute', () => {
      throwsCode(
        () => approve(submitted(), reviewer, money(1, 'USD'), '', AFTER_ACTIVITY),
        'STATUS_FORBIDS',
      );
      throwsCode(() => reject(submitted(), reviewer, 'no', AFTER_ACTIVITY), 'STATUS_FORBIDS');
      const approved = approve(underReview(), reviewer, money(1, 'USD'), '', AFTER_ACTIVITY);
      throwsCode(() => dispute(approved, owner, 'why', [], AFTER_ACTIVITY), 'NOT_ALLOWED');
      throwsCode(() => dispute(approved, reviewer, 'why', [], AFTER_ACTIVITY), 'NOT_ALLOWED');
      throwsCode(
        () => dispute(underReview(), incentivesAdmin, 'why', [], AFTER_ACTIVITY),
        'STATUS_FORBIDS',
      );
    });

    it('a contributor loses access once the claim is decided', () => {
      const c = underReview();
      assert.equal(canView(contributor, c), true);
      assert.doesNotThrow(() => addComment(c, contributor, 'uploaded', AFTER_ACTIVITY));
      for (const decided of [
        approve(c, reviewer, money(1, 'USD'), '', AFTER_ACTIVITY),
        reject(c, reviewer, 'no', AFTER_ACTIVITY),
      ]) {
        assert.equal(canView(contributor, decided), false, decided.status);
        throwsCode(
          () => addComment(decided, contributor, 'hello?', AFTER_ACTIVITY),
          'CLAIM_NOT_FOUND',
        );
        assert.equal(canView(owner, decided), true, 'the owner keeps access');
      }
    });
  });
});
