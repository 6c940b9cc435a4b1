/**
 * `npm test` after the build: lint, every test (mocha), the adapter tests again on the Agents SDK
 * and the quick benchmark, side by side. A test run mostly waits on timers, sockets and child
 * processes, so lint and the benchmark use the cores mocha leaves idle instead of running after it,
 * and mocha runs three test files at a time in workers (`parallel` in .mocharc; the emulators are
 * shared). Mocha's main run streams; the other steps' output is printed when each ends. Fails if any
 * step fails. A failed mocha step's "N failing" report is printed again at the very end, so that the
 * tail of a CI log (often all that is kept) names the failing tests, and so are the tests that passed
 * only when mocha retried them (see test/support/hooks.ts).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { RETRIED_MARK } from '../testkit/retries';

interface Step {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  /** Mocha's report streams as it runs; the others' output is kept and printed once they end. */
  readonly stream: boolean;
}

const ROOT = path.resolve(__dirname, '..', '..');

const MOCHA = require.resolve('mocha/bin/mocha.js');

/**
 * Lanes run side by side; the steps of one lane run one after the other. The Agents SDK pass follows
 * the quick benchmark, beside the main run's last files: beside its start, on two cores, its file
 * uploads ran late enough to fail (a CI run of cc953c5), and after lint it slowed the main run by a
 * minute.
 */
const LANES: readonly (readonly Step[])[] = [
  [
    {
      name: 'lint (eslint, prettier)',
      command: process.platform === 'win32' ? 'npm.cmd' : 'npm',
      args: ['run', '--silent', 'lint'],
      stream: false,
    },
  ],
  [{ name: 'tests (mocha)', command: process.execPath, args: [MOCHA], stream: true }],
  [
    {
      name: 'quick benchmark',
      command: process.execPath,
      args: ['dist/scripts/bench/index.js', '--quick', '--out', 'dist/BENCHMARKS.quick.md'],
      stream: false,
    },
    {
      name: 'adapter tests on the Agents SDK (mocha)',
      command: process.execPath,
      args: [MOCHA, '--config', '.mocharc.agents.json'],
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
  /** For a mocha step that failed: its report from "N failing" on. */
  readonly failures?: string;
  /** The tests of a mocha step that failed once and passed when mocha retried them. */
  readonly retried: readonly string[];
}

/** Enough of mocha's failure report to name every failing test and its first lines of error. */
const FAILURE_REPORT_CHARS = 12_000;

function failureReport(output: string): string | undefined {
  const at = output.search(/^\s*\d+ failing\s*$/m);
  return at < 0 ? undefined : output.slice(at, at + FAILURE_REPORT_CHARS);
}

function run(step: Step): Promise<Outcome> {
  const started = Date.now();
  const child = spawn(step.command, step.args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const kept: Buffer[] = [];
  const keep = (to: NodeJS.WriteStream) => (chunk: Buffer) => {
    kept.push(chunk);
    if (step.stream) to.write(chunk);
  };
  child.stdout.on('data', keep(process.stdout));
  child.stderr.on('data', keep(process.stderr));
  return new Promise((resolve) => {
    let ended = false;
    const done = (code: number) => {
      if (ended) return;
      ended = true;
      const seconds = (Date.now() - started) / 1000;
      const output = Buffer.concat(kept);
      if (!step.stream) {
        process.stdout.write(`\n---- ${step.name} (${seconds.toFixed(0)} s) ----\n`);
        process.stdout.write(output);
      }
      const text = output.toString();
      const failures = code !== 0 ? failureReport(text) : undefined;
      const retried = text.split('\n').filter((line) => line.includes(RETRIED_MARK));
      resolve({ step, code, seconds, failures, retried });
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
  for (const o of outcomes.filter((each) => each.failures)) {
    console.log(`\n---- what failed in ${o.step.name} ----\n${o.failures}`);
  }
  const retried = outcomes.flatMap((o) =>
    o.retried.map((line) => `${o.step.name}: ${line.trim()}`),
  );
  if (retried.length > 0)
    console.log(`\n---- flaky: ${retried.length} ----\n${retried.join('\n')}`);
  console.log('');
  for (const o of outcomes) {
    console.log(`${o.code === 0 ? 'ok    ' : 'FAILED'} ${o.step.name} (${o.seconds.toFixed(0)} s)`);
  }
  process.exitCode = outcomes.some((o) => o.code !== 0) ? 1 : 0;
}

void main();
