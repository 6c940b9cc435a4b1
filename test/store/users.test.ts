import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Role } from '../../src/domain/roles';
import { CosmosDb, openCosmos } from '../../src/store/cosmos';
import { CosmosUserRepository, RoleChange } from '../../src/store/users';
import { testConfig } from '../support/stack';

const newTenant = (): string => `tenant-${randomUUID()}`;
const ADMIN = 'u-admin';
let clock = 0;
const change = (kind: 'grant' | 'revoke', role: Role): RoleChange => ({
  role,
  change: kind,
  by: ADMIN,
  at: new Date(Date.UTC(2026, 0, 1, 0, 0, clock++)).toISOString(),
});

describe('store/users on the Cosmos emulator', function () {
  this.timeout(20_000);

  let db: CosmosDb;
  let repo: CosmosUserRepository;

  before(async function () {
    this.timeout(60_000);
    const config = await testConfig();
    assert.ok(config.cosmos);
    db = await openCosmos(config.cosmos);
    repo = new CosmosUserRepository(db);
  });

  after(async () => {
    if (!db) return;
    await db.database.delete();
    db.close();
  });

  it('an unknown user is undefined', async () => {
    assert.equal(await repo.get(newTenant(), 'u-nobody'), undefined);
  });

  it('grant, grant, revoke: roles follow and every change is audited in order', async () => {
    const t = newTenant();
    const user = { id: 'u-ann', name: 'Ann' };
    const c1 = change('grant', 'incentivesUser');
    const c2 = change('grant', 'reviewer');
    const c3 = change('revoke', 'incentivesUser');

    const afterFirst = await repo.changeRole(t, user, c1);
    assert.deepEqual(afterFirst.roles, ['incentivesUser']);
    assert.equal(afterFirst.name, 'Ann');
    assert.equal(afterFirst.tenantId, t);

    assert.deepEqual((await repo.changeRole(t, user, c2)).roles, ['incentivesUser', 'reviewer']);
    const saved = await repo.changeRole(t, user, c3);
    assert.deepEqual(saved.roles, ['reviewer']);

    const stored = await repo.get(t, 'u-ann');
    assert.ok(stored);
    assert.deepEqual(stored.roles, ['reviewer']);
    assert.deepEqual(stored.changes, [c1, c2, c3]);
    assert.equal('_etag' in stored, false);
  });

  it('granting a role twice keeps it once; revoking a role never held changes no roles', async () => {
    const t = newTenant();
    const user = { id: 'u-bob', name: 'Bob' };
    await repo.changeRole(t, user, change('grant', 'reviewer'));
    await repo.changeRole(t, user, change('grant', 'reviewer'));
    const saved = await repo.changeRole(t, user, change('revoke', 'globalAdmin'));
    assert.deepEqual(saved.roles, ['reviewer']);
    assert.equal(saved.changes.length, 3);
  });

  it('keeps the known name when a change comes without one', async () => {
    const t = newTenant();
    await repo.changeRole(t, { id: 'u-cy', name: 'Cy' }, change('grant', 'reviewer'));
    const saved = await repo.changeRole(
      t,
      { id: 'u-cy', name: '' },
      change('grant', 'incentivesUser'),
    );
    assert.equal(saved.name, 'Cy');
  });

  it('concurrent role changes of one user are all kept', async () => {
    const t = newTenant();
    const user = { id: 'u-dee', name: 'Dee' };
    const roles: Role[] = ['globalAdmin', 'incentivesAdmin', 'incentivesUser', 'reviewer'];
    await Promise.all(roles.map((r) => repo.changeRole(t, user, change('grant', r))));
    const stored = await repo.get(t, 'u-dee');
    assert.deepEqual(stored?.roles, [...roles].sort());
    assert.equal(stored?.changes.length, 4);
  });

  it('withRole lists the users holding a role, in this tenant only', async () => {
    const t = newTenant();
    const other = newTenant();
    await repo.changeRole(t, { id: 'u-r1', name: 'R1' }, change('grant', 'reviewer'));
    await repo.changeRole(t, { id: 'u-r2', name: 'R2' }, change('grant', 'reviewer'));
    await repo.changeRole(t, { id: 'u-r2', name: 'R2' }, change('grant', 'incentivesUser'));
    await repo.changeRole(t, { id: 'u-gone', name: 'Gone' }, change('grant', 'reviewer'));
    await repo.changeRole(t, { id: 'u-gone', name: 'Gone' }, change('revoke', 'reviewer'));
    await repo.changeRole(t, { id: 'u-user', name: 'User' }, change('grant', 'incentivesUser'));
    await repo.changeRole(other, { id: 'u-r3', name: 'R3' }, change('grant', 'reviewer'));

    const reviewers = await repo.withRole(t, 'reviewer');
    assert.deepEqual(reviewers.map((u) => u.id).sort(), ['u-r1', 'u-r2']);
    for (const u of reviewers) assert.equal(u.tenantId, t);
    assert.deepEqual((await repo.withRole(t, 'incentivesUser')).map((u) => u.id).sort(), [
      'u-r2',
      'u-user',
    ]);
    assert.deepEqual(await repo.withRole(t, 'globalAdmin'), []);
    assert.deepEqual(
      (await repo.withRole(other, 'reviewer')).map((u) => u.id),
      ['u-r3'],
    );
  });

  it('the same user id in two tenants has separate roles', async () => {
    const a = newTenant();
    const b = newTenant();
    await repo.changeRole(a, { id: 'u-same', name: 'Same' }, change('grant', 'globalAdmin'));
    await repo.changeRole(b, { id: 'u-same', name: 'Same' }, change('grant', 'reviewer'));
    assert.deepEqual((await repo.get(a, 'u-same'))?.roles, ['globalAdmin']);
    assert.deepEqual((await repo.get(b, 'u-same'))?.roles, ['reviewer']);
  });
});
