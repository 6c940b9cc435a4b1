import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { drawColorIcon, drawOutlineIcon } from '../../testkit/icons';
import {
  buildAppPackage,
  checkIcon,
  fillPlaceholders,
  type JsonObject,
  loadEnvironment,
  MissingVariableError,
  PackageError,
  parseEnvFile,
  unicodeSafePattern,
  validateLocalization,
  validateManifest,
} from '../../testkit/appPackage';
import { decodePng, encodePng, readPngHeader } from '../../testkit/png';
import { readZip, writeZip } from '../../testkit/zip';

const REPO = path.resolve(__dirname, '..', '..', '..');
const APP_PACKAGE = path.join(REPO, 'appPackage');
const ENV_DIR = path.join(REPO, 'env');

function solidPng(size: number, rgba: readonly number[]): Buffer {
  const pixels = new Uint8Array(size * size * 4);
  for (let i = 0; i < pixels.length; i += 4) pixels.set(rgba, i);
  return encodePng({ width: size, height: size, pixels });
}

describe('app package (npm run package)', () => {
  let work: string;

  beforeEach(() => {
    work = mkdtempSync(path.join(tmpdir(), 'coop-claims-package-'));
  });

  afterEach(() => {
    rmSync(work, { recursive: true, force: true });
  });

  /** A copy of appPackage/ and env/ that a test may break. */
  function copyProject(): { appPackageDir: string; envDir: string; outDir: string } {
    const appPackageDir = path.join(work, 'appPackage');
    const envDir = path.join(work, 'env');
    cpSync(APP_PACKAGE, appPackageDir, {
      recursive: true,
      filter: (src) => !src.includes(`${path.sep}build`),
    });
    cpSync(ENV_DIR, envDir, {
      recursive: true,
      filter: (src) => !src.endsWith('.user'),
    });
    return { appPackageDir, envDir, outDir: path.join(work, 'out') };
  }

  it('packages the playground environment into a zip Teams accepts', async () => {
    const result = await buildAppPackage('playground', { outDir: work });

    assert.equal(result.zipPath, path.join(work, 'appPackage.playground.zip'));
    assert.equal(result.manifestPath, path.join(work, 'manifest.playground.json'));
    const entries = await readZip(readFileSync(result.zipPath));
    assert.deepEqual(
      entries.map((e) => e.name),
      ['manifest.json', 'nl-nl.json', 'color.png', 'outline.png'],
    );

    const files = new Map(entries.map((e) => [e.name, e.data]));
    const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8')) as JsonObject;
    const vars = loadEnvironment(ENV_DIR, 'playground');
    assert.equal(manifest.id, vars.TEAMS_APP_ID);
    const [bot] = manifest.bots as JsonObject[];
    assert.equal(bot.botId, vars.BOT_ID);
    assert.equal(bot.supportsFiles, true);
    assert.deepEqual(manifest.validDomains, ['localhost']);
    assert.doesNotMatch(files.get('manifest.json')!.toString('utf8'), /\$\{\{/);
    assert.deepEqual(result.used, ['BOT_DOMAIN', 'BOT_ID', 'TEAMS_APP_ID']);

    // The manifest in the zip validates against the bundled schema, as does its nl-nl file.
    assert.deepEqual(await validateManifest(manifest), []);
    const strings = JSON.parse(files.get('nl-nl.json')!.toString('utf8')) as JsonObject;
    assert.deepEqual(await validateLocalization('nl-nl.json', strings, manifest), []);

    // Icons as Teams wants them, byte for byte the committed files.
    assert.deepEqual(readPngHeader(files.get('color.png')!), {
      width: 192,
      height: 192,
      bitDepth: 8,
      colorType: 6,
      interlace: 0,
    });
    assert.equal(readPngHeader(files.get('outline.png')!).width, 32);
    assert.deepEqual(files.get('color.png'), readFileSync(path.join(APP_PACKAGE, 'color.png')));

    // The filled manifest beside the zip is the one inside it.
    assert.deepEqual(readFileSync(result.manifestPath), files.get('manifest.json'));
  });

  it('declares the commands of product.md per scope within the limits Teams shows', () => {
    const manifest = JSON.parse(
      readFileSync(path.join(APP_PACKAGE, 'manifest.json'), 'utf8'),
    ) as JsonObject;
    const [bot] = manifest.bots as { scopes: string[]; commandLists: JsonObject[] }[];
    assert.deepEqual([...bot.scopes].sort(), ['groupChat', 'personal', 'team']);
    const expected = [
      'help',
      'claims',
      'new claim',
      'claim',
      'history',
      'request',
      'review',
      'funds',
      'grant',
      'revoke',
    ];
    const scopes = new Set<string>();
    for (const list of bot.commandLists as { scopes: string[]; commands: JsonObject[] }[]) {
      list.scopes.forEach((s) => scopes.add(s));
      assert.deepEqual(
        list.commands.map((c) => c.title),
        expected,
      );
      const described = list.commands.map((c) => String(c.description)).join('\n');
      // Files reach the bot only in personal chat: only that list mentions sending them.
      assert.equal(/\bfile\b/i.test(described), list.scopes.includes('personal'));
    }
    assert.deepEqual([...scopes].sort(), ['groupChat', 'personal', 'team']);
  });

  it('declares the searchClaims message extension on the bot, localized in Dutch', () => {
    const read = (name: string) =>
      JSON.parse(readFileSync(path.join(APP_PACKAGE, name), 'utf8')) as JsonObject;
    const manifest = read('manifest.json');
    const [bot] = manifest.bots as JsonObject[];
    const [extension] = manifest.composeExtensions as JsonObject[];
    assert.equal(extension.botId, bot.botId, 'inserted cards act through the same bot');
    const [command] = extension.commands as JsonObject[];
    assert.equal(command.id, 'searchClaims');
    assert.equal(command.type, 'query');
    assert.equal(command.initialRun, true, 'an empty search lists the recent claims');
    const [parameter] = command.parameters as JsonObject[];
    assert.equal(parameter.name, 'query');
    const dutch = read('nl-nl.json');
    const english: Record<string, unknown> = {
      'commands[0].title': command.title,
      'commands[0].description': command.description,
      'commands[0].parameters[0].title': parameter.title,
      'commands[0].parameters[0].description': parameter.description,
    };
    for (const [key, text] of Object.entries(english)) {
      const translated = dutch[`composeExtensions[0].${key}`];
      assert.equal(typeof translated, 'string', key);
      assert.notEqual(translated, text, `${key} is translated`);
    }
  });

  it('fails on a message extension that names another bot', async () => {
    const project = copyProject();
    const file = path.join(project.appPackageDir, 'manifest.json');
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as JsonObject;
    (manifest.composeExtensions as JsonObject[])[0].botId = '00000000-0000-4000-8000-000000000000';
    writeFileSync(file, JSON.stringify(manifest));

    await assert.rejects(
      buildAppPackage('playground', project),
      (e: unknown) =>
        e instanceof PackageError &&
        /composeExtensions\[0\]\.botId is not the bot's botId/.test(e.message),
    );
  });

  it('is deterministic: the same inputs give the same zip', async () => {
    const a = await buildAppPackage('playground', { outDir: path.join(work, 'a') });
    const b = await buildAppPackage('playground', { outDir: path.join(work, 'b') });
    assert.deepEqual(readFileSync(a.zipPath), readFileSync(b.zipPath));
  });

  it('is a zip whose every entry reads back with its CRC', async () => {
    const { zipPath } = await buildAppPackage('playground', { outDir: work });
    const entries = await readZip(readFileSync(zipPath));
    assert.deepEqual(entries.map((e) => e.name).sort(), [
      'color.png',
      'manifest.json',
      'nl-nl.json',
      'outline.png',
    ]);
    assert.ok(entries.every((e) => e.data.length > 0));
  });

  it('fails naming the variable that has no value', async () => {
    const project = copyProject();
    const file = path.join(project.envDir, '.env.playground');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^BOT_ID=.*$/m, ''));

    await assert.rejects(
      buildAppPackage('playground', project),
      (e: unknown) =>
        e instanceof MissingVariableError &&
        e.variables.join() === 'BOT_ID' &&
        /manifest\.json: no value for BOT_ID\b/.test(e.message),
    );
  });

  it('fails the local environment until provisioning has set BOT_ID and BOT_DOMAIN', async () => {
    const project = copyProject();
    await assert.rejects(
      buildAppPackage('local', project),
      (e: unknown) =>
        e instanceof MissingVariableError && e.variables.join() === 'BOT_DOMAIN,BOT_ID',
    );
  });

  it('takes values from the .user file and the process environment', async () => {
    const project = copyProject();
    writeFileSync(
      path.join(project.envDir, '.env.local.user'),
      'SECRET_BOT_PASSWORD=crypto_abc\nBOT_ID=11111111-2222-4333-8444-555555555555\n',
    );
    const result = await buildAppPackage('local', {
      ...project,
      processEnv: { BOT_DOMAIN: 'abc-3978.euw.devtunnels.ms' },
    });
    const [bot] = result.manifest.bots as JsonObject[];
    assert.equal(bot.botId, '11111111-2222-4333-8444-555555555555');
    assert.deepEqual(result.manifest.validDomains, ['abc-3978.euw.devtunnels.ms']);
  });

  it('fails on an icon of the wrong size', async () => {
    const project = copyProject();
    writeFileSync(path.join(project.appPackageDir, 'color.png'), solidPng(96, [14, 110, 92, 255]));

    await assert.rejects(
      buildAppPackage('playground', project),
      (e: unknown) =>
        e instanceof PackageError && /color\.png: must be 192×192 pixels, is 96×96/.test(e.message),
    );
  });

  it('fails on an outline icon that is not white on transparent', async () => {
    const project = copyProject();
    writeFileSync(path.join(project.appPackageDir, 'outline.png'), solidPng(32, [0, 0, 0, 255]));

    await assert.rejects(
      buildAppPackage('playground', project),
      (e: unknown) =>
        e instanceof PackageError &&
        /outline\.png: 1024 visible pixels are not white/.test(e.message) &&
        /outline\.png: has no transparent background/.test(e.message),
    );
  });

  it('fails on a manifest the schema refuses, listing the problem', async () => {
    const project = copyProject();
    const file = path.join(project.appPackageDir, 'manifest.json');
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as JsonObject;
    manifest.accentColor = 'teal';
    writeFileSync(file, JSON.stringify(manifest));

    await assert.rejects(
      buildAppPackage('playground', project),
      (e: unknown) => e instanceof PackageError && /manifest\.json\/accentColor/.test(e.message),
    );
  });

  it('fails on a localization key that names nothing in the manifest', async () => {
    const project = copyProject();
    const file = path.join(project.appPackageDir, 'nl-nl.json');
    const strings = JSON.parse(readFileSync(file, 'utf8')) as JsonObject;
    strings['bots[0].commandLists[2].commands[0].description'] = 'Bestaat niet.';
    writeFileSync(file, JSON.stringify(strings));

    await assert.rejects(
      buildAppPackage('playground', project),
      (e: unknown) =>
        e instanceof PackageError &&
        /nl-nl\.json: "bots\[0\]\.commandLists\[2\]\.commands\[0\]\.description" does not name/.test(
          e.message,
        ),
    );
  });

  it('refuses a $schema that is not bundled, instead of fetching it', async () => {
    await assert.rejects(
      validateManifest({ $schema: 'https://example.com/schema.json', manifestVersion: '1.22' }),
      /not a Teams schema bundled with @microsoft\/app-manifest/,
    );
  });
});

