import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { verbHandlers } from '../../src/bot/verbs';
import { permissions } from '../../src/domain/claim';
import { newClaim, owner } from '../domain/claimFixtures';

const ROOT = join(__dirname, '..', '..', '..');
const VERBS_DIR = join(ROOT, 'src', 'bot', 'verbs');
const DIST_VERBS_DIR = join(ROOT, 'dist', 'src', 'bot', 'verbs');
const load = createRequire(__filename);

/** The verbs a compiled module of src/bot/verbs registers (its `verbs` export). */
function registeredIn(file: string): string[] {
  const loaded = load(join(DIST_VERBS_DIR, file)) as { verbs?: Record<string, { verb: string }> };
  return Object.values(loaded.verbs ?? {}).map((h) => h.verb);
}

/**
 * Issue 30: a verb costs at most four files — its file in src/bot/verbs/, its domain rule, its card
 * template, its strings. No list elsewhere names it: the handler table is read from the folder.
 */
describe('bot: every verb registers itself in its own file of src/bot/verbs', () => {
  it('each verb is registered once, by the file that holds its handler', () => {
    const byFile = readdirSync(DIST_VERBS_DIR)
      .filter((f) => f.endsWith('.js') && f !== 'index.js')
      .map((f) => ({ file: f, verbs: registeredIn(f) }));
    const all = byFile.flatMap((f) => f.verbs);
    assert.deepEqual(
      all.filter((v, i) => all.indexOf(v) !== i),
      [],
      'a verb registered twice',
    );
    assert.deepEqual(
      [...all].sort(),
      verbHandlers()
        .map((h) => h.verb)
        .sort(),
    );
    for (const { file, verbs } of byFile) {
      const source = readFileSync(join(VERBS_DIR, file.replace(/\.js$/, '.ts')), 'utf8');
      for (const verb of verbs) assert.ok(source.includes(`${verb}:`), `${verb} in ${file}`);
    }
  });

  it('no list outside the verb files names the verbs', () => {
    const index = readFileSync(join(VERBS_DIR, 'index.ts'), 'utf8');
    const bot = readFileSync(join(ROOT, 'src', 'bot', 'teamsBot.ts'), 'utf8');
    for (const { verb } of verbHandlers()) {
      for (const [name, text] of [
        ['verbs/index.ts', index],
        ['teamsBot.ts', bot],
      ]) {
        assert.ok(!new RegExp(`['"\`]${verb}['"\`]`).test(text), `${name} names "${verb}"`);
      }
    }
  });

  it('a new file in the folder is all a verb needs to be handled (a worked example)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'verbs-'));
    try {
      writeFileSync(
        join(dir, 'shout.js'),
        "exports.verbs = { shout: { verb: 'shout', handle: async () => ({ text: 'HELLO' }) } };",
      );
      writeFileSync(join(dir, 'helper.js'), 'exports.loud = (s) => s.toUpperCase();');
      const found = verbHandlers(dir);
      assert.deepEqual(
        found.map((h) => h.verb),
        ['shout'],
      );
      assert.deepEqual(await found[0].handle({} as never, {}, {} as never), { text: 'HELLO' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the claim card's buttons ask only what the domain's permissions() answers", () => {
    const template = readFileSync(join(ROOT, 'cards', 'claimDetail.json'), 'utf8');
    const asked = new Set([...template.matchAll(/\bcan\.(\w+)/g)].map((m) => m[1]));
    const answered = Object.keys(permissions(owner, newClaim()));
    assert.ok(asked.size > 10, `the template asks ${[...asked]}`);
    assert.deepEqual(
      [...asked].filter((k) => !answered.includes(k)),
      [],
      'flags the template asks that permissions() does not have',
    );
  });
});
