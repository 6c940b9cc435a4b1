import assert from 'node:assert/strict';
import { Claim, addDocument, removeDocument } from '../../../src/domain/claim';
import { recordReading } from '../../../src/domain/documentReading';
import { FundExhaustedError } from '../../../src/domain/fund';
import { money } from '../../../src/domain/money';
import {
  ClaimStoreUnderTest,
  NOW,
  actor,
  builder,
  claimStoreInTests,
  fundOf,
  invoice,
  newTenant,
} from './claimFixtures';

/**
 * Duplicate invoices (issue 32): the store keeps an index of its claims' invoice keys (file hash,
 * read number and total), so that finding the other claims holding an invoice is no scan.
 */
export function invoiceKeysContract(make: () => ClaimStoreUnderTest): void {
  describe('ClaimRepository contract: duplicate invoices', () => {
    const under = claimStoreInTests(make);

    it('finds another claim of the tenant with the same file or the same number and total, never one of another tenant', async () => {
      const t = newTenant();
      const other = newTenant();
      const make = async (tenantId: string, id: string, sha: string): Promise<Claim> => {
        const owner = actor(tenantId, 'u-1');
        const { number } = await under.repo.create(tenantId, `f-${id}`, builder(owner));
        return under.repo.update(tenantId, number, `add-${id}`, (c) =>
          addDocument(c, owner, invoice(id, sha), NOW),
        );
      };
      const first = await make(t, 'd-1', 'a'.repeat(64));
      const second = await make(t, 'd-2', 'a'.repeat(64));
      const third = await make(t, 'd-3', 'b'.repeat(64));
      await make(other, 'd-4', 'a'.repeat(64));
      assert.deepEqual(await under.repo.duplicatesOf(first), [
        { key: `f.${'a'.repeat(64)}`, number: second.number },
      ]);
      assert.deepEqual(await under.repo.duplicatesOf(third), []);
      // The same number and total, read from two different files.
      const read = (c: Claim, id: string) =>
        under.repo.update(t, c.number, `read-${id}`, (x) =>
          recordReading(x, id, {
            status: 'read',
            total: money(123400, 'EUR'),
            line: 'Total EUR 1,234.00',
            number: 'INV-2026/0042',
            method: 'text',
            pages: 1,
            ms: 1,
          }),
        );
      const thirdRead = await read(third, 'd-3');
      await read(first, 'd-1');
      assert.deepEqual(await under.repo.duplicatesOf(thirdRead), [
        { key: 'n.INV20260042.EUR.123400', number: first.number },
      ]);
    });

    it('removing a document removes its key', async () => {
      const t = newTenant();
      const by = actor(t, 'u-1');
      const made: Claim[] = [];
      for (const id of ['d-1', 'd-2']) {
        const { number } = await under.repo.create(t, `f-${id}`, builder(by));
        made.push(
          await under.repo.update(t, number, `add-${id}`, (c) =>
            addDocument(c, by, invoice(id, 'c'.repeat(64)), NOW),
          ),
        );
      }
      const [first, second] = made as [Claim, Claim];
      assert.equal((await under.repo.duplicatesOf(first)).length, 1);
      await under.repo.update(t, second.number, 'remove', (c) => removeDocument(c, by, 'd-2', NOW));
      assert.deepEqual(await under.repo.duplicatesOf(first), []);
    });

    it('a change refused at the fund gate writes none of its keys; one that is made writes them with the claim', async () => {
      const t = newTenant();
      const by = actor(t, 'u-1');
      // 1,000.00 EUR: a claim of 1,500.00 does not fit.
      await fundOf(under.store.funds, { tenantId: t, id: 'small', allocated: 100000 });
      const [held, refused] = await Promise.all(
        ['held', 'refused'].map((f) => under.repo.create(t, f, builder(by, f, 'small'))),
      );
      const sha = 'e'.repeat(64);
      const withHeld = await under.repo.update(t, held.number, 'add-h', (c) =>
        addDocument(c, by, invoice('d-h', sha), NOW),
      );
      await assert.rejects(
        under.repo.update(t, refused.number, 'add-and-submit', (c) => ({
          ...addDocument(c, by, invoice('d-r', sha), NOW),
          status: 'submitted',
        })),
        (e: unknown) => e instanceof FundExhaustedError,
      );
      assert.deepEqual(await under.repo.duplicatesOf(withHeld), [], 'no key of the refused change');
      const added = await under.repo.update(t, refused.number, 'add-only', (c) =>
        addDocument(c, by, invoice('d-r', sha), NOW),
      );
      assert.deepEqual(await under.repo.duplicatesOf(withHeld), [
        { key: `f.${sha}`, number: added.number },
      ]);
      // Removing a document and submitting, refused: the key stays with the claim that holds it.
      await assert.rejects(
        under.repo.update(t, added.number, 'remove-and-submit', (c) => ({
          ...removeDocument(c, by, 'd-r', NOW),
          status: 'submitted',
        })),
        (e: unknown) => e instanceof FundExhaustedError,
      );
      assert.equal((await under.repo.duplicatesOf(withHeld)).length, 1);
    });
  });
}
