import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { load } from 'js-yaml';
import { findPersona, PersonaError, playgroundConfigAs } from '../../src/local/playgroundPersona';
import { DEMO_USERS } from '../../src/demo/seed';
import { startPlayground } from '../../testkit/playground';

const BASE_CONFIG = path.resolve(__dirname, '..', '..', '..', '.m365agentsplayground.yml');

interface Org {
  currentUser: { name: string; aadObjectId: string };
  users: { name: string; aadObjectId: string }[];
  personalChat: { id: string };
  tenantId: string;
}

describe('npm run dev -- --as <persona>: another demo user at the Playground keyboard', () => {
  const base = readFileSync(BASE_CONFIG, 'utf8');

  it('finds a persona by role word, first name or full name, in any case', () => {
    assert.equal(findPersona('reviewer').name, 'Isaiah Langer');
    assert.equal(findPersona('incentives-admin').name, 'Patti Fernandez');
    assert.equal(findPersona('no-role').name, 'Lynne Robbins');
    assert.equal(findPersona('admin').name, 'Megan Bowen');
    assert.equal(
      findPersona('user').name,
      'Adele Vance',
      'an Incentives user who is not also admin',
    );
    assert.equal(findPersona('ADELE').name, 'Adele Vance');
    assert.equal(findPersona('alex wilber').name, 'Alex Wilber');
  });

  it('refuses an unknown persona naming the choices', () => {
    assert.throws(
      () => findPersona('mallory'),
      (e: unknown) =>
        e instanceof PersonaError && /reviewer/.test(e.message) && /isaiah/.test(e.message),
    );
  });

  it('swaps the persona with the current user and keeps the organisation whole', () => {
    const reviewer = findPersona('reviewer');
    const org = load(playgroundConfigAs(base, reviewer.id)) as Org;
    const original = load(base) as Org;
    assert.equal(org.currentUser.name, 'Isaiah Langer');
    assert.equal(org.users.length, 5, 'the Playground wants exactly five other users');
    assert.ok(org.users.some((u) => u.name === 'Megan Bowen'));
    assert.ok(!org.users.some((u) => u.aadObjectId === reviewer.id));
    assert.notEqual(org.personalChat.id, original.personalChat.id);
    assert.equal(org.tenantId, original.tenantId);
    const everyone = (o: Org) => [o.currentUser, ...o.users].map((u) => u.aadObjectId).sort();
    assert.deepEqual(everyone(org), everyone(original));
  });

  it('every demo user of the seed is in the Playground organisation', () => {
    const original = load(base) as Org;
    const ids = [original.currentUser, ...original.users].map((u) => u.aadObjectId);
    for (const user of DEMO_USERS) assert.ok(ids.includes(user.id), user.name);
  });

  it('the Playground accepts the persona config and signs the persona in', async function () {
    this.timeout(30_000);
    const file = path.join(
      mkdtempSync(path.join(tmpdir(), 'persona-')),
      '.m365agentsplayground.yml',
    );
    writeFileSync(file, playgroundConfigAs(base, findPersona('reviewer').id));
    // The Playground answers its config only once the bot's endpoint connects (else after 15 s).
    const bot = http.createServer((_, res) => res.end());
    await new Promise<void>((resolve) => bot.listen(0, '127.0.0.1', resolve));
    const { port } = bot.address() as AddressInfo;
    const playground = await startPlayground({
      botEndpoint: `http://127.0.0.1:${port}/api/messages`,
      configPath: file,
    });
    try {
      const config = await playground.config();
      assert.equal(config.currentUser.name, 'Isaiah Langer');
      assert.equal(config.users.length, 5);
    } finally {
      await playground.stop();
      bot.close();
    }
  });
});
