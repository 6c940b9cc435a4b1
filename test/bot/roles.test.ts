import assert from 'node:assert/strict';
import type { Role } from '../../src/domain/roles';
import { Chat, TeamsUser, Tenant } from '../support/teams';
import { World, grant, startWorld } from './world';

describe('bot: granting roles', () => {
  let w: World;
  let tenant: Tenant;
  let admin: TeamsUser;
  let alice: TeamsUser;
  let rob: TeamsUser;
  let ian: TeamsUser;
  let xena: TeamsUser;
  let outsider: TeamsUser;
  let group: Chat;

  const rolesOf = async (u: TeamsUser): Promise<readonly Role[]> =>
    (await w.app.services.users.get(u.tenantId, u.aadObjectId))?.roles ?? [];

  before(async () => {
    w = await startWorld();
    tenant = w.teams.tenant('contoso');
    admin = w.teams.user(tenant, 'Ada Admin', { aadObjectId: w.bootstrapAdmins[0] });
    alice = w.teams.user(tenant, 'Alice Baker');
    rob = w.teams.user(tenant, 'Rob Reviewer');
    ian = w.teams.user(tenant, 'Ian Incentives');
    xena = w.teams.user(tenant, 'Xena Xu');
    outsider = w.teams.user(tenant, 'Otto Outside');
    group = w.teams.groupChat(tenant, [admin, alice, rob, ian, xena]);
  });
  after(() => w?.stop());

  it('lets a bootstrap admin grant roles by @mention in a group chat, resolved through the roster', async () => {
    const before = w.connector.requests.length;
    const a = await grant(w, admin, group, alice, 'incentives user');
    assert.match(a.text, /Alice Baker is now Incentives user\./);
    const r = await grant(w, admin, group, rob, 'Reviewer');
    assert.match(r.text, /Rob Reviewer is now Reviewer\./);
    assert.deepEqual(await rolesOf(alice), ['incentivesUser']);
    assert.deepEqual(await rolesOf(rob), ['reviewer']);
    const lookups = w.connector.requests
      .slice(before)
      .filter((q) => q.method === 'GET')
      .map((q) => decodeURIComponent(q.path));
    assert.ok(
      lookups.some((p) => p.endsWith(`/v3/conversations/${group.id}/members/${alice.id}`)),
      `the bot looked Alice up in the group chat: ${lookups.join(', ')}`,
    );
  });

  it('shows the granted role to the user', async () => {
    const r = await w.teams.send(alice, alice.personal, 'help');
    assert.match(r.text, /Your roles: Incentives user/);
  });

  it('says so when the user already has the role, and stores nothing twice', async () => {
    const r = await grant(w, admin, group, alice, 'incentives user');
    assert.match(r.text, /already is Incentives user/);
    assert.deepEqual(await rolesOf(alice), ['incentivesUser']);
  });

  it('refuses a person who is not in the chat', async () => {
    const r = await w.teams.send(admin, group, `grant <at>${outsider.name}</at> reviewer`);
    assert.equal(r.status, 200);
    assert.match(r.text, /could not find that person/);
    assert.deepEqual(await rolesOf(outsider), []);
  });

  it('explains the usage for an unknown role or a missing mention', async () => {
    const unknown = await w.teams.send(admin, group, `grant <at>${xena.name}</at> emperor`);
    assert.match(unknown.text, /Type: grant @Name role/);
    const noMention = await w.teams.send(admin, group, 'grant reviewer');
    assert.match(noMention.text, /Type: grant @Name role/);
    assert.deepEqual(await rolesOf(xena), []);
  });

  it('lets an incentives admin grant only Incentives user', async () => {
    await grant(w, admin, group, ian, 'incentives admin');
    assert.deepEqual(await rolesOf(ian), ['incentivesAdmin']);
    for (const role of ['reviewer', 'global admin', 'incentives admin']) {
      const r = await grant(w, ian, group, xena, role);
      assert.match(r.text, /not allowed/, role);
    }
    assert.deepEqual(await rolesOf(xena), []);
    const ok = await grant(w, ian, group, xena, 'incentives user');
    assert.match(ok.text, /Xena Xu is now Incentives user/);
    assert.deepEqual(await rolesOf(xena), ['incentivesUser']);
  });

  it('does not let a user without an admin role grant anything, not even to themselves', async () => {
    const r = await grant(w, alice, group, rob, 'incentives admin');
    assert.match(r.text, /not allowed/);
    const self = await grant(w, alice, group, alice, 'global admin');
    assert.match(self.text, /not allowed/);
    const none = await grant(w, outsider, group, outsider, 'global admin');
    assert.match(none.text, /no role|not allowed/);
    assert.deepEqual(await rolesOf(rob), ['reviewer']);
    assert.deepEqual(await rolesOf(alice), ['incentivesUser']);
    assert.deepEqual(await rolesOf(outsider), []);
  });

  it('revokes a role', async () => {
    await grant(w, admin, group, xena, 'reviewer');
    const r = await w.teams.send(admin, group, `revoke <at>${xena.name}</at> reviewer`);
    assert.match(r.text, /Xena Xu is no longer Reviewer/);
    assert.deepEqual(await rolesOf(xena), ['incentivesUser']);
  });
});
