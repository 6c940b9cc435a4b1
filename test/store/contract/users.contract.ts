import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { AppError } from '../../../src/domain/errors';
import type { Role } from '../../../src/domain/roles';
import type { RoleChange, UserRepository } from '../../../src/store/users';

const newTenant = (): string => `tenant-${randomUUID()}`;
const ADMIN = 'u-admin';
let clock = 0;
const change = (kind: 'grant' | 'revoke', role: Role): RoleChange => ({
  role,
  change: kind,
  by: ADMIN,
  at: new Date(Date.UTC(2026, 0, 1, 0, 0, clock++)).toISOString(),
});

/** What every UserRepository does; `make` gives the implementation under test. */
export function userRepositoryContract(make: () => UserRepository): void {
  describe('UserRepository contract', () => {
    let repo: UserRepository;
    before(() => {
      repo = make();
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

    it('keeps the known name and Teams id when a change comes without them', async () => {
      const t = newTenant();
      const cy = { id: 'u-cy', name: 'Cy', channelUserId: '29:cy' };
      await repo.changeRole(t, cy, change('grant', 'reviewer'));
      const saved = await repo.changeRole(
        t,
        { id: 'u-cy', name: '' },
        change('grant', 'incentivesUser'),
      );
      assert.equal(saved.name, 'Cy');
      assert.equal(saved.channelUserId, '29:cy');
      assert.equal((await repo.get(t, 'u-cy'))?.channelUserId, '29:cy');
    });

    it('keeps the latest 100 role changes', async () => {
      const t = newTenant();
      const user = { id: 'u-busy', name: 'Busy' };
      const changes = Array.from({ length: 102 }, (_, i) =>
        change(i % 2 ? 'revoke' : 'grant', 'reviewer'),
      );
      for (const c of changes) await repo.changeRole(t, user, c);
      const stored = await repo.get(t, 'u-busy');
      assert.deepEqual(stored?.changes, changes.slice(2));
      assert.deepEqual(stored?.roles, []);
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

    describe('the last global admin', () => {
      const keep = { keepOneGlobalAdmin: true };
      const isLast = (e: unknown): boolean =>
        e instanceof AppError && e.code === 'LAST_GLOBAL_ADMIN';

      it('is kept: revoking them is refused and changes nothing', async () => {
        const t = newTenant();
        const ga = { id: 'u-ga', name: 'Ga' };
        await repo.changeRole(t, ga, change('grant', 'globalAdmin'));
        await assert.rejects(repo.changeRole(t, ga, change('revoke', 'globalAdmin'), keep), isLast);
        const stored = await repo.get(t, 'u-ga');
        assert.deepEqual(stored?.roles, ['globalAdmin']);
        assert.equal(stored?.changes.length, 1);
      });

      it('may go while another stays, in this tenant', async () => {
        const t = newTenant();
        const elsewhere = newTenant();
        const [one, two] = [
          { id: 'u-one', name: 'One' },
          { id: 'u-two', name: 'Two' },
        ];
        await repo.changeRole(elsewhere, two, change('grant', 'globalAdmin'));
        await repo.changeRole(t, one, change('grant', 'globalAdmin'));
        await repo.changeRole(t, two, change('grant', 'globalAdmin'));
        const revoked = await repo.changeRole(t, one, change('revoke', 'globalAdmin'), keep);
        assert.deepEqual(revoked.roles, []);
        await assert.rejects(
          repo.changeRole(t, two, change('revoke', 'globalAdmin'), keep),
          isLast,
        );
        assert.deepEqual(
          (await repo.withRole(t, 'globalAdmin')).map((u) => u.id),
          ['u-two'],
        );
      });

      it('two revoking each other at once: one of them stays', async () => {
        const t = newTenant();
        const pair = [
          { id: 'u-a', name: 'A' },
          { id: 'u-b', name: 'B' },
        ];
        for (const u of pair) await repo.changeRole(t, u, change('grant', 'globalAdmin'));
        const outcomes = await Promise.allSettled(
          pair.map((u) => repo.changeRole(t, u, change('revoke', 'globalAdmin'), keep)),
        );
        assert.deepEqual(outcomes.map((o) => o.status).sort(), ['fulfilled', 'rejected']);
        assert.equal((await repo.withRole(t, 'globalAdmin')).length, 1);
      });

      it('without the option, the last one may be revoked (a configured admin remains)', async () => {
        const t = newTenant();
        const ga = { id: 'u-only', name: 'Only' };
        await repo.changeRole(t, ga, change('grant', 'globalAdmin'));
        assert.deepEqual((await repo.changeRole(t, ga, change('revoke', 'globalAdmin'))).roles, []);
      });
    });
  });
}
