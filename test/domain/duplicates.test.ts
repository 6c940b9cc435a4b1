import assert from 'node:assert/strict';
import {
  Claim,
  addDocument,
  duplicateFlags,
  invoiceKeys,
  markNotDuplicate,
} from '../../src/domain/claim';
import { recordReading } from '../../src/domain/documentReading';
import { money } from '../../src/domain/money';
import { T1, newClaim, owner, reviewer, throwsCode, uploaded, withStatus } from './claimFixtures';

const FILE = `f.${'a'.repeat(64)}`;
const NUMBER = 'n.20260042.EUR.181500';

/** A claim with one invoice, its number and total read. */
function claimWithInvoice(): Claim {
  const withDoc = addDocument(newClaim(), owner, { ...uploaded('contoso.pdf'), id: 'd1' }, T1);
  return recordReading(withDoc, 'd1', {
    status: 'read',
    total: money(181_500, 'EUR'),
    line: 'Totaal incl. btw EUR 1.815,00',
    number: '2026-0042',
    method: 'text',
    pages: 1,
    ms: 1,
  });
}

describe('domain: duplicate invoices (issue 32)', () => {
  it('an invoice has a file key and, once read, a number-and-total key', () => {
    assert.deepEqual(
      invoiceKeys(claimWithInvoice()).map((k) => k.key),
      [FILE, NUMBER],
    );
  });

  it('a claim flagged for the same file is not flagged again for its number; others are', () => {
    const claim = claimWithInvoice();
    const flags = duplicateFlags(
      claim,
      [
        { key: NUMBER, number: 'CLM-0001' },
        { key: FILE, number: 'CLM-0001' },
        { key: NUMBER, number: 'CLM-0002' },
        { key: NUMBER, number: claim.number },
      ],
      (n) => n === 'CLM-0001',
    );
    assert.deepEqual(flags, [
      { key: FILE, named: ['CLM-0001'], unnamed: 0 },
      { key: NUMBER, named: [], unnamed: 1 },
    ]);
  });

  it('only a reviewer without a hand marks a key of the claim checked, once', () => {
    const submitted = withStatus(claimWithInvoice(), 'submitted');
    throwsCode(() => markNotDuplicate(submitted, owner, FILE, T1), 'NOT_ALLOWED');
    throwsCode(() => markNotDuplicate(submitted, reviewer, 'f.unknown', T1), 'INVALID_INPUT');
    const checked = markNotDuplicate(submitted, reviewer, FILE, T1);
    assert.equal(checked.history.at(-1)?.kind, 'duplicateChecked');
    assert.equal(markNotDuplicate(checked, reviewer, FILE, T1), checked);
  });
});
