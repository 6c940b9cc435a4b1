import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { DEMO_DOCUMENTS_DIR } from '../../src/demo/demoDocuments';
import { TeamsUser, buttonTitles, cardText } from '../support/teams';
import { World, ownerWithClaim, startWorld } from './world';

/**
 * Issue 29: `attach <file> to CLM-x as invoice <explanation>`, the local loop's way to send a file
 * (the Agents Playground has no attach button): a file of demo/documents, through the same upload
 * path as a Teams file. Only in the local loop (config.localLoop), never otherwise.
 */
describe('bot: attach a demo file in the local loop (issue 29)', function () {
  this.timeout(60_000);

  describe('in the local loop', () => {
    let w: World;
    let owner: TeamsUser;
    let number: string;

    before(async () => {
      w = await startWorld({ storage: 'emulators', env: { DEMO_SEED: 'true' } });
      ({ owner, number } = await ownerWithClaim(w, 'Olga Owner'));
    });
    after(async () => {
      await w?.app.invoices.idle();
      await w?.stop();
    });

    it('attach alone lists the files of demo/documents, each with an Attach button', async () => {
      const r = await w.teams.send(owner, owner.personal, 'attach');
      const text = cardText(r.card);
      assert.match(text, /Files to attach \(local loop\)/);
      assert.match(text, /invoice-keynote\.pdf/);
      assert.match(text, /webinar-attendance\.png/);
      assert.ok(buttonTitles(r.card ?? {}).includes('Attach'));
      assert.match(JSON.stringify(r.card), /"command":"attach invoice-keynote\.pdf"/);
      // Pressing it is typing the command: the bot asks which claim, as for a Teams file.
      const pressed = await w.teams.post({
        ...w.teams.envelope(owner, owner.personal, 'message'),
        text: '',
        value: { command: 'attach agenda-webinar.pdf' },
      });
      assert.match(pressed.text, /Which claim is this for\?/);
    });

    it('files the named file on the claim as an invoice with its explanation, as a Teams file', async () => {
      const r = await w.teams.send(
        owner,
        owner.personal,
        `attach invoice-keynote.pdf to ${number} as invoice Keynote catering`,
      );
      assert.equal(r.status, 200);
      assert.match(r.text, /invoice-keynote\.pdf/);
      const claim = await w.app.services.claims.get(owner.tenantId, number);
      const doc = claim?.documents.find((d) => d.fileName === 'invoice-keynote.pdf');
      assert.ok(doc, `filed: ${r.text}`);
      assert.equal(doc.type, 'invoice');
      assert.equal(doc.explanation, 'Keynote catering');
      const bytes = await readFile(path.join(DEMO_DOCUMENTS_DIR, 'invoice-keynote.pdf'));
      assert.equal(doc.size, bytes.length);
      assert.equal(doc.uploadedBy.id, owner.aadObjectId);
    });

    it('without a claim and type, asks as it does for a Teams file', async () => {
      const r = await w.teams.send(owner, owner.personal, 'attach agenda-webinar.pdf');
      assert.match(r.text, /agenda-webinar\.pdf/);
      assert.ok(buttonTitles(r.card ?? {}).length > 0, `a question with buttons: ${r.text}`);
    });

    it('refuses a file that is not in demo/documents, or a path out of it', async () => {
      for (const name of ['nothing.pdf', '../package.json']) {
        const r = await w.teams.send(owner, owner.personal, `attach ${name} to ${number}`);
        assert.match(r.text, /There is no file .* in demo\/documents/);
      }
      const res = await fetch(`${w.app.url}/local/documents/..%2Fpackage.json`);
      assert.equal(res.status, 404);
      const ok = await fetch(`${w.app.url}/local/documents/invoice-keynote.pdf`);
      assert.equal(ok.status, 200);
      assert.equal(ok.headers.get('content-type'), 'application/pdf');
    });
  });

  describe('outside the local loop', () => {
    let w: World;
    before(async () => {
      w = await startWorld();
    });
    after(() => w?.stop());

    it('is refused, and the files are not served', async () => {
      const { owner, number } = await ownerWithClaim(w, 'Olga Owner');
      const r = await w.teams.send(
        owner,
        owner.personal,
        `attach invoice-keynote.pdf to ${number}`,
      );
      assert.match(r.text, /attach works only in the local loop/);
      assert.equal((await w.app.services.claims.get(owner.tenantId, number))?.documents.length, 0);
      const res = await fetch(`${w.app.url}/local/documents/invoice-keynote.pdf`);
      assert.equal(res.status, 404);
    });

    it('the local loop is on only with the local stack or the demo seed, never in production', () => {
      assert.equal(loadConfig({}).localLoop, true);
      assert.equal(loadConfig({ DEMO_SEED: 'false' }).localLoop, false);
      const azure = {
        NODE_ENV: 'production',
        COSMOS_ENDPOINT: 'https://x.documents.azure.com',
        COSMOS_KEY: 'k',
        STORAGE_CONNECTION_STRING:
          'DefaultEndpointsProtocol=https;AccountName=x;AccountKey=k;EndpointSuffix=core.windows.net',
        MICROSOFT_APP_ID: '00000000-0000-4000-8000-000000000001',
        MICROSOFT_APP_PASSWORD: 'p',
      };
      assert.equal(loadConfig(azure).localLoop, false);
      assert.throws(() => loadConfig({ ...azure, DEMO_SEED: 'true' }), /DEMO_SEED/);
    });
  });
});
