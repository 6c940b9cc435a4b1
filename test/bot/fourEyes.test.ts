import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Chat, TeamsUser, Tenant, TurnResult, buttonTitles } from '../support/teams';
import { ConfiguredWorld, pdfBytes, sendFiles, startWorldWith } from './fileKit';
import { FileServer } from './fileServer';
import { World, addFund, createClaim, essence, grant, seedReady, startWorld } from './world';

const HAD_A_HAND = /You had a hand in this claim, so someone else must review it/;
const NOT_ALLOWED = /You are not allowed to do that\./;
const REVIEW_BUTTONS = ['Start review', 'Approve', 'Reject', 'Request information'];

describe('bot: four eyes (issue 14)', () => {
  let w: ConfiguredWorld;
  let drive: FileServer;
  let tenant: Tenant;
  let admin: TeamsUser;
  let olga: TeamsUser;
  let carl: TeamsUser;
  let rita: TeamsUser;
  let gina: TeamsUser;
  let group: Chat;

  const stored = async (number: string) => {
    const claim = await w.app.services.claims.get(tenant.id, number);
    assert.ok(claim, `${number} is stored`);
    return claim;
  };
  const open = async (u: TeamsUser, number: string): Promise<TurnResult> => {
    await w.app.notifications.idle();
    return w.teams.send(u, u.personal, `claim ${number}`);
  };
  const invoke = (u: TeamsUser, verb: string, data: Record<string, string>) =>
    w.teams.invoke(u, u.personal, verb, data);

  /** No review button on `u`'s card, and every review verb clicked anyway is refused, changing nothing. */
  async function assertCannotReview(u: TeamsUser, number: string, refusal: RegExp): Promise<void> {
    const shown = buttonTitles((await open(u, number)).card ?? {});
    for (const b of REVIEW_BUTTONS) assert.equal(shown.includes(b), false, `"${b}" not shown`);
    const before = essence(await stored(number));
    const forged: [string, Record<string, string>][] = [
      ['approve', { claim: number, approvedAmount: '100.00', approveNote: 'fine' }],
      ['reject', { claim: number, reason: 'no' }],
      ['requestInformation', { claim: number, note: 'more please' }],
    ];
    for (const [verb, data] of forged) {
      const r = await invoke(u, verb, data);
      assert.equal(r.invokeStatus, 200);
      assert.match(r.text, refusal, `${u.name} ${verb}`);
    }
    assert.deepEqual(essence(await stored(number)), before);
  }

  async function submitAndStartReview(number: string): Promise<void> {
    assert.match((await invoke(olga, 'submit', { claim: number })).text, /Submitted\./);
    await invoke(rita, 'startReview', { claim: number });
    assert.equal((await stored(number)).status, 'underReview');
  }

  before(async () => {
    drive = await FileServer.start();
    w = await startWorldWith({ ALLOWED_DOWNLOAD_HOSTS: '127.0.0.1' });
    tenant = w.teams.tenant('contoso');
    admin = w.teams.user(tenant, 'Ada Admin', { aadObjectId: w.bootstrapAdmins[0] });
    olga = w.teams.user(tenant, 'Olga Owner');
    carl = w.teams.user(tenant, 'Carl Colleague');
    rita = w.teams.user(tenant, 'Rita Reviewer');
    gina = w.teams.user(tenant, 'Gina Global');
    group = w.teams.groupChat(tenant, [admin, olga, carl, rita, gina]);
    await grant(w, admin, group, olga, 'incentives user');
    await grant(w, admin, group, rita, 'reviewer');
    await grant(w, admin, group, gina, 'global admin');
    await addFund(w, admin, { 'Allocated amount': '10,000.00' });
  });
  after(async () => {
    await w?.stop();
    await drive?.stop();
  });

  it('a colleague who uploaded the invoice on request, later granted Reviewer, cannot approve, reject or request information', async () => {
    const { number } = await createClaim(w, olga, { Title: 'Uploaded by Carl' });
    const asked = await w.teams.send(
      olga,
      olga.personal,
      `request <at>${carl.name}</at> invoice for ${number} the venue bill`,
    );
    assert.match(asked.text, /Asked Carl Colleague/);
    const url = drive.serve('venue.pdf', pdfBytes(5_000));
    const sent = await sendFiles(w.teams, carl, carl.personal, `${number} invoice: the venue`, [
      { name: 'venue.pdf', url },
    ]);
    assert.match(sent.text, /Added venue\.pdf/);
    await seedReady(w, olga, number);
    await submitAndStartReview(number);
    await grant(w, admin, group, carl, 'reviewer');

    await assertCannotReview(carl, number, HAD_A_HAND);
    assert.ok((await stored(number)).hands?.includes(carl.aadObjectId), 'the hand is stored');

    const approved = await invoke(rita, 'approve', {
      claim: number,
      approvedAmount: '1,250.00',
      approveNote: 'ok',
    });
    assert.equal((await stored(number)).status, 'approved', approved.text);
  });

  it('an admin who edited a claim cannot approve it, even when granted Reviewer', async () => {
    const { number } = await createClaim(w, olga, { Title: 'Edited by Gina' });
    const metric = await invoke(gina, 'addMetric', {
      claim: number,
      metricName: 'Attendees',
      metricValue: '80',
    });
    assert.equal(metric.invokeStatus, 200);
    await seedReady(w, olga, number);
    await submitAndStartReview(number);
    await grant(w, admin, group, gina, 'reviewer');
    await assertCannotReview(gina, number, HAD_A_HAND);
  });

  it('a global admin is not a reviewer unless granted Reviewer: no review buttons, a click is refused', async () => {
    const { number } = await createClaim(w, olga, { Title: 'Admin looks on' });
    await seedReady(w, olga, number);
    assert.match((await invoke(olga, 'submit', { claim: number })).text, /Submitted\./);
    const card = await open(admin, number);
    assert.equal(buttonTitles(card.card ?? {}).includes('Start review'), false);
    const before = essence(await stored(number));
    const r = await invoke(admin, 'startReview', { claim: number });
    assert.match(r.text, NOT_ALLOWED);
    assert.deepEqual(essence(await stored(number)), before);
    await invoke(rita, 'startReview', { claim: number });
    await assertCannotReview(admin, number, NOT_ALLOWED);
  });

  it('the last global admin of a tenant cannot be revoked (configured admins without a tenant do not count)', async () => {
    const refused = await w.teams.send(gina, group, `revoke <at>${gina.name}</at> global admin`);
    assert.match(refused.text, /Gina Global is the last global admin of your organisation/);
    const [record] = (await w.app.services.users.withRole(tenant.id, 'globalAdmin')).filter(
      (u) => u.id === gina.aadObjectId,
    );
    assert.ok(record, 'Gina is still a global admin');
    await grant(w, admin, group, olga, 'global admin');
    const revoked = await w.teams.send(gina, group, `revoke <at>${gina.name}</at> global admin`);
    assert.match(revoked.text, /Gina Global is no longer/);
  });
});

