import assert from 'node:assert/strict';
import { RunningApp, startApp } from '../../src/app';
import { openCosmos } from '../../src/store/cosmos';
import { cosmosRepositories } from '../../src/store/cosmosRepositories';
import type { UserRepository } from '../../src/store/users';
import { Chat, TeamsClient, TeamsUser, Tenant, TurnResult } from '../support/teams';
import { World, grant, startWorld } from '../bot/world';

const ROUNDS = 6;

describe('trust: the last global admin, by two instances on one database (issue 14)', function () {
  this.timeout(120_000);
  let w: World;
  let second: RunningApp;
  let clients: TeamsClient[];
  let tenant: Tenant;
  let ada: TeamsUser;
  let ben: TeamsUser;
  let cleo: TeamsUser;
  let group: Chat;
  /** A second chat, so that the two answers of a round are told apart. */
  let other: Chat;

  const revoke = (
    client: TeamsClient,
    chat: Chat,
    by: TeamsUser,
    who: TeamsUser,
  ): Promise<TurnResult> =>
    // Built by the first client, which knows everybody's mention ids; posted to either instance.
    client.post(w.teams.message(by, chat, `revoke <at>${who.name}</at> global admin`));
  /** Read from the database itself, by a repository of its own. */
  let stored: UserRepository;
  const isAdmin = async (u: TeamsUser): Promise<boolean> =>
    ((await stored.get(tenant.id, u.aadObjectId))?.roles ?? []).includes('globalAdmin');

  before(async () => {
    w = await startWorld({ storage: 'emulators', env: { SCALE_OUT: 'true' } });
    second = await startApp(w.config);
    assert.ok(w.config.cosmos);
    stored = cosmosRepositories(await openCosmos(w.config.cosmos)).users;
    clients = [w.teams, new TeamsClient(`${second.url}/api/messages`, w.connector)];
    tenant = w.teams.tenant('contoso');
    // Ada is a bootstrap admin by a bare object id, which counts for no tenant's last admin.
    ada = w.teams.user(tenant, 'Ada Admin', { aadObjectId: w.bootstrapAdmins[0] });
    ben = w.teams.user(tenant, 'Ben Admin');
    cleo = w.teams.user(tenant, 'Cleo Admin');
    group = w.teams.groupChat(tenant, [ada, ben, cleo]);
    other = w.teams.groupChat(tenant, [ada, ben, cleo]);
    await grant(w, ada, group, ben, 'global admin');
    await grant(w, ada, group, cleo, 'global admin');
  });
  after(async () => {
    await second?.stop();
    await w?.stop();
  });

  it('two admins revoking each other at once on two instances: one revocation passes, one is refused', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const [byBen, byCleo] = await Promise.all([
        revoke(clients[round % 2], group, ben, cleo),
        revoke(clients[(round + 1) % 2], other, cleo, ben),
      ]);
      const texts = [byBen.text, byCleo.text].join(' | ');
      // Two admins before the round: exactly one left means one revocation passed and one did not.
      const left = [await isAdmin(ben), await isAdmin(cleo)].filter(Boolean).length;
      assert.equal(left, 1, `round ${round}: one stored global admin is left (${texts})`);
      assert.match(texts, /is the last global admin of your organisation/, `round ${round}`);
      assert.match(texts, /is no longer Global admin/, `round ${round}`);
      // Ada makes the revoked one an admin again for the next round, on either instance: each
      // reads roles from the database, so the grant right after the revocation is no "already".
      const revoked = (await isAdmin(ben)) ? cleo : ben;
      const again = await clients[(round + 1) % 2].post(
        w.teams.message(ada, group, `grant <at>${revoked.name}</at> global admin`),
      );
      assert.match(again.text, /is now Global admin/, `round ${round}: ${again.text}`);
      assert.equal(await isAdmin(revoked), true);
    }
  });
});
