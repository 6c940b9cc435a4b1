import assert from 'node:assert/strict';
import { AppError } from '../../src/domain/errors';
import {
  Claim,
  addDocument,
  createClaim,
  duplicateFlags,
  invoiceKeys,
  markNotDuplicate,
} from '../../src/domain/claim';
import { recordReading } from '../../src/domain/documentReading';
import { money } from '../../src/domain/money';
import type { Actor, Role } from '../../src/domain/roles';

const NOW = '2026-03-01T09:00:00.000Z';
const actor = (userId: string, roles: Role[]): Actor => ({
  tenantId: 't1',
  userId,
  name: userId,
  roles: new Set(roles),
});
const owner = actor('olga', ['incentivesUser']);
const rita = actor('rita', ['reviewer']);

function claimWithInvoice(): Claim {
  const claim = createClaim({
    actor: owner,
    seq: 7,
    formId: 'f-7',
    fund: { id: 'fund-1', currency: 'EUR' },
    info: {
      title: 'Webinar',
      activityType: 'webinar',
      activityStart: '2026-02-01',
      activityEnd: '2026-02-02',
      amount: money(181_500, 'EUR'),
      description: '',
      additionalInfo: '',
    },
    now: NOW,
  });
  const withDoc = addDocument(
    claim,
    owner,
    {
      id: 'd1',
      type: 'invoice',
      fileName: 'contoso.pdf',
      blobName: 'b/contoso.pdf',
      size: 10,
      contentType: 'application/pdf',
      sha256: 'a'.repeat(64),
      explanation: '',
    },
    NOW,
  );
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
      [`f.${'a'.repeat(64)}`, 'n.20260042.EUR.181500'],
    );
  });

  it('a claim flagged for the same file is not flagged again for its number; others are', () => {
    const claim = claimWithInvoice();
    const flags = duplicateFlags(
      claim,
      [
        { key: `f.${'a'.repeat(64)}`, number: 'CLM-0001' },
        { key: 'n.20260042.EUR.181500', number: 'CLM-0001' },
        { key: 'n.20260042.EUR.181500', number: 'CLM-0002' },
        { key: 'n.20260042.EUR.181500', number: claim.number },
      ],
      (n) => n === 'CLM-0001',
    );
    assert.deepEqual(flags, [
      { key: `f.${'a'.repeat(64)}`, named: ['CLM-0001'], unnamed: 0 },
      { key: 'n.20260042.EUR.181500', named: [], unnamed: 1 },
    ]);
  });

  it('only a reviewer without a hand marks a key of the claim checked, once', () => {
    const submitted: Claim = { ...claimWithInvoice(), status: 'submitted' };
    assert.throws(
      () => markNotDuplicate(submitted, owner, `f.${'a'.repeat(64)}`, NOW),
      (e: unknown) => e instanceof AppError && e.code === 'NOT_ALLOWED',
    );
    assert.throws(
      () => markNotDuplicate(submitted, rita, 'f.unknown', NOW),
      (e: unknown) => e instanceof AppError && e.code === 'INVALID_INPUT',
    );
    const checked = markNotDuplicate(submitted, rita, `f.${'a'.repeat(64)}`, NOW);
    assert.equal(checked.history.at(-1)?.kind, 'duplicateChecked');
    assert.equal(markNotDuplicate(checked, rita, `f.${'a'.repeat(64)}`, NOW), checked);
  });
});
