import assert from 'node:assert/strict';
import { AppError } from '../../src/domain/errors';
import {
  CLAIM_STATUSES,
  ClaimStatus,
  ClaimTransition,
  EDITABLE_STATUSES,
  TRANSITIONS,
  canTransition,
  isEditable,
  transition,
} from '../../src/domain/status';

/** product.md, "Status", written out independently of the table under test. */
const ALLOWED: readonly [ClaimStatus, ClaimTransition, ClaimStatus][] = [
  ['editing', 'submit', 'submitted'],
  ['actionRequired', 'submit', 'submitted'],
  ['submitted', 'startReview', 'underReview'],
  ['underReview', 'approve', 'approved'],
  ['underReview', 'reject', 'rejected'],
  ['underReview', 'requestInformation', 'actionRequired'],
  ['approved', 'dispute', 'disputed'],
  ['rejected', 'dispute', 'disputed'],
  ['disputed', 'approve', 'approved'],
  ['disputed', 'reject', 'rejected'],
  ['disputed', 'requestInformation', 'actionRequired'],
  ['approved', 'recordPayment', 'paid'],
];

const ALL_TRANSITIONS: readonly ClaimTransition[] = [
  'submit',
  'startReview',
  'approve',
  'reject',
  'requestInformation',
  'dispute',
  'recordPayment',
];

function forbids(from: ClaimStatus, t: ClaimTransition): void {
  assert.throws(
    () => transition(from, t),
    (e: unknown) => {
      assert.ok(e instanceof AppError);
      assert.equal(e.code, 'STATUS_FORBIDS');
      assert.deepEqual(e.params, { status: from, action: t });
      return true;
    },
  );
}

describe('domain/status', () => {
  it('the table names exactly the transitions of the product', () => {
    assert.deepEqual(Object.keys(TRANSITIONS).sort(), [...ALL_TRANSITIONS].sort());
    const fromTable = Object.entries(TRANSITIONS).flatMap(([t, { from, to }]) =>
      from.map((f) => `${f} -${t}-> ${to}`),
    );
    assert.deepEqual(fromTable.sort(), ALLOWED.map(([f, t, to]) => `${f} -${t}-> ${to}`).sort());
  });

  describe('allowed transitions', () => {
    for (const [from, t, to] of ALLOWED) {
      it(`${from} --${t}--> ${to}`, () => {
        assert.equal(canTransition(from, t), true);
        assert.equal(transition(from, t), to);
      });
    }
  });

  describe('every other (status, transition) pair is refused with STATUS_FORBIDS', () => {
    for (const from of CLAIM_STATUSES) {
      for (const t of ALL_TRANSITIONS) {
        if (ALLOWED.some(([f, tt]) => f === from && tt === t)) continue;
        it(`${from} cannot ${t}`, () => {
          assert.equal(canTransition(from, t), false);
          forbids(from, t);
        });
      }
    }
  });

  it('counts 8 statuses × 7 transitions = 12 allowed + 44 refused', () => {
    let refused = 0;
    for (const s of CLAIM_STATUSES)
      for (const t of ALL_TRANSITIONS) if (!canTransition(s, t)) refused++;
    assert.equal(CLAIM_STATUSES.length, 8);
    assert.equal(refused, 44);
  });

  describe('editable statuses', () => {
    it('only Editing and Action required are editable', () => {
      assert.deepEqual([...EDITABLE_STATUSES].sort(), ['actionRequired', 'editing']);
      for (const s of CLAIM_STATUSES) {
        assert.equal(isEditable(s), s === 'editing' || s === 'actionRequired', s);
      }
    });
  });
});
