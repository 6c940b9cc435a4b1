import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { PendingUpload, UploadRepository } from '../../../src/store/uploads';

const newTenant = (): string => `tenant-${randomUUID()}`;

const upload = (
  tenantId: string,
  userId: string,
  changes: Partial<PendingUpload> = {},
): PendingUpload => ({
  id: userId,
  tenantId,
  files: [{ name: 'invoice.pdf', downloadUrl: 'https://example.sharepoint.com/invoice.pdf' }],
  createdAt: '2026-03-01T09:00:00.000Z',
  ...changes,
});

/** What every UploadRepository does; `make` gives the implementation under test. */
export function uploadRepositoryContract(make: () => UploadRepository): void {
  describe('UploadRepository contract', () => {
    let repo: UploadRepository;
    before(() => {
      repo = make();
    });

    it('saves an upload under way and gets it back exactly', async () => {
      const t = newTenant();
      const u = upload(t, 'u-1', {
        claim: 'CLM-0001',
        documentType: 'invoice',
        explanation: 'The venue',
      });
      await repo.save(u);
      assert.deepEqual(await repo.get(t, 'u-1'), u);
      assert.equal('_etag' in ((await repo.get(t, 'u-1')) as object), false);
    });

    it('a save replaces what the user chose before', async () => {
      const t = newTenant();
      await repo.save(upload(t, 'u-1', { claim: 'CLM-0001', documentType: 'poe' }));
      const next = upload(t, 'u-1', { claim: 'CLM-0002', files: [] });
      await repo.save(next);
      assert.deepEqual(await repo.get(t, 'u-1'), next);
    });

    it('an unknown user, or another tenant, has no upload under way', async () => {
      const t = newTenant();
      await repo.save(upload(t, 'u-1'));
      assert.equal(await repo.get(t, 'u-2'), undefined);
      assert.equal(await repo.get(newTenant(), 'u-1'), undefined);
    });

    it("clear removes the user's upload only; clearing none is no error", async () => {
      const t = newTenant();
      const other = newTenant();
      await repo.save(upload(t, 'u-1'));
      await repo.save(upload(t, 'u-2'));
      await repo.save(upload(other, 'u-1'));
      await repo.clear(t, 'u-1');
      assert.equal(await repo.get(t, 'u-1'), undefined);
      assert.ok(await repo.get(t, 'u-2'));
      assert.ok(await repo.get(other, 'u-1'));
      await repo.clear(t, 'u-1');
      await repo.clear(newTenant(), 'u-nobody');
    });
  });
}
