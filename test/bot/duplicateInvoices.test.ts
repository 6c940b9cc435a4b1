import assert from 'node:assert/strict';
import { Claim, addDocument } from '../../src/domain/claim';
import { Chat, TeamsUser, Tenant, buttonTitles, cardText } from '../support/teams';
import { NOT_ALLOWED, invokeRefused } from './reviewKit';
import { World, actorOf, addFund, createClaim, grant, seedReady, startWorld } from './world';

const NL = { locale: 'nl-NL' };
const SHARED_SHA = 'd'.repeat(64);

describe('bot: duplicate invoices (issue 32)', function () {
  this.timeout(60_000);
  let w: World;
  let tenant: Tenant;
  let olga: TeamsUser;
  let bob: TeamsUser;
  let rita: TeamsUser;
  let group: Chat;
  /** Olga's claims, both with the same invoice file; Bob's claim with it too. */
  let first: string;
  let second: string;
  let bobs: string;

  const stored = async (number: string): Promise<Claim> => {
    const claim = await w.app.services.claims.get(tenant.id, number);
    assert.ok(claim);
    return claim;
  };
  /** The same invoice file (by hash) added to a claim through the store, as the owner. */
  const sameInvoice = (owner: TeamsUser, number: string) =>
    w.app.services.claims.update(tenant.id, number, `dup-${number}`, (c) =>
      addDocument(
        c,
        actorOf(owner),
        {
          id: `dup-${number}`,
          type: 'invoice',
          fileName: 'fabrikam-invoice.pdf',
          blobName: `${tenant.id}/${number}/dup/fabrikam-invoice.pdf`,
          size: 1000,
          contentType: 'application/pdf',
          sha256: SHARED_SHA,
          explanation: 'Venue',
        },
        new Date().toISOString(),
      ),
    );
  const open = (u: TeamsUser, number: string, opts = {}) =>
    w.teams.invoke(u, u.personal, 'openClaim', { claim: number }, undefined, opts);

  before(async () => {
    w = await startWorld();
    tenant = w.teams.tenant('contoso');
    const admin = w.teams.user(tenant, 'Ada Admin', { aadObjectId: w.bootstrapAdmins[0] });
    olga = w.teams.user(tenant, 'Olga Owner');
    bob = w.teams.user(tenant, 'Bob Builder');
    rita = w.teams.user(tenant, 'Rita Reviewer');
    group = w.teams.groupChat(tenant, [admin, olga, bob, rita]);
    await grant(w, admin, group, olga, 'incentives user');
    await grant(w, admin, group, bob, 'incentives user');
    await grant(w, admin, group, rita, 'reviewer');
    await addFund(w, admin, { 'Allocated amount': '100,000.00' });
    ({ number: first } = await createClaim(w, olga));
    ({ number: second } = await createClaim(w, olga));
    ({ number: bobs } = await createClaim(w, bob));
    for (const n of [first, second]) {
      await seedReady(w, olga, n);
      await sameInvoice(olga, n);
    }
  });
  after(async () => {
    await w?.stop();
  });

  it('both cards name the other claim to their owner, in English and in Dutch', async () => {
    assert.match(
      cardText((await open(olga, first)).card),
      new RegExp(`Also on ${second} \\(same file\\)`),
    );
    assert.match(
      cardText((await open(olga, second)).card),
      new RegExp(`Also on ${first} \\(same file\\)`),
    );
    const nl = cardText((await open(olga, first, NL)).card);
    assert.match(nl, new RegExp(`Ook op ${second} \\(hetzelfde bestand\\)`));
  });

  it('a claim the viewer may not see is "another claim": never its number', async () => {
    await sameInvoice(bob, bobs);
    const bobsCard = cardText((await open(bob, bobs)).card);
    assert.match(bobsCard, /Also on 2 other claims \(same file\)/);
    assert.doesNotMatch(bobsCard, new RegExp(`${first}|${second}`));
    const olgas = cardText((await open(olga, first)).card);
    assert.match(olgas, new RegExp(`Also on ${second}, another claim \\(same file\\)`));
    assert.doesNotMatch(olgas, new RegExp(bobs));
    const nl = cardText((await open(olga, first, NL)).card);
    assert.match(nl, new RegExp(`Ook op ${second}, een andere claim \\(hetzelfde bestand\\)`));
  });

  it('a warning, never a refusal: the owner submits the flagged claim', async () => {
    for (const claim of [first, second]) {
      const r = await w.teams.invoke(olga, olga.personal, 'submit', { claim });
      assert.equal(r.invokeStatus, 200);
      assert.equal((await stored(claim)).status, 'submitted');
    }
  });

  it('the owner cannot mark it checked: a forged click is refused and records nothing', async () => {
    const before = (await stored(first)).history.length;
    await invokeRefused(
      w,
      olga,
      'markNotDuplicate',
      { claim: first, invoiceKey: `f.${SHARED_SHA}` },
      NOT_ALLOWED,
    );
    assert.equal((await stored(first)).history.length, before);
    assert.equal((await stored(first)).duplicateChecks, undefined);
  });

  it('a reviewer marks it "checked, not a duplicate": history records it, the card shows it checked', async () => {
    const card = (await open(rita, first)).card;
    // Bob's claim, in Editing, is not the reviewer's to see.
    assert.match(cardText(card), new RegExp(`Also on ${second}, another claim \\(same file\\)`));
    assert.ok(buttonTitles(card ?? {}).includes('Checked, not a duplicate'));
    const r = await w.teams.invoke(rita, rita.personal, 'markNotDuplicate', {
      claim: first,
      invoiceKey: `f.${SHARED_SHA}`,
    });
    assert.match(r.text, /Marked as checked: not a duplicate\./);
    const claim = await stored(first);
    assert.equal(claim.history.at(-1)?.kind, 'duplicateChecked');
    assert.equal(claim.history.at(-1)?.by.name, 'Rita Reviewer');
    const after = (await open(rita, first)).card;
    assert.match(cardText(after), /checked, not a duplicate: Rita Reviewer/);
    assert.equal(buttonTitles(after ?? {}).includes('Checked, not a duplicate'), false);
    const nl = cardText((await open(olga, first, NL)).card);
    assert.match(nl, /gecontroleerd, geen dubbele factuur: Rita Reviewer/);
  });
});
