import assert from 'node:assert/strict';
import type { Recorded } from '../../testkit/connector';
import { Chat, TeamsUser, Tenant, TurnResult, factValue } from '../support/teams';
import { World, addFund, createClaim, grant, seedReady, startWorld } from './world';

const TITLE = 'Quinn farewell roadshow';

/**
 * Issue 28, hole 1, for what the bot sends on its own: a notification goes only to someone who may
 * see the claim when it is sent, from their stored roles. A revoked owner is sent nothing of a
 * decision on her claim; the colleague asked to upload is still told of it (product.md).
 */
describe('bot: a revoked owner is sent no notification about her claim (issue 28)', () => {
  let w: World;
  let tenant: Tenant;
  let admin: TeamsUser;
  let quinn: TeamsUser;
  let rita: TeamsUser;
  let carl: TeamsUser;
  let group: Chat;
  let number: string;
  let underReview: TurnResult;

  const text = (records: readonly Recorded[]): string =>
    JSON.stringify(records.map((r) => r.activity));

  before(async () => {
    w = await startWorld();
    tenant = w.teams.tenant('contoso');
    admin = w.teams.user(tenant, 'Ada Admin', { aadObjectId: w.bootstrapAdmins[0] });
    quinn = w.teams.user(tenant, 'Quinn Quitter');
    rita = w.teams.user(tenant, 'Rita Reviewer');
    carl = w.teams.user(tenant, 'Carl Colleague');
    group = w.teams.groupChat(tenant, [admin, quinn, rita, carl]);
    await grant(w, admin, group, quinn, 'incentives user');
    await grant(w, admin, group, rita, 'reviewer');
    await addFund(w, admin);
    ({ number } = await createClaim(w, quinn, { Title: TITLE, Amount: '1,250.00' }));
    await seedReady(w, quinn, number);
    const asked = await w.teams.send(
      quinn,
      quinn.personal,
      `request <at>${carl.name}</at> poe for ${number} photos please`,
    );
    assert.match(asked.text, /Asked Carl Colleague/);
    // Her own card of the claim, posted in her 1:1 chat: it is kept up to date when the claim changes.
    const card = await w.teams.send(quinn, quinn.personal, `claim ${number}`);
    assert.ok(card.text.includes(TITLE));
    const submitted = await w.teams.invoke(quinn, quinn.personal, 'submit', { claim: number });
    assert.match(submitted.text, /Submitted\./);
    // The reviewers' notices go out first, so the card Rita opens is the claim's, not a notice.
    await w.app.notifications.idle();
    const opened = await w.teams.send(rita, rita.personal, `claim ${number}`);
    underReview = await w.teams.click(rita, rita.personal, opened, 'Start review');
    assert.equal(factValue(underReview.card, 'Status'), 'Under review');
    await w.app.notifications.idle();
  });
  after(() => w?.stop());

  it('revoked, then the claim is approved: her 1:1 chat gets nothing of it, the colleague is told', async () => {
    const revoked = await w.teams.send(
      admin,
      group,
      `revoke <at>${quinn.name}</at> incentives user`,
    );
    assert.equal(revoked.status, 200);
    const since = w.connector.seq;
    const approved = await w.teams.click(rita, rita.personal, underReview, 'Approve', {
      'Approved amount': '1,100.00',
      'Reason for approving less': 'Part of the cost is not eligible.',
    });
    assert.equal(factValue(approved.card, 'Status'), 'Approved');

    const told = await w.connector.waitFor(
      (r) =>
        r.seq > since &&
        r.conversationId === carl.personal.id &&
        /Claim approved/.test(JSON.stringify(r.activity)),
    );
    assert.ok(told, 'Carl, asked to upload, is told of the decision');
    await w.app.notifications.idle();
    // Her posted card is brought up to date in the background: it now says the claim is not found.
    const withdrawn = await w.connector.waitFor(
      (r) => r.seq > since && r.conversationId === quinn.personal.id && r.op === 'update',
    );
    assert.ok(withdrawn, 'her posted card was updated');
    assert.match(text([withdrawn]), /was not found/);

    const toQuinn = w.connector.since(since, quinn.personal.id);
    const sent = toQuinn.filter((r) => r.op !== 'update');
    assert.deepEqual(sent, [], `nothing new in her 1:1 chat: ${text(sent).slice(0, 300)}`);
    for (const secret of [TITLE, '1,100.00', '1,250.00', 'Claim approved']) {
      assert.ok(!text(toQuinn).includes(secret), `"${secret}" reached her 1:1 chat`);
    }

    const claim = await w.app.services.claims.get(tenant.id, number);
    const states = claim?.outbox
      .filter((n) => n.kind === 'approved')
      .map((n) => [n.to.name, n.state]);
    assert.deepEqual(states, [
      ['Quinn Quitter', 'skipped'],
      ['Carl Colleague', 'delivered'],
    ]);
    assert.ok(!claim?.history.some((e) => e.kind === 'notificationFailed'), 'no failure recorded');
  });
});
