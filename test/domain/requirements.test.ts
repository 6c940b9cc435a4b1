import assert from 'node:assert/strict';
import {
  Claim,
  ClaimDocument,
  SUBMIT_WITHIN_DAYS as SUBMISSION_WINDOW_DAYS,
  createClaim,
  person,
} from '../../src/domain/claim';
import { Money, money } from '../../src/domain/money';
import { UnmetRequirement, unmetRequirements } from '../../src/domain/requirements';
import { Actor } from '../../src/domain/roles';

const owner: Actor = {
  tenantId: 'tenant-a',
  userId: 'u-owner',
  name: 'Olivia Owner',
  roles: new Set(['incentivesUser']),
};

const END = '2026-03-10';
const TODAY = '2026-03-20';
const REMAINING: Money = money(500000, 'EUR');

function doc(type: ClaimDocument['type'], fileName: string, explanation = 'why'): ClaimDocument {
  return {
    id: `d-${fileName}`,
    type,
    fileName,
    blobName: `b/${fileName}`,
    size: 10,
    contentType: 'application/pdf',
    sha256: '0'.repeat(64),
    explanation,
    uploadedBy: person(owner),
    uploadedAt: '2026-03-11T00:00:00.000Z',
    feedback: [],
  };
}

/** A claim meeting every requirement on TODAY; each test breaks exactly what it checks. */
function complete(changes: Partial<Claim> = {}): Claim {
  const claim = createClaim({
    actor: owner,
    seq: 1,
    formId: 'f',
    fund: { id: 'fund', currency: 'EUR' },
    info: {
      title: 'Event',
      activityType: 'event',
      activityStart: '2026-03-01',
      activityEnd: END,
      amount: money(100000, 'EUR'),
      description: '',
      additionalInfo: '',
    },
    now: '2026-03-01T00:00:00.000Z',
  });
  return {
    ...claim,
    documents: [doc('invoice', 'invoice.pdf'), doc('poe', 'photo.jpg')],
    metrics: [{ id: 'm1', name: 'Attendees', value: 40 }],
    ...changes,
  };
}

const codes = (unmet: UnmetRequirement[]): string[] => unmet.map((u) => u.code);

describe('domain/requirements', () => {
  it('a complete claim has nothing unmet', () => {
    assert.deepEqual(unmetRequirements(complete(), REMAINING, TODAY), []);
  });

  describe('Invoice or CSR', () => {
    it('is unmet without either', () => {
      const claim = complete({ documents: [doc('poe', 'photo.jpg'), doc('other', 'misc.pdf')] });
      assert.deepEqual(codes(unmetRequirements(claim, REMAINING, TODAY)), ['invoiceOrCsr']);
    });

    it('a CSR instead of an invoice is enough', () => {
      const claim = complete({ documents: [doc('csr', 'csr.pdf'), doc('poe', 'photo.jpg')] });
      assert.deepEqual(unmetRequirements(claim, REMAINING, TODAY), []);
    });
  });

  it('Proof of execution is unmet without a PoE document', () => {
    const claim = complete({ documents: [doc('invoice', 'a.pdf'), doc('csr', 'b.pdf')] });
    assert.deepEqual(codes(unmetRequirements(claim, REMAINING, TODAY)), ['proofOfExecution']);
  });

  it('an explanation is required on every document, each named', () => {
    const claim = complete({
      documents: [
        doc('invoice', 'invoice.pdf', ''),
        doc('poe', 'photo.jpg', 'Stand at the event'),
        doc('poe', 'badge.jpg', ' \n\t '),
        doc('other', 'misc.pdf', ''),
      ],
    });
    assert.deepEqual(unmetRequirements(claim, REMAINING, TODAY), [
      { code: 'explanation', document: 'invoice.pdf' },
      { code: 'explanation', document: 'badge.jpg' },
      { code: 'explanation', document: 'misc.pdf' },
    ]);
  });

  it('at least one metric', () => {
    const claim = complete({ metrics: [] });
    assert.deepEqual(codes(unmetRequirements(claim, REMAINING, TODAY)), ['metric']);
  });

  describe('amount', () => {
    it('must be more than zero', () => {
      const claim = complete({ amount: money(0, 'EUR') });
      assert.deepEqual(codes(unmetRequirements(claim, REMAINING, TODAY)), ['amountPositive']);
    });

    it('may equal what the fund has left', () => {
      const claim = complete({ amount: REMAINING });
      assert.deepEqual(unmetRequirements(claim, REMAINING, TODAY), []);
    });

    it('may not exceed it by one cent, and says how much is left', () => {
      const claim = complete({ amount: money(REMAINING.minor + 1, 'EUR') });
      assert.deepEqual(unmetRequirements(claim, REMAINING, TODAY), [
        { code: 'amountWithinRemaining', remaining: REMAINING },
      ]);
    });

    it('is unmet when the fund has nothing or less than nothing left', () => {
      for (const remaining of [money(0, 'EUR'), money(-500, 'EUR')]) {
        assert.deepEqual(codes(unmetRequirements(complete(), remaining, TODAY)), [
          'amountWithinRemaining',
        ]);
      }
    });
  });

  describe('activity ended', () => {
    it('is met the day after the activity ends', () => {
      assert.deepEqual(unmetRequirements(complete(), REMAINING, '2026-03-11'), []);
    });

    it('is unmet on the last day of the activity and before', () => {
      for (const today of [END, '2026-03-09', '2026-02-01']) {
        assert.deepEqual(unmetRequirements(complete(), REMAINING, today), [
          { code: 'activityEnded', end: END },
        ]);
      }
    });
  });

  describe('submission window', () => {
    it(`is ${SUBMISSION_WINDOW_DAYS} days`, () => {
      assert.equal(SUBMISSION_WINDOW_DAYS, 45);
    });

    it('is met on day 45 after the end', () => {
      assert.deepEqual(unmetRequirements(complete(), REMAINING, '2026-04-24'), []);
    });

    it('is unmet on day 46, naming the deadline', () => {
      for (const today of ['2026-04-25', '2027-01-01']) {
        assert.deepEqual(unmetRequirements(complete(), REMAINING, today), [
          { code: 'submissionWindow', deadline: '2026-04-24' },
        ]);
      }
    });

    it('counts across a year end and a leap day', () => {
      const claim = complete({ activityEnd: '2028-01-20' });
      assert.deepEqual(unmetRequirements(claim, REMAINING, '2028-03-05'), []);
      assert.deepEqual(unmetRequirements(claim, REMAINING, '2028-03-06'), [
        { code: 'submissionWindow', deadline: '2028-03-05' },
      ]);
      const december = complete({ activityEnd: '2026-12-20' });
      assert.deepEqual(unmetRequirements(december, REMAINING, '2027-02-03'), []);
      assert.equal(
        codes(unmetRequirements(december, REMAINING, '2027-02-04'))[0],
        'submissionWindow',
      );
    });
  });

  it('lists every unmet requirement of an empty claim, in a stable order', () => {
    const claim = complete({ documents: [], metrics: [], amount: money(0, 'EUR') });
    assert.deepEqual(codes(unmetRequirements(claim, REMAINING, END)), [
      'invoiceOrCsr',
      'proofOfExecution',
      'metric',
      'amountPositive',
      'activityEnded',
    ]);
  });
});
