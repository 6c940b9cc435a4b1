import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type {
  ConversationRepository,
  PersonalConversation,
} from '../../../src/store/conversations';

const newTenant = (): string => `tenant-${randomUUID()}`;

export const conversationEntry = (
  tenantId: string,
  userId: string,
  conversationId = 'a:1',
  updatedAt = '2026-03-01T00:00:00.000Z',
): PersonalConversation => ({
  id: userId,
  tenantId,
  conversationId,
  reference: {
    conversation: { id: conversationId, conversationType: 'personal', tenantId },
    serviceUrl: 'https://smba.trafficmanager.net/emea/',
    user: { id: `29:${userId}`, aadObjectId: userId },
  },
  updatedAt,
});

/** What every ConversationRepository does; `make` gives the implementation under test. */
export function conversationRepositoryContract(make: () => ConversationRepository): void {
  describe('ConversationRepository contract', () => {
    let repo: ConversationRepository;
    before(() => {
      repo = make();
    });

    it('saves a reference and gets it back', async () => {
      const t = newTenant();
      const e = { ...conversationEntry(t, 'u-1'), locale: 'nl-NL' };
      assert.equal(await repo.save(e), true);
      assert.deepEqual(await repo.get(t, 'u-1'), e);
    });

    it('an unknown user, or another tenant, has no conversation', async () => {
      const t = newTenant();
      await repo.save(conversationEntry(t, 'u-1'));
      assert.equal(await repo.get(t, 'u-2'), undefined);
      assert.equal(await repo.get(newTenant(), 'u-1'), undefined);
    });

    it('saving the same reference again writes nothing (its time stays the first)', async () => {
      const t = newTenant();
      assert.equal(await repo.save(conversationEntry(t, 'u-1')), true);
      assert.equal(
        await repo.save(conversationEntry(t, 'u-1', 'a:1', '2026-03-02T00:00:00.000Z')),
        false,
      );
      assert.deepEqual(await repo.get(t, 'u-1'), conversationEntry(t, 'u-1'));
    });

    it('a changed reference is written', async () => {
      const t = newTenant();
      await repo.save(conversationEntry(t, 'u-1'));
      const moved = conversationEntry(t, 'u-1', 'a:2', '2026-03-02T00:00:00.000Z');
      assert.equal(await repo.save(moved), true);
      assert.deepEqual(await repo.get(t, 'u-1'), moved);
    });

    it('a changed language is written', async () => {
      const t = newTenant();
      await repo.save({ ...conversationEntry(t, 'u-1'), locale: 'en-US' });
      assert.equal(await repo.save({ ...conversationEntry(t, 'u-1'), locale: 'nl-NL' }), true);
      assert.equal((await repo.get(t, 'u-1'))?.locale, 'nl-NL');
    });

    it('forget drops the reference of that chat only; saving it again is new', async () => {
      const t = newTenant();
      await repo.save(conversationEntry(t, 'u-1', 'a:old'));
      await repo.forget(t, 'u-1', 'a:other');
      assert.equal((await repo.get(t, 'u-1'))?.conversationId, 'a:old', 'another chat: kept');
      await repo.forget(t, 'u-1', 'a:old');
      assert.equal(await repo.get(t, 'u-1'), undefined);
      assert.equal(await repo.save(conversationEntry(t, 'u-1', 'a:old')), true);
      await repo.forget(t, 'u-2', 'a:old');
    });

    it('the same user id in another tenant is saved separately', async () => {
      const a = newTenant();
      const b = newTenant();
      await repo.save(conversationEntry(a, 'u-1', 'a:in-a'));
      await repo.save(conversationEntry(b, 'u-1', 'a:in-a'));
      assert.equal((await repo.get(a, 'u-1'))?.tenantId, a);
      assert.equal((await repo.get(b, 'u-1'))?.tenantId, b);
    });
  });
}
