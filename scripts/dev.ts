import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { startApp } from '../src/app';
import { ConfigError, loadConfig } from '../src/config';
import { DEMO_USERS } from '../src/local/seed';

/**
 * `npm run dev`: the bot on the local stack (Cosmos DB emulator and Azurite, data kept in .data/) and
 * the Microsoft 365 Agents Playground, a Teams-like client in the browser, with the demo organisation
 * of .m365agentsplayground.yml.
 */
async function main(): Promise<void> {
  const config = loadConfig({ HOST: '127.0.0.1', ...process.env });
  const app = await startApp(config);
  const playground = startPlayground(`${app.url}/api/messages`, config.playgroundPort);
  const url = await listeningUrl(playground);
  console.log(
    `\nCo-op Claims is running: ${app.url}/api/messages (data in ${config.localDataDir ?? 'memory'})`,
  );
  console.log(`Agents Playground: ${url}  — open it in a browser and type "help".`);
  if (config.demoSeed) {
    console.log(
      'Demo users (the Playground signs you in as Megan Bowen: see .m365agentsplayground.yml):',
    );
    for (const user of DEMO_USERS) {
      console.log(`  ${user.name.padEnd(16)} ${user.roles.join(', ') || 'no role'}`);
    }
  }
  console.log(`Started in ${(performance.now() / 1000).toFixed(1)} s. Stop with Ctrl+C.\n`);

  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    playground.kill('SIGTERM');
    await app.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  playground.on('exit', (code) => {
    if (!stopping) {
      console.error(`the Agents Playground exited (${code}); stopping`);
      void stop();
    }
  });
}

function startPlayground(appEndpoint: string, port: number): ChildProcess {
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
      appEndpoint,
      '--channel-id',
      'msteams',
      '--port',
      String(port),
      '--disable-telemetry',
    ],
    {
      cwd: path.resolve(__dirname, '..', '..'),
      env: {
        ...process.env,
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
  console.error(e instanceof ConfigError ? e.message : e);
  process.exit(1);
});
