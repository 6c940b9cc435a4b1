import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { ORPHAN_GRACE_MS, sweepOrphanBlobs } from '../../src/store/orphans';
import type { Recorded } from '../../testkit/connector';
import {
  Chat,
  TeamsUser,
  Tenant,
  TurnResult,
  buttonTitles,
  cardText,
  factAmount,
  factValue,
} from '../support/teams';
import { pdfBytes, recordedCard } from './fileKit';
import { World, addFund, createClaim, day, essence, grant, seedReady, startWorld } from './world';

const PAY = 'Record payment';

describe('bot: Record payment (issue 19)', () => {
  let w: World;
  let tenant: Tenant;
  let admin: TeamsUser;
  let olga: TeamsUser;
  let rita: TeamsUser;
  let pat: TeamsUser;
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

  /** A claim of Olga's, approved by Rita for $1,000.00 of the $1,250.00 claimed. */
  async function approvedClaim(title: string): Promise<string> {
    const { number } = await createClaim(w, olga, { Title: title });
    await seedReady(w, olga, number);
    assert.match((await invoke(olga, 'submit', { claim: number })).text, /Submitted\./);
    await invoke(rita, 'startReview', { claim: number });
    await invoke(rita, 'approve', {
      claim: number,
      approvedAmount: '1,000.00',
      approveNote: 'ok',
      approveReason: 'The print line is not eligible.',
    });
    assert.equal((await stored(number)).status, 'approved');
    return number;
  }

  /** `u` clicks Record payment on their own card of the claim, and nothing changed. */
  async function assertRefused(u: TeamsUser, number: string, refusal: RegExp): Promise<void> {
    const before = essence(await stored(number));
    const r = await invoke(u, 'recordPayment', {
      claim: number,
      paymentDate: day(0),
      paymentReference: 'PAY-FORGED',
    });
    assert.equal(r.invokeStatus, 200);
    assert.match(r.text, refusal, u.name);
    assert.deepEqual(essence(await stored(number)), before);
  }

  before(async () => {
    w = await startWorld();
    tenant = w.teams.tenant('contoso');
    admin = w.teams.user(tenant, 'Ada Admin', { aadObjectId: w.bootstrapAdmins[0] });
    olga = w.teams.user(tenant, 'Olga Owner');
    rita = w.teams.user(tenant, 'Rita Reviewer');
    pat = w.teams.user(tenant, 'Pat Payer');
    group = w.teams.groupChat(tenant, [admin, olga, rita, pat]);
    await grant(w, admin, group, olga, 'incentives user');
    await grant(w, admin, group, rita, 'reviewer');
    await grant(w, admin, group, pat, 'incentives admin');
    await addFund(w, admin, { 'Allocated amount': '10,000.00' });
  });
  after(async () => {
    await w?.stop();
  });

  it('an Incentives admin records the payment: Paid with its reference, in history, the owner told, paid totals', async () => {
    const number = await approvedClaim('Paid webinar');
    const card = await open(pat, number);
    assert.ok(buttonTitles(card.card ?? {}).includes(PAY), 'Record payment shown to Pat');
    for (const u of [olga, rita]) {
      assert.equal(buttonTitles((await open(u, number)).card ?? {}).includes(PAY), false, u.name);
    }

    const since = w.connector.seq;
    const paid = await w.teams.click(pat, pat.personal, card, PAY, {
      'Payment date': day(-1),
      'Payment reference': 'PAY-2027-0042',
    });
    assert.equal(paid.invokeStatus, 200);
    assert.match(paid.text, /Payment recorded\./);
    assert.equal(factValue(paid.card, 'Status'), 'Paid');
    assert.match(factValue(paid.card, 'Paid') ?? '', /reference PAY\\-2027\\-0042/);
    assert.equal(buttonTitles(paid.card ?? {}).includes(PAY), false, 'no second payment');
    assert.equal(buttonTitles(paid.card ?? {}).includes('Dispute'), false, 'a payment is final');

    const claim = await stored(number);
    assert.equal(claim.status, 'paid');
    assert.deepEqual(
      {
        date: claim.payments?.[0]?.date,
        reference: claim.payments?.[0]?.reference,
        by: claim.payments?.[0]?.by.id,
      },
      { date: day(-1), reference: 'PAY-2027-0042', by: pat.aadObjectId },
    );
    assert.equal(claim.history[claim.history.length - 1].kind, 'paid');

    const told = await w.connector.waitFor(
      (r: Recorded) =>
        r.seq > since &&
        r.conversationId === olga.personal.id &&
        cardText(recordedCard(r)).startsWith('Claim paid\nPat Payer recorded the payment'),
    );
    assert.ok(told, 'Olga got the paid notification');
    assert.match(cardText(recordedCard(told)), /PAY\\-2027\\-0042/);

    await w.app.notifications.idle();
    const funds = await w.teams.send(pat, pat.personal, 'funds');
    assert.equal(factValue(funds.card, 'Paid'), '$1,000.00');
    assert.equal(factAmount(funds.card, 'Approved'), '$1,000.00', 'a paid claim stays approved');
    assert.equal(factAmount(funds.card, 'Remaining'), '$9,000.00');
    const overview = await w.teams.send(olga, olga.personal, 'claims');
    assert.equal(factValue(overview.card, 'Paid'), '$1,000.00');
    assert.match(cardText(overview.card), new RegExp(`${number}[\\s\\S]*Paid`));

    await assertRefused(pat, number, /This cannot be done while the claim is Paid\./);

    // Retention: the orphan sweep never removes a blob of a decided claim, listed or not.
    const { files, claims } = w.app.services;
    const stray = `${tenant.id}/${number}/stray/kept.pdf`;
    await files.put(stray, Readable.from([pdfBytes(2_000)]), {
      uploaderId: olga.aadObjectId,
      originalName: 'kept.pdf',
    });
    const later = new Date(Date.now() + 2 * ORPHAN_GRACE_MS);
    assert.equal((await sweepOrphanBlobs(files, claims, later)).includes(stray), false);
  });

  it('whoever had a hand in the claim or reviewed it may not record its payment, even as an admin', async () => {
    const number = await approvedClaim('Four eyes on payment');
    await grant(w, admin, group, rita, 'incentives admin');
    await grant(w, admin, group, olga, 'incentives admin');
    for (const u of [rita, olga]) {
      assert.equal(buttonTitles((await open(u, number)).card ?? {}).includes(PAY), false, u.name);
      await assertRefused(u, number, /someone else must record its payment/);
    }
    const bob = w.teams.user(tenant, 'Bob Nobody');
    await assertRefused(bob, number, /was not found/);
  });

  it('a payment date in the future or a missing reference is refused, naming the field', async () => {
    const number = await approvedClaim('Careful payment');
    const before = essence(await stored(number));
    const future = await invoke(pat, 'recordPayment', {
      claim: number,
      paymentDate: day(3),
      paymentReference: 'PAY-LATER',
    });
    assert.match(future.text, /Payment date cannot be in the future\./);
    const noReference = await invoke(pat, 'recordPayment', { claim: number, paymentDate: day(0) });
    assert.match(noReference.text, /Payment reference is required\./);
    assert.deepEqual(essence(await stored(number)), before);
    const submitted = await createClaim(w, olga, { Title: 'Not approved yet' });
    await assertRefused(pat, submitted.number, /This cannot be done while the claim is Editing\./);
  });
});
