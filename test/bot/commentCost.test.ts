import assert from 'node:assert/strict';
import { addDocument } from '../../src/domain/claim';
import { TeamsUser, Tenant, cardText } from '../support/teams';
import {
  CountedWorld,
  actorOf,
  createClaim,
  grant,
  ownerWithClaim,
  seedReady,
  startCountedWorld,
} from './world';

const SHARED_SHA = 'e'.repeat(64);

/**
 * Issue 30: what a Comment turn (the heaviest everyday write) costs in storage requests and chat
 * calls, on the emulator behind a counting proxy: the answer and the update of a reviewer's posted
 * card both show the claim's duplicate invoices, found without a query while no invoice key of the
 * tenant changed.
 */
describe('bot: the storage requests and card updates of a Comment turn', function () {
  this.timeout(60_000);
  let w: CountedWorld;
  let tenant: Tenant;
  let olga: TeamsUser;
  let rita: TeamsUser;
  let number: string;
  let comments = 0;

  const claimRequests = () => w.claimRequests();
  /** The same invoice file (by hash) added to a claim through the store, as Olga. */
  const shared = (n: string) =>
    w.app.services.claims.update(tenant.id, n, `shared-${n}`, (c) =>
      addDocument(
        c,
        actorOf(olga),
        {
          id: `shared-${n}`,
          type: 'invoice',
          fileName: 'same-invoice.pdf',
          blobName: `${tenant.id}/${n}/shared/same-invoice.pdf`,
          size: 1000,
          contentType: 'application/pdf',
          sha256: SHARED_SHA,
          explanation: 'Venue',
        },
        new Date().toISOString(),
      ),
    );
  /** Olga comments from her card; returns the answer and Rita's card as it was updated. */
  const comment = async () => {
    const text = `Comment ${++comments}`;
    const since = w.connector.seq;
    const answer = await w.teams.invoke(
      olga,
      olga.personal,
      'comment',
      { claim: number, comment: text },
      'olgas-card',
    );
    const update = await w.connector.waitFor(
      (r) =>
        r.seq > since &&
        r.op === 'update' &&
        r.conversationId === rita.personal.id &&
        JSON.stringify(r.activity).includes(text),
    );
    return { answer, update };
  };

  before(async () => {
    w = await startCountedWorld();
    ({ tenant, owner: olga, number } = await ownerWithClaim(w, 'Olga Owner'));
    const admin = w.teams.user(tenant, 'Ada Admin', { aadObjectId: w.bootstrapAdmins[0] });
    rita = w.teams.user(tenant, 'Rita Reviewer');
    await grant(w, admin, w.teams.groupChat(tenant, [admin, rita]), rita, 'reviewer');
    await seedReady(w, olga, number);
    await shared(number);
    const shown = await w.teams.send(olga, olga.personal, `claim ${number}`);
    await w.teams.click(olga, olga.personal, shown, 'Submit claim');
    // Rita's card of the claim in her 1:1 chat, which every change brings up to date.
    await w.teams.send(rita, rita.personal, `claim ${number}`);
    await comment();
  });
  after(async () => {
    await w?.stop();
  });

  it('writes once and queries no invoice keys while none of the tenant changed', async () => {
    // Past the second in which one instance's turns share what they read (server.ts), so that this
    // turn reads for itself.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const before = claimRequests();
    const { answer, update } = await comment();
    assert.match(cardText(answer.card), /Comment 2/);
    assert.ok(update, "Rita's posted card was not updated");
    const after = claimRequests();
    const spent = Object.fromEntries(
      Object.entries(after)
        .map(([k, v]) => [k, v - (before[k] ?? 0)] as const)
        .filter(([, v]) => v > 0),
    );
    // (The tenant record's stamps are read again too, once past that second: claims.read.) The
    // duplicates found for the answer and the posted card are kept while the tenant's invoice-key
    // stamp stays: no query, where it was one a turn (and the emulator scans the container for it).
    assert.equal(spent['claims.batch'], 1, JSON.stringify(spent));
    assert.equal(spent['claims.query'] ?? 0, 0, JSON.stringify(spent));
  });

  it('shows an invoice this process just added to another claim at once', async () => {
    const { number: other } = await createClaim(w, olga);
    await comment();
    await shared(other);
    const { answer, update } = await comment();
    assert.match(cardText(answer.card), new RegExp(`Also on ${other} \\(same file\\)`));
    assert.match(JSON.stringify(update?.activity), /same file/);
  });
});
