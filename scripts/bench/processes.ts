import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';

/** Child processes for the measures that need the bot on its own: start, ready, memory, stop. */

/** The compiled entry point `npm start` runs (dist/src/main.js next to dist/scripts/bench). */
export const MAIN_JS = path.resolve(__dirname, '../../src/main.js');
const READY_POLL_MS = 20;
const STOP_GRACE_MS = 10_000;
const OUTPUT_TAIL = 2000;

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface Child {
  readonly process: ChildProcess;
  readonly pid: number;
  /** The end of what it wrote (its JSON log lines and anything on stderr), for when it fails. */
  output(): string;
  stop(): Promise<void>;
}

/** Spawns `node <args>` in the current folder with only PATH, HOME and `env`. */
export function spawnNode(args: readonly string[], env: Record<string, string>): Child {
  const child = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  for (const stream of [child.stdout, child.stderr]) {
    stream?.setEncoding('utf8');
    stream?.on('data', (text: string) => {
      tail = (tail + text).slice(-OUTPUT_TAIL);
    });
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    process: child,
    pid: child.pid ?? 0,
    output: () => tail,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const force = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(force);
    },
  };
}

function status(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false, timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

/** A bot (`npm start`'s code or another's) as a process of its own, ready. */
export interface BotProcess {
  readonly child: Child;
  /** `http://127.0.0.1:<port>`: its messages endpoint is `${url}/api/messages`. */
  readonly url: string;
  readonly database: string;
}

/**
 * Starts `node <args>` with `env` (its COSMOS_DATABASE among them) on a free port and waits for
 * `/readyz` 200; stopped again if it does not get there.
 */
export async function startBot(
  args: readonly string[],
  env: Record<string, string>,
  readyTimeoutMs: number,
): Promise<BotProcess> {
  const port = await freePort();
  const child = spawnNode(args, { ...env, PORT: String(port) });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor200(`${url}/readyz`, child, readyTimeoutMs);
  } catch (e) {
    await child.stop();
    throw e;
  }
  return { child, url, database: env.COSMOS_DATABASE };
}

/**
 * Waits for processes started together (nothing is measured until all are ready); if one fails to
 * start, those that did are stopped and its error is thrown.
 */
export async function allStarted<T>(
  starts: readonly Promise<T>[],
  stop: (started: T) => Promise<void>,
): Promise<T[]> {
  const settled = await Promise.allSettled(starts);
  const failed = settled.find((s) => s.status === 'rejected');
  if (!failed) return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
  await Promise.all(settled.map((s) => (s.status === 'fulfilled' ? stop(s.value) : undefined)));
  throw failed.reason;
}

/** Polls `url` until it answers 200; the time that took, in ms (throws after timeoutMs). */
export async function waitFor200(url: string, child: Child, timeoutMs: number): Promise<number> {
  const started = performance.now();
  while ((await status(url)) !== 200) {
    if (child.process.exitCode !== null) {
      throw new Error(`${url}: the process exited: ${child.output()}`);
    }
    if (performance.now() - started > timeoutMs) {
      throw new Error(`${url} not ready after ${timeoutMs} ms: ${child.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
  }
  return performance.now() - started;
}

/** VmRSS and VmHWM (peak) of a process, in bytes; 0 when it is gone. */
export function memoryOf(pid: number): { rss: number; peak: number } {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(text)?.[1] ?? 0);
    return { rss: kb('VmRSS') * 1024, peak: kb('VmHWM') * 1024 };
  } catch {
    return { rss: 0, peak: 0 };
  }
}

/** Sets a process's peak (VmHWM) back to its current RSS (Linux clear_refs). */
export function resetPeak(pid: number): void {
  writeFileSync(`/proc/${pid}/clear_refs`, '5');
}

/** The process and all its descendants. */
export function processTree(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) {
    for (const [child, parent] of parents) if (parent === tree[i]) tree.push(child);
  }
  return tree;
}
