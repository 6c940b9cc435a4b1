import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import {
  Claim,
  HISTORY_MOST,
  HistoryEvent,
  addComment,
  createClaim,
  splitHistory,
} from '../../src/domain/claim';
import { AppError } from '../../src/domain/errors';
import { hadAHand } from '../../src/domain/fourEyes';
import { money } from '../../src/domain/money';
import type { Actor } from '../../src/domain/roles';
import { CosmosClaimRepository } from '../../src/store/claims';
import { compactLongHistories } from '../../src/store/claims/compactHistories';
import { CosmosDb, openCosmos, readDoc, writeDoc } from '../../src/store/cosmos';
import { dropTestDatabase, openTestDatabase, testConfig } from '../support/stack';

/** The claim document stays this small whatever its history (issue 16). */
const MAX_DOC_BYTES = 64 * 1024;
const NOW = '2026-03-01T09:00:00.000Z';

const actor = (tenantId: string, userId = 'owner-1'): Actor => ({
  tenantId,
  userId,
  name: `Name of ${userId}`,
  roles: new Set(['incentivesUser']),
});

const newClaim = (by: Actor) => (seq: number) =>
  createClaim({
    actor: by,
    seq,
    formId: randomUUID(),
    fund: { id: 'fund-1', currency: 'EUR' },
    info: {
      title: 'Growing claim',
      activityType: 'webinar',
      activityStart: '2026-02-01',
      activityEnd: '2026-02-10',
      amount: money(1000_00, 'EUR'),
      description: '',
      additionalInfo: '',
    },
    now: NOW,
  });

/**
 * A writer's update, tried again while it comes back CONFLICT: after MAX_ATTEMPTS lost races the store
 * gives up and asks the user to try again, writing nothing. 120 writers on one document are more than
 * the dozens it is sized for, and on a loaded machine a read-write cycle outlasts the longest pause
 * between attempts, so one writer can lose every race; it tries again as a user would.
 */
async function untilWritten(write: () => Promise<unknown>): Promise<void> {
  for (;;) {
    try {
      await write();
      return;
    } catch (e) {
      if (!(e instanceof AppError && e.code === 'CONFLICT')) throw e;
    }
  }
}