describe('bot: BOOTSTRAP_ADMINS bound to a tenant (issue 14)', () => {
  let w: World;
  const contoso: Tenant = { id: randomUUID(), name: 'contoso' };
  const fabrikam: Tenant = { id: randomUUID(), name: 'fabrikam' };
  const adminId = randomUUID();

  before(async () => {
    w = await startWorld({
      bootstrapAdmins: 0,
      env: { BOOTSTRAP_ADMINS: `${contoso.id.toUpperCase()}:${adminId}` },
    });
  });
  after(() => w?.stop());

  it('is a global admin in its tenant only', async () => {
    const ada = w.teams.user(contoso, 'Ada Admin', { aadObjectId: adminId });
    const ann = w.teams.user(contoso, 'Ann User');
    const granted = await w.teams.send(
      ada,
      w.teams.groupChat(contoso, [ada, ann]),
      `grant <at>${ann.name}</at> reviewer`,
    );
    assert.match(granted.text, /Ann User is now/);

    const impostor = w.teams.user(fabrikam, 'Ada Elsewhere', { aadObjectId: adminId });
    const fay = w.teams.user(fabrikam, 'Fay User');
    const refused = await w.teams.send(
      impostor,
      w.teams.groupChat(fabrikam, [impostor, fay]),
      `grant <at>${fay.name}</at> reviewer`,
    );
    assert.doesNotMatch(refused.text, /is now/);
    assert.equal(await w.app.services.users.get(fabrikam.id, fay.aadObjectId), undefined);
  });
});
