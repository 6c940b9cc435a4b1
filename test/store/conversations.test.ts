import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { CosmosConversationRepository, PersonalConversation } from '../../src/store/conversations';
import { CosmosDb, openCosmos } from '../../src/store/cosmos';
import { testConfig } from '../support/stack';

const newTenant = (): string => `tenant-${randomUUID()}`;

const entry = (
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

describe('store/conversations on the Cosmos emulator', function () {
  this.timeout(20_000);

  let db: CosmosDb;
  let repo: CosmosConversationRepository;

  before(async function () {
    this.timeout(60_000);
    const config = await testConfig();
    assert.ok(config.cosmos);
    db = await openCosmos(config.cosmos);
    repo = new CosmosConversationRepository(db);
  });

  after(async () => {
    if (!db) return;
    await db.database.delete();
    db.close();
  });

  /** Overwrites the stored document behind the repository's back. */
  async function tamper(tenantId: string, userId: string): Promise<void> {
    const item = db.container('conversations').item(userId, tenantId);
    const { resource } = await item.read<PersonalConversation>();
    assert.ok(resource);
    await item.replace({ ...resource, reference: { tampered: true } });
  }

  it('saves a reference and gets it back', async () => {
    const t = newTenant();
    const e = { ...entry(t, 'u-1'), locale: 'nl-NL' };
    assert.equal(await repo.save(e), true);
    assert.deepEqual(await repo.get(t, 'u-1'), e);
  });

  it('an unknown user, or another tenant, has no conversation', async () => {
    const t = newTenant();
    await repo.save(entry(t, 'u-1'));
    assert.equal(await repo.get(t, 'u-2'), undefined);
    assert.equal(await repo.get(newTenant(), 'u-1'), undefined);
  });

  it('saving the same reference again writes nothing', async () => {
    const t = newTenant();
    assert.equal(await repo.save(entry(t, 'u-1')), true);
    await tamper(t, 'u-1');
    assert.equal(await repo.save(entry(t, 'u-1', 'a:1', '2026-03-02T00:00:00.000Z')), false);
    assert.deepEqual((await repo.get(t, 'u-1'))?.reference, { tampered: true });
  });

  it('a changed reference is written', async () => {
    const t = newTenant();
    await repo.save(entry(t, 'u-1'));
    await tamper(t, 'u-1');
    const moved = entry(t, 'u-1', 'a:2');
    assert.equal(await repo.save(moved), true);
    assert.deepEqual(await repo.get(t, 'u-1'), moved);
  });

  it('a changed language is written', async () => {
    const t = newTenant();
    await repo.save({ ...entry(t, 'u-1'), locale: 'en-US' });
    await tamper(t, 'u-1');
    assert.equal(await repo.save({ ...entry(t, 'u-1'), locale: 'nl-NL' }), true);
    assert.equal((await repo.get(t, 'u-1'))?.locale, 'nl-NL');
  });

  it('the same user id in another tenant is saved separately', async () => {
    const a = newTenant();
    const b = newTenant();
    await repo.save(entry(a, 'u-1', 'a:in-a'));
    await repo.save(entry(b, 'u-1', 'a:in-a'));
    assert.equal((await repo.get(a, 'u-1'))?.tenantId, a);
    assert.equal((await repo.get(b, 'u-1'))?.tenantId, b);
  });

  it('a fresh process (a new repository) writes the reference once again', async () => {
    const t = newTenant();
    await repo.save(entry(t, 'u-1'));
    await tamper(t, 'u-1');
    const restarted = new CosmosConversationRepository(db);
    await restarted.save(entry(t, 'u-1'));
    assert.deepEqual(await repo.get(t, 'u-1'), entry(t, 'u-1'));
  });
});
