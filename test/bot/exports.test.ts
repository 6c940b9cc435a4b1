import assert from 'node:assert/strict';
import { Workbook } from 'exceljs';
import { readZip } from '../../testkit/zip';
import { storeDocuments } from '../../testkit/claimDocuments';
import type { Recorded } from '../../testkit/connector';
import { Card, Chat, TeamsUser, Tenant, cardText, factValue, findAction } from '../support/teams';
import { pdfBytes, recordedCard } from './fileKit';
import { World, addFund, createClaim, grant, startWorld } from './world';

/** The archive behind the Download link of an export card. */
async function download(card: Card | undefined): Promise<{ url: string; zip: Buffer }> {
  const url = String(findAction(card ?? {}, 'Download').action.url);
  assert.match(url, /sig=/, 'a signed link');
  const res = await fetch(url);
  assert.equal(res.status, 200);
  return { url, zip: Buffer.from(await res.arrayBuffer()) };
}

describe('bot: export CLM-… (issue 19)', () => {
  let w: World;
  let tenant: Tenant;
  let admin: TeamsUser;
  let olga: TeamsUser;
  let eve: TeamsUser;
  let group: Chat;
  let number: string;
  const files = new Map<string, Buffer>();

  before(async () => {
    w = await startWorld({ storage: 'emulators' });
    tenant = w.teams.tenant('contoso');
    admin = w.teams.user(tenant, 'Ada Admin', { aadObjectId: w.bootstrapAdmins[0] });
    olga = w.teams.user(tenant, 'Olga Owner');
    eve = w.teams.user(tenant, 'Eve Elsewhere');
    group = w.teams.groupChat(tenant, [admin, olga, eve]);
    await grant(w, admin, group, olga, 'incentives user');
    await grant(w, admin, group, eve, 'incentives user');
    await addFund(w, admin);
    ({ number } = await createClaim(w, olga, { Title: 'Export, "quoted"' }));
    for (const [name, size] of [
      ['invoice.pdf', 30_000],
      ['Invoice.PDF', 20_000],
      ['invoice.pdf', 10_000],
      ['../agenda.pdf', 5_000],
    ] as const) {
      files.set(`${name}#${size}`, pdfBytes(size));
    }
    await storeDocuments({
      files: w.app.services.files,
      claims: w.app.services.claims,
      tenantId: tenant.id,
      number,
      uploader: { id: olga.aadObjectId, name: olga.name },
      documents: [...files.entries()].map(([key, bytes]) => ({
        fileName: key.split('#')[0],
        bytes: () => bytes,
      })),
    });
  });
  after(async () => {
    await w?.app.notifications.idle();
    await w?.stop();
  });

  it('in the 1:1 chat: a private expiring link to a ZIP of every document, history.csv and claim.json', async () => {
    const r = await w.teams.send(olga, olga.personal, `export ${number.toLowerCase()}`);
    assert.equal(r.status, 200);
    assert.match(cardText(r.card), new RegExp(`Export of ${number}`));
    assert.equal(factValue(r.card, 'Documents'), '4');
    assert.match(cardText(r.card), /stops working within 15 minutes/);
    const { zip } = await download(r.card);
    const entries = await readZip(zip);
    assert.deepEqual(
      entries.map((e) => e.name),
      [
        'documents/invoice.pdf',
        'documents/Invoice (2).PDF',
        'documents/invoice (3).pdf',
        'documents/agenda.pdf',
        'history.csv',
        'claim.json',
      ],
    );
    const sizes = [...files.values()];
    entries.slice(0, 4).forEach((e, i) => assert.ok(e.data.equals(sizes[i]), e.name));

    const stored = await w.app.services.claims.get(tenant.id, number);
    assert.ok(stored);
    const csv = entries[4].data.toString('utf8').trimEnd().split('\r\n');
    assert.equal(csv[0], 'seq,at,by,byId,event,item,note,for,forId');
    assert.equal(csv.length, stored.history.length + 1, 'every event');
    assert.match(csv[1], /^1,.*,Olga Owner,.*,created,/);

    const record = JSON.parse(entries[5].data.toString('utf8')) as Record<string, unknown>;
    assert.equal(record.number, number);
    assert.equal(record.title, 'Export, "quoted"');
    assert.equal((record.documents as unknown[]).length, 4);
    assert.deepEqual(record.amount, stored.amount);
    for (const internal of ['outbox', 'postedCards', 'ledgerEntries', 'history']) {
      assert.equal(internal in record, false, `${internal} is not a claim field`);
    }
  });

  it('in a group chat: the link goes to the 1:1 chat, the group learns nothing of it', async () => {
    const since = w.connector.seq;
    const r = await w.teams.send(olga, group, `<at>Co-op Claims</at> export ${number}`);
    assert.match(r.text, new RegExp(`The export of ${number} is in your 1:1 chat with me`));
    const toGroup = r.sent.filter((x) => x.conversationId === group.id);
    assert.equal(toGroup.length, 1);
    assert.doesNotMatch(JSON.stringify(toGroup), /sig=|\.zip/);
    const privately = await w.connector.waitFor(
      (x: Recorded) => x.seq > since && x.conversationId === olga.personal.id,
    );
    assert.ok(privately, 'sent to the 1:1 chat');
    await download(recordedCard(privately));
    const inGroup = w.connector.since(since, group.id).map((x) => JSON.stringify(x.activity));
    assert.equal(
      inGroup.some((x) => /sig=/.test(x)),
      false,
    );
  });

  it('someone who may not see the claim gets "not found" and no export', async () => {
    const since = w.connector.seq;
    const r = await w.teams.send(eve, eve.personal, `export ${number}`);
    assert.match(r.text, new RegExp(`Claim ${number} was not found`));
    assert.equal(JSON.stringify(w.connector.since(since)).includes('sig='), false);
    const nobody = w.teams.user(tenant, 'Nora Nobody');
    assert.match(
      (await w.teams.send(nobody, nobody.personal, `export ${number}`)).text,
      /not found|no role/i,
    );
    assert.match((await w.teams.send(olga, olga.personal, 'export')).text, /Type: export CLM-0042/);
  });

  it('export fund: an XLSX of every claim of the fund with totals, formatted, without formulas (admins only)', async () => {
    await createClaim(w, olga, { Title: 'Second claim', Amount: '250.50' });
    const r = await w.teams.send(admin, admin.personal, 'export fund fy27 CO-OP');
    assert.match(cardText(r.card), /Export of the fund FY27 Co\\-op/);
    assert.equal(factValue(r.card, 'Claims'), '2');
    const { zip } = await download(r.card);
    const book = new Workbook();
    await book.xlsx.load(zip as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('Claims');
    assert.ok(sheet);
    const rows: unknown[][] = [];
    sheet.eachRow((row) => rows.push(Array.from(row.values as unknown[]).slice(1)));
    assert.deepEqual(rows[0], [
      'Claim',
      'Title',
      'Owner',
      'Status',
      'Claimed',
      'Approved',
      'Paid',
      'Leads',
      'Opportunities',
      'Pipeline',
      'Revenue won',
    ]);
    const claims = rows.slice(1, 3).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    assert.deepEqual(claims, [
      [number, 'Export, "quoted"', 'Olga Owner', 'Editing', 1250],
      [claims[1][0], 'Second claim', 'Olga Owner', 'Editing', 250.5],
    ]);
    assert.deepEqual(rows[3], ['Total', undefined, undefined, undefined, 0, 0, 0]);
    assert.deepEqual(rows[4], ['Allocated', undefined, undefined, undefined, 100000]);
    assert.deepEqual(rows[6], ['Reserved by requests', undefined, undefined, undefined, 0]);
    assert.match(
      String(rows[8][0]),
      /claims in Editing or Rejected are listed above but not added/,
    );
    assert.equal(sheet.getCell('E2').numFmt, '#,##0.00 "USD"');
    sheet.eachRow((row) =>
      row.eachCell((cell) =>
        assert.equal(cell.formula, undefined, `no formula in ${cell.address}`),
      ),
    );

    assert.match(
      (await w.teams.send(olga, olga.personal, 'export fund FY27 Co-op')).text,
      /You are not allowed to do that/,
    );
    assert.match(
      (await w.teams.send(admin, admin.personal, 'export fund Nope')).text,
      /That fund was not found/,
    );
  });

  it('a document whose file is gone from storage stops the export with a message naming it', async () => {
    const { number: broken } = await createClaim(w, olga, { Title: 'Half gone' });
    await storeDocuments({
      files: w.app.services.files,
      claims: w.app.services.claims,
      tenantId: tenant.id,
      number: broken,
      uploader: { id: olga.aadObjectId, name: olga.name },
      documents: [
        { fileName: 'kept.pdf', bytes: () => pdfBytes(2_000) },
        { fileName: 'lost.pdf', bytes: () => pdfBytes(2_000) },
      ],
    });
    const lost = (await w.app.services.claims.get(tenant.id, broken))?.documents.find(
      (d) => d.fileName === 'lost.pdf',
    );
    assert.ok(lost);
    await w.app.services.files.delete(lost.blobName);
    const r = await w.teams.send(olga, olga.personal, `export ${broken}`);
    assert.equal(r.status, 200);
    assert.match(
      r.text,
      /The file of lost\.pdf is missing from storage, so the export was not made/,
    );
    assert.equal(r.text.includes('sig='), false, 'no link to a half-made archive');
  });
});
