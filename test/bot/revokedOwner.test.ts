import assert from 'node:assert/strict';
import { Chat, TeamsUser, Tenant, TurnResult, cardText } from '../support/teams';
import { World, addFund, assertNotFound, createClaim, grant, seedReady, startWorld } from './world';

const NO_ROLE = /You have no role in Co-op Claims yet/;
const TITLE = 'Quinn autumn roadshow';

/**
 * Issue 28, hole 1: access follows the stored roles. An owner whose role is revoked keeps nothing of
 * their claims; a colleague asked to upload keeps the claim they were asked for until it is decided.
 */
describe('bot: a revoked owner sees nothing of their claims (issue 28)', () => {
  let w: World;
  let tenant: Tenant;
  let admin: TeamsUser;
  let quinn: TeamsUser;
  let carl: TeamsUser;
  let group: Chat;
  let number: string;

  /** The `composeExtension/query` invoke of the message extension, answered with a message or results. */
  async function search(u: TeamsUser, text: string): Promise<TurnResult> {
    return w.teams.post({
      ...w.teams.envelope(u, group, 'invoke'),
      name: 'composeExtension/query',
      value: {
        commandId: 'searchClaims',
        parameters: [{ name: 'query', value: text }],
        queryOptions: { skip: 0, count: 25 },
      },
    });
  }

  /** Nothing of the claim: no number, title or signed link in the answer. */
  const assertNothingOf = (r: TurnResult | { body: unknown; text: string }): void => {
    const all = `${r.text}\n${JSON.stringify(r.body ?? null)}`;
    assert.ok(!all.includes(TITLE), all.slice(0, 300));
    assert.ok(!all.includes('sig='), 'no signed link');
  };

  before(async () => {
    w = await startWorld();
    tenant = w.teams.tenant('contoso');
    admin = w.teams.user(tenant, 'Ada Admin', { aadObjectId: w.bootstrapAdmins[0] });
    quinn = w.teams.user(tenant, 'Quinn Quitter');
    carl = w.teams.user(tenant, 'Carl Colleague');
    group = w.teams.groupChat(tenant, [admin, quinn, carl]);
    await grant(w, admin, group, quinn, 'incentives user');
    await addFund(w, admin);
    ({ number } = await createClaim(w, quinn, { Title: TITLE }));
    await seedReady(w, quinn, number);
    const asked = await w.teams.send(
      quinn,
      quinn.personal,
      `request <at>${carl.name}</at> invoice for ${number} the venue bill`,
    );
    assert.match(asked.text, /Asked Carl Colleague/);
  });
  after(() => w?.stop());

  it('while Quinn is an Incentives user, she sees her claim with its signed links', async () => {
    const claims = await w.teams.send(quinn, quinn.personal, 'claims');
    assert.ok(claims.text.includes(TITLE));
    const card = await w.teams.send(quinn, quinn.personal, `claim ${number}`);
    assert.ok(JSON.stringify(card.card).includes('sig='), 'signed links in her 1:1 chat');
  });

  it('after `revoke @Quinn incentives user`: claims, claim, history, export and search show nothing', async () => {
    const revoked = await w.teams.send(
      admin,
      group,
      `revoke <at>${quinn.name}</at> incentives user`,
    );
    assert.equal(revoked.status, 200);

    const claims = await w.teams.send(quinn, quinn.personal, 'claims');
    assert.match(claims.text, NO_ROLE);
    assertNothingOf(claims);
    for (const command of [`claim ${number}`, `history ${number}`, `export ${number}`]) {
      const r = await w.teams.send(quinn, quinn.personal, command);
      assertNotFound(r, number);
      assertNothingOf(r);
    }
    const opened = await w.teams.invoke(quinn, quinn.personal, 'openClaim', { claim: number });
    assertNotFound(opened, number);
    assertNothingOf(opened);
    const found = await search(quinn, 'roadshow');
    assert.match(JSON.stringify(found.body), NO_ROLE);
    assertNothingOf(found);
  });

  it('the colleague asked to upload, who has no role, still sees the claim until it is decided', async () => {
    const claims = await w.teams.send(carl, carl.personal, 'claims');
    assert.ok(claims.text.includes(TITLE), claims.text.slice(0, 300));
    const card = await w.teams.send(carl, carl.personal, `claim ${number}`);
    assert.match(cardText(card.card), new RegExp(number));
    assert.ok(cardText(card.card).includes(TITLE));
  });
});
