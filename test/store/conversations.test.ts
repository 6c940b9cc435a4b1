import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { CosmosConversationRepository, PersonalConversation } from '../../src/store/conversations';
import type { CosmosDb } from '../../src/store/cosmos';
import { dropTestDatabase, openTestDatabase } from '../support/stack';
import {
  conversationEntry as entry,
  conversationRepositoryContract,
} from './contract/conversations.contract';

const newTenant = (): string => `tenant-${randomUUID()}`;

describe('store/conversations on the Cosmos emulator', function () {
  this.timeout(20_000);

  let db: CosmosDb;
  let repo: CosmosConversationRepository;

  before(async function () {
    this.timeout(60_000);
    db = await openTestDatabase();
    repo = new CosmosConversationRepository(db);
  });

  after(() => dropTestDatabase(db));

  conversationRepositoryContract(() => new CosmosConversationRepository(db));

  /** Overwrites the stored document behind the repository's back. */
  async function tamper(tenantId: string, userId: string): Promise<void> {
    const item = db.container('conversations').item(userId, tenantId);
    const { resource } = await item.read<PersonalConversation>();
    assert.ok(resource);
    await item.replace({ ...resource, reference: { tampered: true } });
  }

  it('saving the same reference again writes nothing while it is stored so', async () => {
    const t = newTenant();
    assert.equal(await repo.save(entry(t, 'u-1')), true);
    const etag = async () => (await db.container('conversations').item('u-1', t).read()).etag;
    const before = await etag();
    assert.equal(await repo.save(entry(t, 'u-1', 'a:1', '2026-03-02T00:00:00.000Z')), false);
    assert.equal(await etag(), before, 'not written again');
  });

  it('a reference another instance replaced in between is written again (issue 23)', async () => {
    const t = newTenant();
    assert.equal(await repo.save(entry(t, 'u-1')), true);
    await tamper(t, 'u-1');
    assert.equal(await repo.save(entry(t, 'u-1', 'a:1', '2026-03-02T00:00:00.000Z')), true);
    assert.deepEqual((await repo.get(t, 'u-1'))?.reference, entry(t, 'u-1').reference);
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