describe('package building blocks', () => {
  it('parses env files like dotenv', () => {
    assert.deepEqual(
      parseEnvFile('# c\nA=1\nB = two words # note\nC="quoted # kept"\nexport D=\'x\'\nE=\n'),
      { A: '1', B: 'two words', C: 'quoted # kept', D: 'x', E: '' },
    );
    assert.throws(() => parseEnvFile('oops', 'env/.env.x'), /env\/\.env\.x:1: expected KEY=VALUE/);
  });

  it('fills placeholders in values, never in keys, and names every missing one', () => {
    assert.deepEqual(
      fillPlaceholders({ '${{A}}': ['x${{A}}y', '${{ B }}'], n: 1 }, { A: 'a', B: 'b' }, 'f'),
      { '${{A}}': ['xay', 'b'], n: 1 },
    );
    assert.throws(
      () => fillPlaceholders(['${{Z}}', '${{A}}', '${{Y}}'], { A: 'a', Y: ' ' }, 'f.json'),
      /f\.json: no value for Y, Z/,
    );
  });

  it('escapes only the lone ] of a schema pattern for unicode regular expressions', () => {
    const lone = '^a\\[\\b([0-9]|1[01])\\b]\\.d$';
    assert.throws(() => new RegExp(lone, 'u'));
    const safe = unicodeSafePattern(lone);
    assert.equal(safe, '^a\\[\\b([0-9]|1[01])\\b\\]\\.d$');
    assert.ok(new RegExp(safe, 'u').test('a[10].d'));
    assert.equal(unicodeSafePattern('^[a-z]+\\]$'), '^[a-z]+\\]$');
  });

  it('zips and unzips entries, refusing a damaged one by its CRC', async () => {
    const entries = [
      { name: 'a.txt', data: Buffer.from('hello '.repeat(100)) },
      { name: 'dir/b.bin', data: Buffer.from([1, 2, 3]) },
      { name: 'empty', data: Buffer.alloc(0) },
    ];
    const zip = await writeZip(entries);
    assert.deepEqual(await readZip(zip), entries);
    const broken = Buffer.from(zip);
    broken[40] ^= 0xff; // inside the first entry's data
    await assert.rejects(readZip(broken));
    assert.throws(() => writeZip([entries[0], entries[0]]), /duplicate entry "a.txt"/);
  });

  it('round-trips PNGs and reads filtered ones', () => {
    const image = drawOutlineIcon();
    assert.deepEqual(decodePng(encodePng(image)), image);
    for (const filterType of [0, 1, 2, 3, 4, -1]) {
      assert.deepEqual(decodePng(encodePng(drawColorIcon(), filterType)), drawColorIcon());
    }
    assert.deepEqual(checkIcon(encodePng(image), 'outline.png', 32, true), []);
    assert.deepEqual(checkIcon(encodePng(drawColorIcon()), 'color.png', 192, false), []);
  });

  it('draws the committed icons (compared by pixels: zlib output may vary by CPU)', () => {
    assert.deepEqual(
      decodePng(readFileSync(path.join(APP_PACKAGE, 'color.png'))),
      drawColorIcon(),
      'appPackage/color.png is stale: run node dist/scripts/draw-icons.js',
    );
    assert.deepEqual(
      decodePng(readFileSync(path.join(APP_PACKAGE, 'outline.png'))),
      drawOutlineIcon(),
      'appPackage/outline.png is stale: run node dist/scripts/draw-icons.js',
    );
  });
});
