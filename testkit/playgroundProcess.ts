/** The Agents Playground as a child process on loopback: where it is, its port, its end. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

function findRepoRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'node_modules'))) {
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}

/**
 * Preloaded into the playground process: it calls `server.listen(port)` (all interfaces); this makes
 * every listen without an explicit host bind 127.0.0.1 only.
 */
const LOOPBACK_PRELOAD =
  'data:text/javascript,' +
  encodeURIComponent(
    [
      "import net from 'node:net';",
      'const listen = net.Server.prototype.listen;',
      'net.Server.prototype.listen = function (...args) {',
      "  if (typeof args[0] === 'number' && typeof args[1] !== 'string') args.splice(1, 0, '127.0.0.1');",
      "  else if (args[0] && typeof args[0] === 'object' && !('host' in args[0]) && !('path' in args[0]) &&",
      "    !('fd' in args[0]) && !('_handle' in args[0]) && !('handle' in args[0]))",
      "    args[0] = { ...args[0], host: '127.0.0.1' };",
      '  return listen.apply(this, args);',
      '};',
    ].join('\n'),
  );

/** `bot.id` of a .m365agentsplayground.yml (a tiny reader: the file is flat block YAML). */
export function botIdOf(yaml: string): string {
  const m = /^bot:[^\S\n]*\n(?:[^\S\n]+.*\n)*?[^\S\n]+id:[^\S\n]*(.+?)[^\S\n]*$/m.exec(yaml);
  if (!m) throw new Error('no bot.id in the playground config');
  return m[1].replace(/^(['"])(.*)\1$/, '$2');
}

/** A port that was free on 127.0.0.1 a moment ago. */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export function waitForListening(child: ChildProcess, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(
      () => done(new Error(`playground did not start in ${timeoutMs} ms: ${out}${err}`)),
      timeoutMs,
    );
    const onOut = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /Listening on (\d+)/.exec(out);
      if (m) done(undefined, Number(m[1]));
    };
    const onErr = (chunk: Buffer) => {
      err += chunk.toString();
    };
    const onExit = (code: number | null) =>
      done(new Error(`playground exited (${code}) before listening: ${out}${err}`));
    const done = (e?: Error, port?: number) => {
      clearTimeout(timer);
      child.stdout?.off('data', onOut);
      child.off('exit', onExit);
      // keep draining the pipes so the child never blocks on a full pipe
      child.stdout?.resume();
      child.stderr?.resume();
      if (e) reject(e);
      else resolve(port as number);
    };
    child.stdout?.on('data', onOut);
    child.stderr?.on('data', onErr);
    child.once('exit', onExit);
  });
}

export async function killChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}

export const REPO_ROOT = findRepoRoot(__dirname);
export const CLI = path.join(
  REPO_ROOT,
  'node_modules',
  '@microsoft',
  'm365agentsplayground',
  'cli.js',
);

/** Starts the playground's CLI headless on `port`, with the config, log file and bot given. */
export function spawnPlayground(o: {
  readonly port: number;
  readonly serviceUrl: string;
  readonly configPath: string;
  readonly logFile: string;
  readonly botEndpoint: string;
  readonly channelId: string;
}): ChildProcess {
  const child = spawn(
    process.execPath,
    [
      '--import',
      LOOPBACK_PRELOAD,
      CLI,
      '--app-endpoint',
      o.botEndpoint,
      '--channel-id',
      o.channelId,
      '--port',
      String(o.port),
      '--service-url',
      o.serviceUrl,
      '--disable-telemetry',
    ],
    {
      cwd: path.dirname(o.configPath),
      env: {
        ...process.env,
        TEAMSAPPTESTER_BROWSER: 'none',
        APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
        M365_AGENTS_PLAYGROUND_LOGFILE: o.logFile,
        M365_AGENTS_PLAYGROUND_CONFIG_PATH: o.configPath,
        M365_AGENTS_PLAYGROUND_ENABLE_EVENTS_RECORDING: 'false',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  // Never leave the playground running when the test process ends without stop() (a crash,
  // process.exit, mocha --exit).
  const killOnExit = () => void child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  return child;
}
