import assert from 'node:assert/strict';
import { TEAMS_CONVERSATION_LIMITS } from '../../src/notify/rateLimiter';
import { ORPHAN_GRACE_MS, sweepOrphanBlobs } from '../../src/store/orphans';
import { Chat, TeamsUser, Tenant, TurnResult, cardText, findInput } from '../support/teams';
import { maxInWindow, waitUntil, writesByConversation } from '../notify/helpers';
import { recordGrants } from '../support/grants';
import {
  blobContainer,
  blobNames,
  elfBytes,
  imageMessage,
  pdfBytes,
  pngBytes,
  pressIn,
  progressMessage,
  UPLOADING,
  recordedCard,
  recordedText,
  fileMessage,
  sendFiles,
  sha256,
  listedDocument,
  shownDocument,
  shownDocuments,
  startWorldWith,
  ConfiguredWorld,
} from './fileKit';
import { FileServer } from './fileServer';
import { addFund, createClaim, grant, seedReady } from './world';

const KB = 1024;
const MB = 1024 * KB;

describe('bot: documents sent as files in the 1:1 chat (issue 3)', function () {
  // Its tests build on each other (one claim, its documents): a test run again alone proves nothing.
  this.retries(0);
  let w: ConfiguredWorld;
  let drive: FileServer;
  let tenant: Tenant;
  let admin: TeamsUser;
  let olga: TeamsUser;
  let ian: TeamsUser;
  let group: Chat;
  let number: string;

  const stored = async (n = number) => {
    const claim = await w.app.services.claims.get(tenant.id, n);
    assert.ok(claim, `${n} is stored`);
    return claim;
  };
  const open = (u: TeamsUser, n = number) => w.teams.send(u, u.personal, `claim ${n}`);
  const prefix = (n = number) => `${tenant.id}/${n}/`;
  const send = (u: TeamsUser, text: string, name: string, url: string, chat = u.personal) =>
    sendFiles(w.teams, u, chat, text, [{ name, url }]);

  /** The file was refused with `reason`: no document and no blob more than before. */
  async function assertRefused(
    r: TurnResult,
    reason: RegExp,
    before: { documents: number; blobs: string[] },
  ): Promise<void> {
    assert.equal(r.status, 200);
    assert.match(r.text, /The file was not added: /);
    assert.match(r.text, reason);
    assert.equal((await stored()).documents.length, before.documents, 'no document was added');
    assert.deepEqual(await blobNames(w, prefix()), before.blobs, 'no blob was left behind');
  }
  const snapshot = async () => ({
    documents: (await stored()).documents.length,
    blobs: await blobNames(w, prefix()),
  });

  before(async () => {
    drive = await FileServer.start();
    w = await startWorldWith(
      { MAX_UPLOAD_MB: '1', ALLOWED_DOWNLOAD_HOSTS: '127.0.0.1' },
      { storage: 'emulators' },
    );
    tenant = w.teams.tenant('contoso');
    admin = w.teams.user(tenant, 'Ada Admin', { aadObjectId: w.bootstrapAdmins[0] });
    olga = w.teams.user(tenant, 'Olga Owner');
    ian = w.teams.user(tenant, 'Ian Incentives');
    group = w.teams.groupChat(tenant, [admin, olga, ian]);
    await grant(w, admin, group, olga, 'incentives user');
    await grant(w, admin, group, ian, 'incentives admin');
    await addFund(w, ian, { 'Allocated amount': '10,000.00' });
    ({ number } = await createClaim(w, olga, { Amount: '2,000.00' }));
  });
  after(async () => {
    await w?.stop();
    await drive?.stop();
  });

  it('files a PDF named in the message: shown with explanation, uploader, size and an Open link to the same bytes', async () => {
    const pdf = pdfBytes(20 * KB);
    const url = drive.serve('invoice.pdf', pdf);
    const r = await send(olga, `${number} invoice: catering for the launch`, 'invoice.pdf', url);
    assert.equal(r.status, 200);
    assert.match(r.text, new RegExp(`Added invoice\\.pdf to ${number}`));
    const shown = shownDocument(r.card, 'invoice.pdf');
    assert.equal(shown.group, 'Invoice');
    const listed = await listedDocument(w.teams, olga, olga.personal, number, 'invoice.pdf');
    assert.equal(listed.explanation, 'catering for the launch');
    assert.equal(listed.uploaded, 'Olga Owner, 20 KB');

    const link = await fetch(shown.url);
    assert.equal(link.status, 200);
    assert.equal(link.headers.get('content-type'), 'application/pdf');
    assert.equal(sha256(Buffer.from(await link.arrayBuffer())), sha256(pdf));
    assert.match(shown.url, /[?&]sig=/, 'the Open link is a signed (SAS) URL');
    const anonymous = await fetch(shown.url.split('?')[0]);
    assert.notEqual(anonymous.status, 200, 'the blob is not public without the SAS');

    const doc = (await stored()).documents.find((d) => d.fileName === 'invoice.pdf');
    assert.ok(doc);
    assert.equal(doc.type, 'invoice');
    assert.equal(doc.size, pdf.length);
    assert.equal(doc.sha256, sha256(pdf));
    assert.equal(doc.contentType, 'application/pdf');
    assert.equal(doc.uploadedBy.id, olga.aadObjectId);
    assert.ok(doc.blobName.startsWith(prefix()), doc.blobName);
    const props = await blobContainer(w).getBlobClient(doc.blobName).getProperties();
    assert.equal(props.metadata?.sha256, sha256(pdf));
    const event = (await stored()).history.at(-1);
    assert.equal(event?.kind, 'documentAdded');
    assert.match(event?.item ?? '', /\binvoice\.pdf\b/, 'the event names the file');
  });

  it('asks for claim, type and explanation when the message says nothing, keeps the file in Cosmos, and files it when answered', async () => {
    const pdf = pdfBytes(12 * KB);
    const r = await send(olga, '', 'photos.pdf', drive.serve('photos.pdf', pdf));
    assert.match(cardText(r.card), /^Which claim is this for\?$/m);
    assert.match(cardText(r.card), /^\W*photos\.pdf$/m, 'the question names the file');
    for (const label of ['Claim', 'Type', 'Explanation']) {
      assert.ok(r.card && findInput(r.card, label), `the question has an input "${label}"`);
    }
    const pending = await w.app.services.uploads.get(tenant.id, olga.aadObjectId);
    assert.deepEqual(
      pending?.files.map((f) => f.name),
      ['photos.pdf'],
    );
    assert.equal((await stored()).documents.length, 1, 'nothing filed before the answer');

    const filed = await w.teams.click(olga, olga.personal, r, 'Add document', {
      Claim: number,
      Type: 'Proof of execution',
      Explanation: 'Photos of the booth',
    });
    assert.equal(filed.invokeStatus, 200);
    const shown = shownDocument(filed.card, 'photos.pdf');
    assert.equal(shown.group, 'Proof of execution');
    const listed = await listedDocument(w.teams, olga, olga.personal, number, 'photos.pdf');
    assert.equal(listed.explanation, 'Photos of the booth');
    const doc = (await stored()).documents.find((d) => d.fileName === 'photos.pdf');
    assert.equal(doc?.type, 'poe');
    assert.equal(doc?.sha256, sha256(pdf));
    assert.equal(await w.app.services.uploads.get(tenant.id, olga.aadObjectId), undefined);
  });

  it('Add document on the claim card, then the file: filed with the chosen type and explanation', async () => {
    const asked = await w.teams.click(olga, olga.personal, await open(olga), 'Add document', {
      Type: 'CSR (certification statement and report)',
      Explanation: 'Signed CSR for the webinar',
    });
    assert.match(asked.text, /Now send the file in this chat/);
    const r = await send(olga, '', 'csr.pdf', drive.serve('csr.pdf', pdfBytes(3 * KB)));
    const shown = shownDocument(r.card, 'csr.pdf');
    assert.equal(shown.group, 'CSR (certification statement and report)');
    const listed = await listedDocument(w.teams, olga, olga.personal, number, 'csr.pdf');
    assert.equal(listed.explanation, 'Signed CSR for the webinar');
  });

  it('files a pasted PNG image', async () => {
    const png = pngBytes(8 * KB);
    const url = drive.serve('booth.png', png);
    const r = await w.teams.post(
      imageMessage(w.teams, olga, olga.personal, `${number} poe: the booth`, {
        name: 'booth.png',
        url,
        contentType: 'image/png',
      }),
    );
    assert.match(r.text, /Added booth\.png/);
    const shown = shownDocument(r.card, 'booth.png');
    const listed = await listedDocument(w.teams, olga, olga.personal, number, 'booth.png');
    assert.equal(listed.explanation, 'the booth');
    const link = await fetch(shown.url);
    assert.equal(link.headers.get('content-type'), 'image/png');
    assert.equal(sha256(Buffer.from(await link.arrayBuffer())), sha256(png));
  });

  it('refuses a 0-byte file', async () => {
    const before = await snapshot();
    const r = await send(
      olga,
      `${number} other: empty`,
      'empty.pdf',
      drive.serve('e.pdf', Buffer.alloc(0)),
    );
    await assertRefused(r, /the file is empty/, before);
  });

  it('aborts a file over the limit while streaming, leaving no blob', async () => {
    const before = await snapshot();
    const url = drive.serve('big.pdf', pdfBytes(3 * MB), { drip: true });
    const r = await send(olga, `${number} invoice: too big`, 'big.pdf', url);
    await assertRefused(r, /it is larger than 1 MB/, before);
    const [served] = drive.hits(url);
    assert.ok(served, 'the file was requested');
    await waitUntil('the download connection to close', () => served.closed, 3000);
    assert.equal(served.complete, false, 'the download was aborted before its end');
    assert.ok(served.sent < 2 * MB, `stopped soon after the limit (sent ${served.sent} bytes)`);
  });

  it('refuses a renamed executable (ELF bytes in a .pdf)', async () => {
    const before = await snapshot();
    const url = drive.serve('report.pdf', elfBytes(16 * KB));
    const r = await send(olga, `${number} invoice: totally a pdf`, 'report.pdf', url);
    await assertRefused(r, /this type of file is not allowed/, before);
  });

  it('refuses a legacy Office file (.doc: macros) and says how to send it instead', async () => {
    const before = await snapshot();
    const ole = Buffer.concat([
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
      Buffer.alloc(8 * KB, 1),
    ]);
    const url = drive.serve('agenda.doc', ole);
    const r = await send(olga, `${number} poe: the agenda`, 'agenda.doc', url);
    await assertRefused(r, /legacy Office file .* macros\. Save it as PDF or as \.docx/, before);
  });

  it('stores a path-traversal name under a sanitized name inside the claim', async () => {
    const url = drive.serve('x.pdf', pdfBytes(2 * KB));
    const r = await send(olga, `${number} other: traversal`, '../../x.pdf', url);
    assert.match(r.text, /Added/);
    const doc = (await stored()).documents.find((d) => d.explanation === 'traversal');
    assert.ok(doc, 'the document was filed');
    assert.equal(doc.fileName, 'x.pdf');
    assert.ok(doc.blobName.startsWith(prefix()), doc.blobName);
    assert.ok(!doc.blobName.split('/').some((s) => s === '..' || s === '.'), doc.blobName);
    assert.match(doc.blobName, /^[^/]+\/CLM-\d{4}\/[A-Za-z0-9-]+\/x\.pdf$/);
    assert.ok((await blobNames(w, prefix())).includes(doc.blobName));
    assert.ok(shownDocument(r.card, 'x.pdf'));
  });

  it('refuses download URLs on disallowed hosts, also behind a redirect', async () => {
    const before = await snapshot();
    for (const url of [
      'http://169.254.169.254/latest/meta-data/x.pdf',
      'http://example.invalid/x.pdf',
      'file:///etc/passwd',
      drive.redirect('away.pdf', 'http://example.invalid/away.pdf'),
    ]) {
      const r = await send(olga, `${number} invoice: elsewhere`, 'x.pdf', url);
      await assertRefused(r, /it does not come from an allowed location/, before);
    }
  });

  it('refuses a download that breaks off half-way, leaving no blob and no document', async () => {
    const before = await snapshot();
    const url = drive.breakAfter('half.pdf', pdfBytes(900 * KB), 300 * KB);
    const r = await send(olga, `${number} invoice: half`, 'half.pdf', url);
    await assertRefused(r, /it could not be downloaded/, before);
    assert.equal(drive.hits(url).length, 1);
  });

  it('keeps both documents when two users upload to the claim at the same moment', async () => {
    const before = (await stored()).documents.length;
    const [a, b] = await Promise.all([
      send(olga, `${number} poe: from Olga`, 'olga.pdf', drive.serve('o.pdf', pdfBytes(40 * KB))),
      send(ian, `${number} poe: from Ian`, 'ian.pdf', drive.serve('i.pdf', pdfBytes(40 * KB))),
    ]);
    assert.match(a.text, /Added olga\.pdf/);
    assert.match(b.text, /Added ian\.pdf/);
    const docs = (await stored()).documents;
    assert.equal(docs.length, before + 2);
    const blobs = await blobNames(w, prefix());
    for (const name of ['olga.pdf', 'ian.pdf']) {
      const doc = docs.find((d) => d.fileName === name);
      assert.ok(doc, `${name} kept`);
      assert.ok(blobs.includes(doc.blobName), `${name} has its blob`);
    }
    assert.equal(docs.find((d) => d.fileName === 'ian.pdf')?.uploadedBy.name, 'Ian Incentives');
  });

  it('refuses a file for a submitted claim without downloading it', async () => {
    const { number: submitted } = await createClaim(w, olga, { Title: 'Submitted already' });
    await seedReady(w, olga, submitted);
    const s = await w.teams.invoke(olga, olga.personal, 'submit', { claim: submitted });
    // No one holds the Reviewer role in this tenant: the answer says so rather than "told".
    assert.match(s.text, /Submitted\. No one may review it yet/);

    const before = (await stored(submitted)).documents.length;
    const url = drive.serve('late.pdf', pdfBytes(4 * KB));
    const r = await send(olga, `${submitted} invoice: late`, 'late.pdf', url);
    assert.match(r.text, /This cannot be done while the claim is Submitted/);
    assert.equal((await stored(submitted)).documents.length, before);
    assert.deepEqual(await blobNames(w, prefix(submitted)), []);
    assert.equal(drive.hits(url).length, 0, 'the file was not even downloaded');
  });

  it('answers a file in a group chat with "only in our 1:1 chat"', async () => {
    const url = drive.serve('group.pdf', pdfBytes(4 * KB));
    const before = await snapshot();
    const r = await send(olga, `${number} invoice: group`, 'group.pdf', url, group);
    assert.equal(r.status, 200);
    assert.match(r.text, /I can only receive files in our 1:1 chat/);
    assert.equal(drive.hits(url).length, 0);
    assert.deepEqual(await snapshot(), before);
  });

  it('Manage documents: edits an explanation, as a history event', async () => {
    const card = (await open(olga)).card;
    const { verb, data } = pressIn(card, 'Manage documents', 'Save explanation', {
      Document: 'invoice.pdf (Invoice)',
      'New explanation': 'Catering for 40 guests',
    });
    const r = await w.teams.invoke(olga, olga.personal, verb, data);
    assert.match(r.text, /Saved\./);
    const listed = await listedDocument(w.teams, olga, olga.personal, number, 'invoice.pdf');
    assert.equal(listed.explanation, 'Catering for 40 guests');
    const claim = await stored();
    assert.equal(
      claim.documents.find((d) => d.fileName === 'invoice.pdf')?.explanation,
      'Catering for 40 guests',
    );
    const event = claim.history.at(-1);
    assert.equal(event?.kind, 'explanationEdited');
    assert.match(event?.item ?? '', /\binvoice\.pdf\b/);
  });

  it('Manage documents: replaces a file: the old blob is deleted, the new one listed, history says replaced', async () => {
    const old = (await stored()).documents.find((d) => d.fileName === 'x.pdf');
    assert.ok(old);
    const count = (await stored()).documents.length;
    const { verb, data } = pressIn((await open(olga)).card, 'Manage documents', 'Replace file', {
      Document: 'x.pdf (Other)',
    });
    const asked = await w.teams.invoke(olga, olga.personal, verb, data);
    assert.match(asked.text, /Now send the new file for x\.pdf in this chat/);

    const pdf = pdfBytes(5 * KB);
    const r = await send(olga, '', 'x-v2.pdf', drive.serve('x-v2.pdf', pdf));
    assert.match(r.text, /Added x-v2\.pdf/);
    const claim = await stored();
    assert.equal(claim.documents.length, count, 'replaced, not added');
    assert.equal(
      claim.documents.some((d) => d.id === old.id),
      false,
    );
    const now = claim.documents.find((d) => d.fileName === 'x-v2.pdf');
    assert.ok(now);
    assert.equal(now.type, 'other');
    assert.equal(now.explanation, 'traversal', 'the explanation carries over');
    assert.equal(now.sha256, sha256(pdf));
    const blobs = await blobNames(w, prefix());
    assert.ok(blobs.includes(now.blobName), 'the new blob is listed');
    assert.equal(blobs.includes(old.blobName), false, 'the old blob is deleted');
    const event = claim.history.at(-1);
    assert.equal(event?.kind, 'documentReplaced');
    assert.match(event?.item ?? '', /\bx\.pdf\b.*\bx-v2\.pdf\b/, 'names the old and the new file');
    assert.equal(shownDocuments(r.card).filter((d) => d.fileName === 'x.pdf').length, 0);
  });

  it('Manage documents: removes a document and its blob, as a history event', async () => {
    const doc = (await stored()).documents.find((d) => d.fileName === 'csr.pdf');
    assert.ok(doc);
    assert.ok((await blobNames(w, prefix())).includes(doc.blobName));
    const { verb, data } = pressIn((await open(olga)).card, 'Manage documents', 'Remove document', {
      Document: 'csr.pdf (CSR (certification statement and report))',
    });
    const r = await w.teams.invoke(olga, olga.personal, verb, data);
    assert.match(r.text, /Removed csr\.pdf\./);
    assert.equal(
      shownDocuments(r.card).some((d) => d.fileName === 'csr.pdf'),
      false,
    );
    const claim = await stored();
    assert.equal(
      claim.documents.some((d) => d.id === doc.id),
      false,
    );
    assert.equal((await blobNames(w, prefix())).includes(doc.blobName), false);
    const event = claim.history.at(-1);
    assert.equal(event?.kind, 'documentRemoved');
    assert.match(event?.item ?? '', /\bcsr\.pdf\b/);
  });

  it('sweeps a blob without a document record once it is older than the grace period, and keeps listed ones', async () => {
    const orphans = [`${prefix()}d-crashed/lost.pdf`, `${tenant.id}/CLM-0999/d-gone/gone.pdf`];
    for (const name of orphans) {
      const bytes = pdfBytes(KB);
      await blobContainer(w).getBlockBlobClient(name).upload(bytes, bytes.length);
    }
    const { files, claims } = w.app.services;
    assert.deepEqual(await sweepOrphanBlobs(files, claims, new Date()), [], 'young blobs stay');
    const later = new Date(Date.now() + ORPHAN_GRACE_MS + 60_000);
    assert.deepEqual((await sweepOrphanBlobs(files, claims, later)).sort(), [...orphans].sort());
    const left = await blobNames(w);
    for (const name of orphans) assert.equal(left.includes(name), false, `${name} removed`);
    const listed = (await stored()).documents.map((d) => d.blobName);
    assert.ok(listed.length >= 5);
    for (const name of listed) assert.ok(left.includes(name), `${name} kept`);
  });
  // ---- progress of slow uploads --------------------------------------------------------------------

  /** When the connector received each write (post or update) of the activity `activityId`. */
  const writeTimes = (from: number, chat: Chat, activityId: string, until = Infinity): number[] =>
    w.connector.requests
      .slice(from)
      .filter(
        (q) =>
          q.at <= until &&
          ((q.method === 'POST' && decodeURIComponent(q.path).includes(`/${chat.id}/`)) ||
            (q.method === 'PUT' && q.path.endsWith(`/activities/${activityId}`))),
      )
      .map((q) => q.at);

  const assertWithinTeamsLimits = (times: readonly number[], what: string) => {
    for (const { windowMs, max } of TEAMS_CONVERSATION_LIMITS) {
      const seen = maxInWindow(times, windowMs);
      assert.ok(seen <= max, `${what}: ${seen} writes in ${windowMs} ms (max ${max})`);
    }
  };

  /** A new user with `role` and a quiet 1:1 chat (other tests' claim cards keep Olga's busy). */
  const newcomer = async (name: string, role: string): Promise<TeamsUser> => {
    const user = w.teams.user(tenant, name);
    await grant(w, admin, w.teams.groupChat(tenant, [admin, user]), user, role);
    return user;
  };

  it('shows a slow upload in one "Uploading …" message, updated in place every 2 s, which then holds the claim card', async () => {
    const sam = await newcomer('Sam Slow', 'incentives admin');
    const url = drive.serve('slow.pdf', pdfBytes(600 * KB), { overMs: 4500 });
    const from = w.connector.requests.length;
    const r = await send(sam, `${number} poe: the slow one`, 'slow.pdf', url, sam.personal);
    const turnEnded = Date.now();
    const { message, versions, texts, progress } = progressMessage(r.sent, sam.personal);

    assert.match(texts[0], /^Uploading slow\.pdf … \d+%$/);
    assert.ok(progress.length >= 2, `updated while streaming: ${texts.join(' | ')}`);
    assert.deepEqual(texts.slice(0, progress.length), progress, 'progress first, then the answer');
    const percents = progress.map((t) => Number(/(\d+)%$/.exec(t)?.[1]));
    assert.deepEqual(
      percents,
      [...percents].sort((a, b) => a - b),
      'the percentage only grows',
    );
    assert.ok(percents[0] < percents.at(-1)!, `${percents}`);
    assert.match(texts[progress.length], new RegExp(`Added slow\\.pdf to ${number}`));
    assert.equal(
      shownDocument(recordedCard(versions.at(-1)), 'slow.pdf').group,
      'Proof of execution',
    );

    const times = writeTimes(from, sam.personal, message.activityId, turnEnded);
    assert.equal(times.length, versions.length, 'every write of the message is counted');
    assertWithinTeamsLimits(times, 'the progress message');
    const gaps = times.slice(1, progress.length).map((t, i) => t - times[i]);
    assert.ok(
      gaps.every((gap) => gap >= 1800),
      `updates spaced out (gaps: ${gaps} ms)`,
    );

    const posted = (await stored()).postedCards ?? [];
    assert.ok(
      posted.some((c) => c.activityId === message.activityId && c.viewerId === sam.aadObjectId),
      'the claim card that took the place of the progress message is remembered',
    );
  });

  it('shows the bytes received when the size is unknown, in one message for several files', async () => {
    const files = ['one.pdf', 'two.pdf'].map((name) => ({
      name,
      url: drive.serve(name, pdfBytes(300 * KB), { overMs: 1500, unknownSize: true }),
    }));
    const una = await newcomer('Una Unknown', 'incentives admin');
    const r = await sendFiles(w.teams, una, una.personal, `${number} poe: a pair`, files);
    const { versions, texts, progress } = progressMessage(r.sent, una.personal);
    assert.match(texts[0], /^Uploading one\.pdf \(1 of 2\) … [\d.]+ KB so far$/);
    for (const text of progress) {
      assert.match(text, /^Uploading (one|two)\.pdf \([12] of 2\) … [\d.]+ KB so far$/);
    }
    assert.match(texts.at(-1)!, new RegExp(`Added one\\.pdf, two\\.pdf to ${number}`));
    for (const name of ['one.pdf', 'two.pdf'])
      assert.ok(shownDocument(recordedCard(versions.at(-1)), name));
  });

  it('answers a message Teams sends again during a long upload in the one progress message, filing the file once', async () => {
    const rio = await newcomer('Rio Retry', 'incentives admin');
    const url = drive.serve('retried.pdf', pdfBytes(300 * KB), { overMs: 2500 });
    const activity = fileMessage(w.teams, rio, rio.personal, `${number} poe: sent again`, [
      { name: 'retried.pdf', url },
    ]);
    const first = w.teams.post(activity);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const again = await w.teams.post(activity);
    assert.equal(again.status, 200);
    const r = await first;
    const { texts } = progressMessage([...r.sent, ...again.sent], rio.personal);
    assert.match(texts.at(-1)!, /Added retried\.pdf/);
    const filed = (await stored()).documents.filter((d) => d.fileName === 'retried.pdf');
    assert.equal(filed.length, 1);
  });

  it('posts nothing but the claim card for a small file', async () => {
    const url = drive.serve('quick.pdf', pdfBytes(4 * KB));
    const r = await send(olga, `${number} other: quick`, 'quick.pdf', url);
    const here = r.sent.filter((s) => s.conversationId === olga.personal.id);
    const posted = here.filter((s) => s.op === 'send' || s.op === 'reply');
    assert.equal(posted.length, 1);
    assert.match(recordedText(posted[0]), /Added quick\.pdf/);
    assert.ok(shownDocument(recordedCard(posted[0]), 'quick.pdf'));
    assert.equal(here.filter((s) => UPLOADING.test(recordedText(s).trim())).length, 0);
  });

  it('ends a slow upload that breaks off with the refusal in the progress message, leaving no blob and no document', async () => {
    const before = await snapshot();
    const url = drive.serve('broken.pdf', pdfBytes(900 * KB), {
      overMs: 2500,
      breakAfter: 600 * KB,
    });
    const bo = await newcomer('Bo Broken', 'incentives admin');
    const r = await send(bo, `${number} invoice: breaks off`, 'broken.pdf', url, bo.personal);
    const { texts, progress } = progressMessage(r.sent, bo.personal);
    assert.match(texts[0], /^Uploading broken\.pdf … \d+%$/);
    assert.ok(progress.length >= 1);
    assert.match(texts.at(-1)!, /The file was not added: it could not be downloaded/);
    assert.deepEqual(await snapshot(), before);
  });

  it('keeps the claim card that took the place of the progress message up to date', async () => {
    const pia = await newcomer('Pia Partner', 'incentives user');
    const { number: own } = await createClaim(w, pia, { Title: 'Pia’s event' });
    const url = drive.serve('later.pdf', pdfBytes(200 * KB), { overMs: 1500 });
    const r = await send(pia, `${own} poe: changed later`, 'later.pdf', url, pia.personal);
    const { message, progress } = progressMessage(r.sent, pia.personal);
    assert.ok(progress.length >= 1, 'progress was shown');
    const since = w.connector.seq;
    const metric = { claim: own, metricName: 'Booth visitors', metricValue: '321' };
    assert.equal((await w.teams.invoke(ian, ian.personal, 'addMetric', metric)).invokeStatus, 200);
    const updated = await w.connector.waitFor(
      (s) =>
        s.seq > since &&
        s.op === 'update' &&
        s.activityId === message.activityId &&
        /Booth visitors/.test(recordedText(s)),
      15_000,
    );
    assert.ok(updated, 'the card in the former progress message shows the new metric');
  });

  it('keeps many slow uploads in one chat within Teams’ per-conversation limits, their progress included', async function () {
    // Nine files at Teams' pace (8 writes in 2 s) on a busy machine: more than mocha's 20 s.
    this.timeout(60_000);
    const uma = await newcomer('Uma Uploader', 'incentives admin');
    const count = 9;
    const from = w.connector.requests.length;
    const slots = recordGrants(w.app.conversationLimiter, uma.personal.id);
    // Downloads hang until progress showed, then break off: no race of a progress tick against a
    // file's end. (A show with no room is dropped, not queued: progressMessage.test.ts.)
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const answers = Promise.all(
      Array.from({ length: count }, (_, i) => {
        const url = drive.serve(`burst-${i}.pdf`, pdfBytes(900 * KB), {
          heldUntil: held,
          breakAfter: 300 * KB,
        });
        return send(uma, `${number} poe: burst ${i}`, `burst-${i}.pdf`, url, uma.personal);
      }),
    );
    const shown = () =>
      w.connector.delivered(uma.personal.id).some((m) => UPLOADING.test(recordedText(m).trim()));
    await waitUntil('progress in the chat', shown, 30_000).finally(release);
    const results = await answers;
    assert.ok(results.every((r) => r.status === 200));

    const messages = w.connector.delivered(uma.personal.id);
    assert.equal(messages.length, count, 'one message per file message');
    for (const m of messages) {
      const answer = recordedText(w.connector.latest(uma.personal.id, m.activityId)!);
      assert.match(answer, /The file was not added: it could not be downloaded/);
    }
    slots.stop();
    const writes = writesByConversation(w.connector, from).get(uma.personal.id) ?? [];
    // Judged when the app granted each write its slot, not when the connector received it: on a
    // busy machine a request can arrive late, beside later ones (as in scale/balanced).
    assert.ok(
      slots.grants.length >= writes.length,
      `${slots.grants.length} slots, ${writes.length} writes`,
    );
    assertWithinTeamsLimits(slots.grants, 'all writes into the chat');
  });
});
