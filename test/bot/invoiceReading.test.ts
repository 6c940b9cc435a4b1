import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Recorded } from '../../testkit/connector';
import { Chat, TeamsUser, Tenant, cardText } from '../support/teams';
import { pdfBytes, recordedText, sendFiles, startWorldWith, ConfiguredWorld } from './fileKit';
import { FileServer } from './fileServer';
import { addFund, createClaim, grant } from './world';

const FIXTURES = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'invoices');
const fixture = (file: string) => readFileSync(path.join(FIXTURES, file));

describe('bot: the invoice total read from an upload (issue 20)', function () {
  this.timeout(60_000);
  let w: ConfiguredWorld;
  let drive: FileServer;
  let tenant: Tenant;
  let olga: TeamsUser;
  let group: Chat;
  let number: string;

  const upload = (text: string, name: string, bytes: Buffer) =>
    sendFiles(w.teams, olga, olga.personal, `${number} ${text}`, [
      { name, url: drive.serve(name, bytes) },
    ]);
  const stored = async () => {
    const claim = await w.app.services.claims.get(tenant.id, number);
    assert.ok(claim);
    return claim;
  };
  /** The newest card the bot put in (or updated in) a conversation after `seq`. */
  const latestCardIn = (conversationId: string, seq: number): string => {
    const records = w.connector.since(seq, conversationId) as Recorded[];
    assert.ok(records.length, `the bot wrote to ${conversationId}`);
    return recordedText(records[records.length - 1]);
  };

  before(async () => {
    drive = await FileServer.start();
    w = await startWorldWith({ ALLOWED_DOWNLOAD_HOSTS: '127.0.0.1' });
    tenant = w.teams.tenant('contoso');
    const admin = w.teams.user(tenant, 'Ada Admin', { aadObjectId: w.bootstrapAdmins[0] });
    olga = w.teams.user(tenant, 'Olga Owner');
    group = w.teams.groupChat(tenant, [admin, olga]);
    await grant(w, admin, group, olga, 'incentives user');
    await addFund(w, admin, { 'Allocated amount': '10,000.00' });
    ({ number } = await createClaim(w, olga, { Amount: '3,900.00' }));
  });
  after(async () => {
    await w?.stop();
    await drive?.stop();
  });

  it('answers the upload at once, then updates the same card with the total and how it compares', async () => {
    const r = await upload('invoice: catering', 'fabrikam.pdf', fixture('en-usd-event.text.pdf'));
    assert.equal(r.status, 200);
    assert.match(r.text, /Added fabrikam\.pdf/);
    assert.match(cardText(r.card), /Reading the total from the file …/);
    const seq = w.connector.seq;

    await w.app.invoices.idle();
    const doc = (await stored()).documents.find((d) => d.fileName === 'fabrikam.pdf');
    assert.equal(doc?.reading?.status, 'read');
    assert.deepEqual(doc?.reading?.status === 'read' && doc.reading.total, {
      minor: 389_700,
      currency: 'USD',
    });
    const updated = await w.connector.waitFor(
      (x) => x.seq > seq && x.op === 'update' && /Total read from the file/.test(recordedText(x)),
    );
    assert.ok(updated, 'the posted claim card was updated in place');
    const text = recordedText(updated);
    assert.match(text, /Total read from the file: \$3,897\.00/);
    assert.match(
      text,
      /The totals read from the invoices \(\$3,897\.00\) differ from the claimed amount \(\$3,900\.00\) by \$3\.00\./,
    );
    assert.equal(
      (await stored()).history.filter((e) => e.kind === 'documentAdded').length,
      1,
      'reading adds no history event',
    );
  });

  it('says when an invoice cannot be read, and reads nothing from a proof of execution', async () => {
    await upload('invoice: scanned upside down', 'broken.pdf', pdfBytes(8 * 1024));
    await upload('poe: photos of the booth', 'booth.pdf', fixture('en-usd-event.text.pdf'));
    await w.app.invoices.idle();
    const claim = await stored();
    const broken = claim.documents.find((d) => d.fileName === 'broken.pdf');
    assert.deepEqual(
      broken?.reading && [
        broken.reading.status,
        'reason' in broken.reading && broken.reading.reason,
      ],
      ['unreadable', 'damaged'],
    );
    assert.equal(claim.documents.find((d) => d.fileName === 'booth.pdf')?.reading, undefined);
    const seq = w.connector.seq;
    await w.teams.send(olga, olga.personal, `claim ${number}`);
    const card = latestCardIn(olga.personal.id, seq);
    assert.match(card, /The file could not be read\./);
    assert.equal(
      card.match(/Total read from the file/g)?.length,
      1,
      'only the invoice shows a total',
    );
  });

  it('submits with a warning, not a refusal, when the totals differ from the claimed amount', async () => {
    const metric = await w.teams.invoke(olga, olga.personal, 'addMetric', {
      claim: number,
      metricName: 'Attendees',
      metricValue: '120',
    });
    assert.equal(metric.invokeStatus, 200);
    const r = await w.teams.invoke(olga, olga.personal, 'submit', { claim: number });
    assert.match(r.text, /Submitted/, r.text);
    assert.match(r.text, /differ from the claimed amount \(\$3,900\.00\) by \$3\.00/);
    assert.equal((await stored()).status, 'submitted');
  });

  it('shows no totals on the card everybody in a group chat sees', async () => {
    const seq = w.connector.seq;
    await w.teams.send(olga, group, `<at>Co-op Claims</at> claim ${number}`);
    const everybody = latestCardIn(group.id, seq);
    assert.match(everybody, new RegExp(number), 'the group got the claim card');
    assert.doesNotMatch(everybody, /Total read from the file|totals read from the invoices/);
  });
});
