import assert from 'node:assert/strict';
import { addDocument } from '../../src/domain/claim';
import {
  ConfiguredWorld,
  listedDocument,
  pdfBytes,
  sha256,
  shownDocument,
  startWorldWith,
} from './fileKit';
import { FileServer } from './fileServer';
import { SharedClaim, blobSha, sharedClaim } from './messageIdKit';
import { actorOf } from './world';

describe('bot: message ids are per chat, so what they key is scoped by chat and sender (issue 28, hole 2)', () => {
  let w: ConfiguredWorld;
  let drive: FileServer;
  let c: SharedClaim;

  before(async () => {
    drive = await FileServer.start();
    // The stored blobs are read back from Azurite.
    w = await startWorldWith({ ALLOWED_DOWNLOAD_HOSTS: '127.0.0.1' }, { storage: 'emulators' });
    c = await sharedClaim(w, drive);
  });
  after(async () => {
    await w?.stop();
    await drive?.stop();
  });

  it('two people send proof.pdf with the same message id: both documents kept, each blob holds its own bytes', async () => {
    const olgasBytes = pdfBytes(9000);
    const carlsBytes = pdfBytes(7000);
    const first = await c.sendProof(c.olga, olgasBytes);
    assert.match(first.text, /Added proof\.pdf/);
    const second = await c.sendProof(c.carl, carlsBytes);
    assert.match(second.text, /Added proof\.pdf/);

    await c.assertOwnBytes({ 'Olga Owner': olgasBytes, 'Carl Contributor': carlsBytes });
  });

  it('a Teams retry (same chat, same sender, same id) files the document once and keeps its bytes', async () => {
    const bytes = pdfBytes(5000);
    const id = '1750000000777';
    await c.sendProof(c.olga, bytes, id);
    const count = (await c.stored()).documents.length;
    const retried = await c.sendProof(c.olga, pdfBytes(5000), id);
    assert.equal(retried.status, 200);
    assert.ok(shownDocument(retried.card, 'proof.pdf'), 'the answer is the claim card');
    const after = await c.stored();
    assert.equal(after.documents.length, count, 'no second document');
    const doc = after.documents.at(-1);
    assert.ok(doc);
    assert.equal(await blobSha(w, doc.blobName), sha256(bytes), 'the stored file is the first one');
    assert.equal(doc.sha256, sha256(bytes));
  });

  it('a retry of a comment is recognised after more than 40 later changes to the claim', async () => {
    const comment = () =>
      w.teams.invoke(
        c.olga,
        c.olga.personal,
        'comment',
        { claim: c.number, comment: 'First!' },
        undefined,
        {
          id: 'f:first-comment',
        },
      );
    await comment();
    for (let i = 0; i < 45; i++) {
      await w.teams.invoke(c.olga, c.olga.personal, 'comment', {
        claim: c.number,
        comment: `Note ${i}`,
      });
    }
    const retried = await comment();
    assert.equal(retried.invokeStatus, 200);
    const history = await w.app.services.claims.historyPage(await c.stored(), { size: 500 });
    const firsts = history.events.filter((e) => e.kind === 'commented' && e.note === 'First!');
    assert.equal(firsts.length, 1, 'the comment is recorded once');
  });

  it('a claim stored with old-style document ids (the message id alone) still reads and takes new files with that id', async () => {
    const oldId = '1750000000001';
    const old = `d-${oldId}-0`;
    await w.app.services.claims.update(c.tenant.id, c.number, 'old-style', (claim) =>
      addDocument(
        claim,
        actorOf(c.olga),
        {
          id: old,
          type: 'invoice',
          fileName: 'old.pdf',
          blobName: `${c.tenant.id}/${c.number}/${old}/old.pdf`,
          size: 1000,
          contentType: 'application/pdf',
          sha256: '0'.repeat(64),
          explanation: 'From before',
        },
        new Date().toISOString(),
      ),
    );
    const listed = await listedDocument(w.teams, c.olga, c.olga.personal, c.number, 'old.pdf');
    assert.equal(listed.explanation, 'From before');
    const bytes = pdfBytes(4000);
    const r = await c.sendProof(c.olga, bytes, oldId);
    assert.match(r.text, /Added proof\.pdf/);
    const docs = (await c.stored()).documents;
    assert.ok(
      docs.some((d) => d.id === old && d.fileName === 'old.pdf'),
      'the old document stays',
    );
    assert.equal(new Set(docs.map((d) => d.id)).size, docs.length, 'document ids are unique');
  });
});
