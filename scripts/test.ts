/**
 * `npm test` after the build: lint, every test (mocha) and the quick benchmark, side by side. A test
 * run mostly waits on timers, sockets and child processes (about a quarter of its wall time is CPU),
 * so lint and the benchmark use cores mocha leaves idle instead of running after it. Mocha's output
 * streams; lint's and the benchmark's are printed when each ends. Fails if any of the three fails.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';

interface Step {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  /** Mocha's report streams as it runs; the others' output is kept and printed once they end. */
  readonly stream: boolean;
}

const ROOT = path.resolve(__dirname, '..', '..');

const MOCHA = require.resolve('mocha/bin/mocha.js');

/** Lanes run side by side; the steps of one lane run one after the other. */
const LANES: readonly (readonly Step[])[] = [
  [
    {
      name: 'lint (eslint, prettier)',
      command: process.platform === 'win32' ? 'npm.cmd' : 'npm',
      args: ['run', '--silent', 'lint'],
      stream: false,
    },
  ],
  [
    { name: 'tests (mocha)', command: process.execPath, args: [MOCHA], stream: true },
    {
      name: 'adapter tests on the Agents SDK (mocha)',
      command: process.execPath,
      args: [MOCHA, '--config', '.mocharc.agents.json'],
      stream: true,
    },
  ],
  [
    {
      name: 'quick benchmark',
      command: process.execPath,
      args: ['dist/scripts/bench/index.js', '--quick', '--out', 'dist/BENCHMARKS.quick.md'],
      stream: false,
    },
  ],
];

/** A lane's steps in order; all of them run even when one fails, so every failure is reported. */
async function runLane(steps: readonly Step[]): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const step of steps) outcomes.push(await run(step));
  return outcomes;
}

interface Outcome {
  readonly step: Step;
  readonly code: number;
  readonly seconds: number;
}

function run(step: Step): Promise<Outcome> {
  const started = Date.now();
  const child = spawn(step.command, step.args, {
    cwd: ROOT,
    stdio: step.stream ? 'inherit' : ['ignore', 'pipe', 'pipe'],
  });
  const kept: Buffer[] = [];
  child.stdout?.on('data', (chunk: Buffer) => kept.push(chunk));
  child.stderr?.on('data', (chunk: Buffer) => kept.push(chunk));
  return new Promise((resolve) => {
    let ended = false;
    const done = (code: number) => {
      if (ended) return;
      ended = true;
      const seconds = (Date.now() - started) / 1000;
      if (!step.stream) {
        process.stdout.write(`\n---- ${step.name} (${seconds.toFixed(0)} s) ----\n`);
        process.stdout.write(Buffer.concat(kept));
      }
      resolve({ step, code, seconds });
    };
    child.on('error', (e) => {
      kept.push(Buffer.from(`${e.message}\n`));
      done(1);
    });
    child.on('close', (code, signal) => done(code ?? (signal ? 1 : 0)));
  });
}

async function main(): Promise<void> {
  const started = Date.now();
  const outcomes = (await Promise.all(LANES.map(runLane))).flat();
  console.log(
    `\n---- npm test: ${((Date.now() - started) / 1000).toFixed(0)} s after the build ----`,
  );
  for (const o of outcomes) {
    console.log(`${o.code === 0 ? 'ok    ' : 'FAILED'} ${o.step.name} (${o.seconds.toFixed(0)} s)`);
  }
  process.exitCode = outcomes.some((o) => o.code !== 0) ? 1 : 0;
}

void main();