describe('store: claim history outside the claim document (issue 16)', function () {
  this.timeout(120_000);
  let db: CosmosDb;
  let repo: CosmosClaimRepository;

  before(async () => {
    db = await openTestDatabase();
    repo = new CosmosClaimRepository(db);
  });
  after(() => dropTestDatabase(db));

  /** Every event of the claim through historyPage, newest first, a page of `size` at a time. */
  async function wholeHistory(
    tenantId: string,
    number: string,
    size = 25,
  ): Promise<HistoryEvent[]> {
    const claim = (await repo.get(tenantId, number)) as Claim;
    const events: HistoryEvent[] = [];
    let before: number | undefined;
    for (;;) {
      const page = await repo.historyPage(claim, { size, ...(before ? { before } : {}) });
      assert.ok(page.events.length <= size);
      events.push(...page.events);
      if (page.next === undefined) return events;
      before = page.next;
    }
  }

  const docBytes = async (tenantId: string, number: string): Promise<number> => {
    const found = await readDoc<Claim>(db.container('claims'), tenantId, number);
    return Buffer.byteLength(JSON.stringify(found?.doc));
  };

  it('pages through 1,000 comments newest first, each once, and the document stays small', async () => {
    const tenantId = `t-${randomUUID()}`;
    const by = actor(tenantId);
    const { number } = await repo.create(tenantId, randomUUID(), newClaim(by));
    for (let i = 1; i <= 1000; i++) {
      await repo.update(tenantId, number, `c-${i}`, (c) =>
        addComment(c, by, `comment ${i} ${'x'.repeat(200)}`, NOW),
      );
    }
    const events = await wholeHistory(tenantId, number);
    assert.equal(events.length, 1001);
    assert.deepEqual(
      events.map((e) => e.seq),
      Array.from({ length: 1001 }, (_, i) => 1001 - i),
    );
    assert.equal(events[0].note?.startsWith('comment 1000 '), true);
    assert.equal(events.at(-1)?.kind, 'created');
    const stored = (await repo.get(tenantId, number)) as Claim;
    assert.ok(stored.history.length <= HISTORY_MOST, `${stored.history.length} events kept`);
    assert.ok((await docBytes(tenantId, number)) <= MAX_DOC_BYTES);
    // A page in the middle, and the continuation past the events the document keeps.
    const middle = await repo.historyPage(stored, { before: 500, size: 10 });
    assert.deepEqual(
      middle.events.map((e) => e.seq),
      [499, 498, 497, 496, 495, 494, 493, 492, 491, 490],
    );
    assert.equal(middle.next, 490);
  });

  it('change and event commit together: parallel writers on two instances lose and double nothing', async () => {
    const tenantId = `t-${randomUUID()}`;
    const by = actor(tenantId);
    const { number } = await repo.create(tenantId, randomUUID(), newClaim(by));
    const config = await testConfig();
    const otherDb = await openCosmos({ ...config.cosmos!, database: db.database.id });
    const other = new CosmosClaimRepository(otherDb);
    try {
      await Promise.all(
        Array.from({ length: 120 }, (_, i) =>
          untilWritten(() =>
            (i % 2 ? repo : other).update(tenantId, number, `p-${i}`, (c) =>
              addComment(c, by, `parallel ${i}`, NOW),
            ),
          ),
        ),
      );
    } finally {
      otherDb.close();
    }
    const events = await wholeHistory(tenantId, number, 17);
    assert.deepEqual(
      events.map((e) => e.seq),
      Array.from({ length: 121 }, (_, i) => 121 - i),
    );
    const notes = events.filter((e) => e.kind === 'commented').map((e) => e.note);
    assert.equal(new Set(notes).size, 120);
  });

  it('a change whose older events cannot be moved out is not written at all', async () => {
    const tenantId = `t-${randomUUID()}`;
    const by = actor(tenantId);
    const { number } = await repo.create(tenantId, randomUUID(), newClaim(by));
    for (let i = 1; i < HISTORY_MOST; i++) {
      await repo.update(tenantId, number, `c-${i}`, (c) => addComment(c, by, `c ${i}`, NOW));
    }
    const before = (await repo.get(tenantId, number)) as Claim;
    assert.equal(before.history.length, HISTORY_MOST);
    // An instance whose batch writes (the moves) fail: the change that needs a move is refused.
    const claims = db.container('claims');
    const items = new Proxy(claims.items, {
      get: (target, property) =>
        property === 'batch'
          ? () => Promise.reject(Object.assign(new Error('injected'), { code: 503 }))
          : Reflect.get(target, property),
    });
    const failing = new CosmosClaimRepository({
      ...db,
      container: (name) =>
        name === 'claims'
          ? new Proxy(claims, {
              get: (t, p) => (p === 'items' ? items : Reflect.get(t, p)),
            })
          : db.container(name),
    });
    await assert.rejects(
      failing.update(tenantId, number, 'needs-a-move', (c) => addComment(c, by, 'lost?', NOW)),
    );
    const after = (await repo.get(tenantId, number)) as Claim;
    assert.deepEqual(after.history, before.history, 'neither the change nor its event');
    // The same change through a healthy instance moves the old events and is written.
    const saved = await repo.update(tenantId, number, 'needs-a-move', (c) =>
      addComment(c, by, 'kept', NOW),
    );
    assert.equal(saved.history.at(-1)?.note, 'kept');
    assert.equal((await wholeHistory(tenantId, number)).length, HISTORY_MOST + 1);
  });

  it('migrates a claim stored in the older shape (every event in the document)', async () => {
    const tenantId = `t-${randomUUID()}`;
    const by = actor(tenantId);
    const { number } = await repo.create(tenantId, randomUUID(), newClaim(by));
    const container = db.container('claims');
    const found = await readDoc<Claim & { hands?: string[] }>(container, tenantId, number);
    assert.ok(found);
    // 1,500 events as the older app wrote them, one by a colleague who uploaded a document, and
    // no list of hands (claims stored before it was kept).
    const old: HistoryEvent[] = [found.doc.history[0]];
    for (let seq = 2; seq <= 1500; seq++) {
      const colleague = seq === 700;
      old.push({
        seq,
        at: NOW,
        by: colleague
          ? { id: 'colleague-7', name: 'Col League' }
          : { id: by.userId, name: by.name },
        kind: colleague ? 'documentAdded' : 'commented',
        note: `old event ${seq}`,
      });
    }
    const { hands: _hands, ...withoutHands } = found.doc;
    await writeDoc(container, { ...withoutHands, history: old }, found.etag);
    assert.ok((await docBytes(tenantId, number)) > 100 * 1024, 'the old shape is large');
    assert.ok(
      (await repo.withLongHistory()).some((k) => k.number === number && k.tenantId === tenantId),
    );

    assert.ok((await compactLongHistories(repo)) >= 1);
    assert.ok((await docBytes(tenantId, number)) <= MAX_DOC_BYTES);
    const events = await wholeHistory(tenantId, number, 100);
    assert.deepEqual(
      events.map((e) => e.seq),
      Array.from({ length: 1500 }, (_, i) => 1500 - i),
    );
    assert.equal(events.find((e) => e.seq === 700)?.note, 'old event 700');
    const stored = (await repo.get(tenantId, number)) as Claim;
    assert.ok(hadAHand(stored, 'colleague-7'), 'who had a hand is kept from the whole history');
    // Running it again finds nothing to do.
    assert.ok(!(await repo.withLongHistory()).some((k) => k.number === number));
  });

  it('splitHistory keeps between the newest 10 and 20 events', () => {
    const events = (n: number): HistoryEvent[] =>
      Array.from({ length: n }, (_, i) => ({
        seq: i + 1,
        at: NOW,
        by: { id: 'a', name: 'A' },
        kind: 'commented' as const,
      }));
    assert.equal(splitHistory(events(20)).moved.length, 0);
    const split = splitHistory(events(21));
    assert.deepEqual(
      [split.kept.length, split.kept[0].seq, split.moved.length, split.moved.at(-1)?.seq],
      [10, 12, 11, 11],
    );
  });
});
