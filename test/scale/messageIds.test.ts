import assert from 'node:assert/strict';
import { RunningApp, startApp } from '../../src/app';
import { Balancer, startBalancer } from '../../testkit/balancer';
import { TeamsClient } from '../support/teams';
import { pdfBytes } from '../bot/fileKit';
import { FileServer } from '../bot/fileServer';
import { SharedClaim, blobSha, sharedClaim } from '../bot/messageIdKit';
import { World, startWorld } from '../bot/world';

/**
 * Message ids are per chat (issue 28, hole 2), under two instances behind a round-robin balancer:
 * the same id from two people is two documents, and a Teams retry landing on the other instance,
 * even at the same moment as its first try, has its effect once.
 */
describe('scale: the same message id from two people, and retries, on two instances (issue 28)', function () {
  this.timeout(120_000);
  let first: World;
  let w: World;
  let second: RunningApp;
  let balancer: Balancer;
  let drive: FileServer;
  let c: SharedClaim;

  before(async () => {
    drive = await FileServer.start();
    first = await startWorld({
      storage: 'emulators',
      env: { SCALE_OUT: 'true', ALLOWED_DOWNLOAD_HOSTS: '127.0.0.1' },
    });
    second = await startApp(first.config);
    balancer = await startBalancer({ upstreams: [first.app.url, second.url] });
    w = { ...first, teams: new TeamsClient(`${balancer.url}/api/messages`, first.connector) };
    c = await sharedClaim(w, drive);
  });
  after(async () => {
    await balancer?.stop();
    await second?.stop();
    await first?.stop();
    await drive?.stop();
  });

  it('two people send proof.pdf with the same id at once, one to each instance: two documents, each blob its own bytes', async () => {
    const olgasBytes = pdfBytes(9000);
    const carlsBytes = pdfBytes(7000);
    const answers = await Promise.all([
      c.sendProof(c.olga, olgasBytes),
      c.sendProof(c.carl, carlsBytes),
    ]);
    for (const a of answers) assert.match(a.text, /Added proof\.pdf/);
    await c.assertOwnBytes({ 'Olga Owner': olgasBytes, 'Carl Contributor': carlsBytes });
  });

  it('a file message and its Teams retry at the same moment, one on each instance: one document, its blob matching it', async () => {
    const bytes = pdfBytes(6000);
    const count = (await c.stored()).documents.length;
    const answers = await Promise.all([
      c.sendProof(c.olga, bytes, '1750000000500'),
      c.sendProof(c.olga, bytes, '1750000000500'),
    ]);
    for (const a of answers) assert.equal(a.status, 200);
    const after = await c.stored();
    assert.equal(after.documents.length, count + 1, 'one document');
    const doc = after.documents.at(-1);
    assert.ok(doc);
    assert.equal(await blobSha(w, doc.blobName), doc.sha256);
  });

  it('a comment and its Teams retry at the same moment, one on each instance: recorded once', async () => {
    const comment = () =>
      w.teams.invoke(
        c.olga,
        c.olga.personal,
        'comment',
        { claim: c.number, comment: 'Once' },
        undefined,
        {
          id: 'f:once',
        },
      );
    const answers = await Promise.all([comment(), comment()]);
    for (const a of answers) assert.equal(a.invokeStatus, 200);
    const events = (await c.stored()).history.filter((e) => e.note === 'Once');
    assert.equal(events.length, 1);
  });
});
