import assert from 'node:assert/strict';
import type { Claim } from '../../src/domain/claim';
import { TeamsUser, Tenant, TurnResult, cardText, findInput, press } from '../support/teams';
import { snapshot } from '../trust/kit';
import { World, day, eventually, grant, ownerWithClaim, startWorld } from './world';

/** Request upload with a chosen due date, and Cancel request (issue 16). */
describe('bot: upload requests with a due date, and cancelled', function () {
  this.timeout(60_000);
  let w: World;
  let tenant: Tenant;
  let owner: TeamsUser;
  let colin: TeamsUser;
  let nina: TeamsUser;
  let number: string;

  const stored = async (): Promise<Claim> =>
    (await w.app.services.claims.get(tenant.id, number)) as Claim;
  /** What a user's action changes: everything but the cards the bot remembers having posted. */
  const changeable = async (): Promise<unknown> => {
    const { postedCards: _cards, ...rest } = await stored();
    return snapshot(rest);
  };
  const claimCard = (): Promise<TurnResult> =>
    w.teams.send(owner, owner.personal, `claim ${number}`);
  /** Request upload on the claim card; the people picker's pick is added as Teams sends it. */
  const request = async (who: TeamsUser, due?: string): Promise<TurnResult> => {
    const card = await claimCard();
    const { verb, data } = press(card.card ?? {}, 'Request upload', {
      ...(due !== undefined ? { 'Due date': due } : {}),
    });
    const sent = { ...data, colleagues: who.aadObjectId };
    return w.teams.invoke(owner, owner.personal, verb, sent, card.cardActivityId);
  };

  before(async () => {
    w = await startWorld();
    ({ tenant, owner, number } = await ownerWithClaim(w, 'Olivia Owner'));
    const admin = w.teams.user(tenant, 'Ada Admin', { aadObjectId: w.bootstrapAdmins[0] });
    colin = w.teams.user(tenant, 'Colin Colleague');
    nina = w.teams.user(tenant, 'Nina Other');
    await grant(w, admin, w.teams.groupChat(tenant, [admin, nina]), nina, 'incentives user');
    // Colin talks to the bot first, so that notifications reach his 1:1 chat.
    await w.teams.send(colin, colin.personal, 'help');
  });
  after(() => w?.stop());

  it('the request form offers a due date, five business days out by default', async () => {
    const input = findInput((await claimCard()).card ?? {}, 'Due date');
    assert.equal(input?.type, 'Input.Date');
    assert.ok(String(input?.value) > day(4) && String(input?.value) <= day(9), input?.value);
  });

  it('a due date in the past is refused with a message and changes nothing', async () => {
    const before = await changeable();
    const r = await request(colin, day(-1));
    assert.match(r.text, /Due date cannot be in the past/);
    assert.deepEqual(await changeable(), before);
  });

  it('a chosen due date is kept, shown and sent to the colleague', async () => {
    const due = day(12);
    const r = await request(colin, due);
    assert.equal(r.invokeStatus, 200);
    const open = (await stored()).uploadRequests.filter((x) => !x.fulfilledAt && !x.cancelledAt);
    assert.deepEqual(
      open.map((x) => [x.to.id, x.due]),
      [[colin.aadObjectId, due]],
    );
    const note = await w.connector.waitFor(
      (x) =>
        x.conversationId === colin.personal.id &&
        /asks you to upload/.test(JSON.stringify(x.activity)),
    );
    assert.ok(note, 'Colin was asked');
  });

  it('someone who neither asked nor may ask colleagues cannot cancel it', async () => {
    const id = (await stored()).uploadRequests[0].id;
    const before = await changeable();
    const r = await w.teams.invoke(nina, nina.personal, 'cancelUploadRequest', {
      claim: number,
      request: id,
    });
    assert.match(r.text, /was not found/);
    assert.deepEqual(await changeable(), before);
  });

  it('a forged request id is refused with a message and changes nothing', async () => {
    const before = await changeable();
    const r = await w.teams.invoke(owner, owner.personal, 'cancelUploadRequest', {
      claim: number,
      request: 'r999-0',
    });
    assert.match(r.text, /Upload request is not valid/);
    assert.deepEqual(await changeable(), before);
  });

  it('Cancel request closes it, tells the colleague and ends his access to the claim', async () => {
    const card = await claimCard();
    assert.match(cardText(card.card), /Colin Colleague: Invoice, Proof of execution, due/);
    const r = await w.teams.click(owner, owner.personal, card, 'Cancel request');
    assert.match(r.text, /Cancelled the upload request to Colin Colleague/);
    assert.doesNotMatch(cardText(r.card), /Colin Colleague: Invoice/);
    const claim = await stored();
    assert.ok(claim.uploadRequests[0].cancelledAt);
    assert.ok(!claim.contributors.some((p) => p.id === colin.aadObjectId));
    assert.equal(claim.history.at(-1)?.kind, 'uploadRequestCancelled');
    const told = await eventually(() =>
      w.connector
        .delivered(colin.personal.id)
        .some((x) => /no longer needs your documents/.test(JSON.stringify(x.activity))),
    );
    assert.ok(told, 'Colin was told');
    const his = await w.teams.send(colin, colin.personal, `claim ${number}`);
    assert.match(his.text, /was not found/);
    // Cancelling it again: it is no longer open.
    const again = await w.teams.invoke(owner, owner.personal, 'cancelUploadRequest', {
      claim: number,
      request: claim.uploadRequests[0].id,
    });
    assert.match(again.text, /Upload request is not valid/);
  });
});
