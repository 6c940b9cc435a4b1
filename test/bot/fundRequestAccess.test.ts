import assert from 'node:assert/strict';
import { Chat, TeamsUser, Tenant, buttonTitles, cardText } from '../support/teams';
import { pressOnRequest, requestFunds, storedRequest } from './fundRequestKit';
import { World, addFund, grant, startWorld } from './world';

/**
 * Issue 28's leftovers for fund requests: a user without the role to make claims keeps nothing of
 * the requests they made (as a revoked owner keeps nothing of their claims), and a Teams retry of an
 * activity is recognised however many changes the request saw since (applied-activity items, as
 * claims have them, not a list of the last 40 ids).
 */
describe('bot: fund requests, who sees them and retried activities (issue 28)', function () {
  this.timeout(90_000);

  describe('a revoked requester', () => {
    let w: World;
    let tenant: Tenant;
    let ada: TeamsUser;
    /** A group chat of Ada's with `u`, where she grants and revokes their roles. */
    const withAda = (u: TeamsUser): Chat => w.teams.groupChat(tenant, [ada, u]);

    /** An Incentives user with an approved request of their own. */
    const requesterWithApproved = async (name: string) => {
      const u = w.teams.user(tenant, name);
      await grant(w, ada, withAda(u), u, 'incentives user');
      const { number } = await requestFunds(w, u, { Activity: `${name}’s roadshow` });
      const approved = await pressOnRequest(w, ada, ada.personal, number, 'Approve request');
      assert.match(approved.text, /Approved: /);
      return { u, number };
    };

    before(async () => {
      w = await startWorld();
      tenant = w.teams.tenant('contoso');
      ada = w.teams.user(tenant, 'Ada Admin', { aadObjectId: w.bootstrapAdmins[0] });
      await addFund(w, ada, { Name: 'FY27 Co-op', 'Allocated amount': '10,000.00' });
    });
    after(async () => {
      await w.app.notifications.idle();
      await w?.stop();
    });

    it('with no role left: the request is not found, and Create claim is refused', async () => {
      const { u: quinn, number } = await requesterWithApproved('Quinn Quitter');
      const before = await w.teams.send(quinn, quinn.personal, `fund request ${number}`);
      assert.ok(buttonTitles(before.card ?? {}).includes('Create claim'));
      await w.teams.send(ada, withAda(quinn), `revoke <at>${quinn.name}</at> incentives user`);

      const shown = await w.teams.send(quinn, quinn.personal, `fund request ${number}`);
      assert.match(shown.text, new RegExp(`Fund request ${number} was not found\\.`));
      assert.doesNotMatch(shown.text, /roadshow|2,000/);
      const pressed = await w.teams.click(quinn, quinn.personal, before, 'Create claim');
      assert.match(pressed.text, /was not found/);
      assert.equal((await storedRequest(w, tenant, number)).claimNumber, undefined);
      const opened = await w.teams.invoke(quinn, quinn.personal, 'openFundRequest', {
        request: number,
      });
      assert.doesNotMatch(opened.text, /roadshow/);
    });

    it('left with another role (reviewer): `fund requests` lists none of theirs', async () => {
      const { u: rex } = await requesterWithApproved('Rex Reviewer');
      const listed = await w.teams.send(rex, rex.personal, 'fund requests');
      assert.match(cardText(listed.card), /Rex Reviewer’s roadshow/);
      await grant(w, ada, withAda(rex), rex, 'reviewer');
      await w.teams.send(ada, withAda(rex), `revoke <at>${rex.name}</at> incentives user`);

      const after = await w.teams.send(rex, rex.personal, 'fund requests');
      assert.equal(after.status, 200);
      assert.doesNotMatch(cardText(after.card), /roadshow/);
      const all = await w.teams.send(ada, ada.personal, 'fund requests');
      assert.match(cardText(all.card), /Rex Reviewer’s roadshow/, 'the admins still see it');
    });
  });

  for (const storage of ['memory', 'emulators'] as const) {
    describe(`a Teams retry of an older activity (${storage})`, () => {
      let w: World;

      before(async () => {
        w = await startWorld({ storage });
      });
      after(async () => {
        await w.app.notifications.idle();
        await w?.stop();
      });

      it('an Approve retried after more than 40 later changes is recognised: reserved once, no refusal', async () => {
        const tenant = w.teams.tenant('contoso');
        const ada = w.teams.user(tenant, 'Ada Admin', { aadObjectId: w.bootstrapAdmins[0] });
        const ann = w.teams.user(tenant, 'Ann Requester');
        await grant(w, ada, w.teams.groupChat(tenant, [ada, ann]), ann, 'incentives user');
        await addFund(w, ada, { Name: 'FY27 Co-op', 'Allocated amount': '10,000.00' });
        const { number } = await requestFunds(w, ann);
        const approve = () =>
          w.teams.invoke(ada, ada.personal, 'approveRequest', { request: number }, undefined, {
            id: 'f:approve-once',
          });
        assert.match((await approve()).text, /Approved: \$2,000\.00 is reserved/);
        await w.app.notifications.idle();
        // Later changes (notices leased and settled, say): each applies an activity of its own.
        for (let i = 0; i < 45; i++) {
          await w.app.services.fundRequests.update(tenant.id, number, `later-${i}`, (r) => ({
            ...r,
            updatedAt: new Date(Date.parse(r.updatedAt) + 1).toISOString(),
          }));
        }
        const funds = await w.app.services.claims.fundLedger(tenant.id);

        const retried = await approve();
        assert.equal(retried.invokeStatus, 200);
        assert.match(retried.text, /Approved: \$2,000\.00 is reserved/);
        assert.doesNotMatch(retried.text, /cannot be done while/);
        const stored = await storedRequest(w, tenant, number);
        assert.equal(stored.history.filter((e) => e.kind === 'approved').length, 1);
        assert.deepEqual(await w.app.services.claims.fundLedger(tenant.id), funds, 'reserved once');
      });
    });
  }
});
