import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../src/config';
import { findPersona, PersonaError, playgroundConfigAs } from '../src/local/playgroundPersona';
import { DEMO_USERS } from '../src/demo/seed';
import { stopOnSignals } from '../src/stopOnSignals';
import { instanceCount, startInstances } from './devInstances';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const PLAYGROUND_CONFIG = path.join(REPO_ROOT, '.m365agentsplayground.yml');

/**
 * `npm run dev`: the bot on the local stack (Cosmos DB emulator and Azurite, data kept in .data/) and
 * the Microsoft 365 Agents Playground, a Teams-like client in the browser, with the demo organisation
 * of .m365agentsplayground.yml. `npm run dev -- --as reviewer` (a role word or a first name) puts
 * another demo user at the Playground's keyboard; `--locale nl-NL` shows every card in Dutch;
 * `--instances 2` runs two instances of the bot
 * behind a round-robin balancer, as in Azure when scaled out.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      as: { type: 'string' },
      instances: { type: 'string', default: '1' },
      locale: { type: 'string' },
    },
  });
  const persona = findPersona(values.as ?? DEMO_USERS[0].name);
  const count = instanceCount(values.instances);
  // The Playground always says en-US: `--locale nl-NL` has the bot read every activity in Dutch.
  const locale = values.locale ? { LOCAL_LOCALE: values.locale } : {};
  const config = loadConfig({ HOST: '127.0.0.1', ...process.env, ...locale });
  const app = await startInstances(config, count);
  const playground = startPlayground({
    appEndpoint: `${app.url}/api/messages`,
    port: config.playgroundPort,
    configPath: personaConfig(persona.id),
  });
  const url = await listeningUrl(playground);
  const instances = count > 1 ? `, ${count} instances behind a round-robin balancer` : '';
  console.log(
    `\nCo-op Claims is running: ${app.url}/api/messages (data in ${config.localDataDir ?? 'memory'}${instances})`,
  );
  const firstWord = config.demoSeed ? 'claims' : 'help';
  console.log(`Agents Playground: ${url}  — open it in a browser and type "${firstWord}".`);
  if (config.demoSeed) {
    console.log('Demo users (`npm run dev -- --as <first name or role>` to be another):');
    for (const user of DEMO_USERS) {
      const you = user === persona ? '  ← you' : '';
      console.log(`  ${user.name.padEnd(16)} ${user.roles.join(', ') || 'no role'}${you}`);
    }
  }
  console.log(`Started in ${(performance.now() / 1000).toFixed(1)} s. Stop with Ctrl+C.\n`);

  const { stop, stopping } = stopOnSignals(async () => {
    playground.kill('SIGTERM');
    await app.stop();
  });
  playground.on('exit', (code) => {
    if (!stopping()) {
      console.error(`the Agents Playground exited (${code}); stopping`);
      void stop();
    }
  });
}

/** The repo's Playground config, or a copy in a temp folder with the persona at the keyboard. */
function personaConfig(personaId: string): string {
  if (personaId === DEMO_USERS[0].id) return PLAYGROUND_CONFIG;
  const file = path.join(
    mkdtempSync(path.join(tmpdir(), 'coop-persona-')),
    path.basename(PLAYGROUND_CONFIG),
  );
  writeFileSync(file, playgroundConfigAs(readFileSync(PLAYGROUND_CONFIG, 'utf8'), personaId));
  return file;
}

function startPlayground(opts: {
  appEndpoint: string;
  port: number;
  configPath: string;
}): ChildProcess {
  const cli = path.join(
    path.dirname(require.resolve('@microsoft/m365agentsplayground/package.json')),
    'cli.js',
  );
  // Run its cli.js with node directly: npx would leave a child running (platform-notes.md).
  return spawn(
    process.execPath,
    [
      cli,
      '--app-endpoint',
      opts.appEndpoint,
      '--channel-id',
      'msteams',
      '--port',
      String(opts.port),
      '--disable-telemetry',
    ],
    {
      cwd: path.dirname(opts.configPath),
      env: {
        ...process.env,
        M365_AGENTS_PLAYGROUND_CONFIG_PATH: opts.configPath,
        TEAMSAPPTESTER_BROWSER: 'none',
        APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
}

/** The playground prints only `Listening on N` (it picks another port when N is taken). */
function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /Listening on (\d+)/.exec(out);
      if (m) resolve(`http://localhost:${m[1]}`);
    });
    child.once('exit', (code) =>
      reject(new Error(`the Agents Playground exited (${code}): ${out}`)),
    );
  });
}

main().catch((e: unknown) => {
  console.error(e instanceof ConfigError || e instanceof PersonaError ? e.message : e);
  process.exit(1);
});
