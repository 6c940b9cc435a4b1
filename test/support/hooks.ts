import Mocha, { type Context } from 'mocha';
import { RETRIED_MARK } from '../../testkit/retries';
import { shareStackWithWorkers, stopSharedStack } from './stack';

/**
 * Mocha global fixtures: they run once a run in mocha's own process, also under `--parallel`, so the
 * emulators start once and every test file (in this process or in a worker) shares them.
 */
export async function mochaGlobalSetup(): Promise<void> {
  await shareStackWithWorkers();
}

export async function mochaGlobalTeardown(): Promise<void> {
  await stopSharedStack();
}

/** The error of a test's attempt that failed and that mocha runs again, by the test's title. */
const failedOnce = new Map<string, unknown>();
const retried: string[] = [];

// Mocha hands a retried attempt's error only to its runner's `retry` event, not to hooks: keep it.
const emit = Mocha.Runner.prototype.emit;
Mocha.Runner.prototype.emit = function (this: Mocha.Runner, event, ...args: unknown[]): boolean {
  if (event === Mocha.Runner.constants.EVENT_TEST_RETRY) {
    failedOnce.set((args[0] as Mocha.Test).fullTitle(), args[1]);
  }
  return emit.call(this, event, ...args);
};

/**
 * A test that passed on its retry and why its first attempt failed: the error's first line on the
 * title's line (npm test lists these lines again at the end), a few lines of its stack below.
 */
function retryReport(title: string, error: unknown): string {
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  const [first, ...stack] = text.split('\n');
  return [`${title}; its first attempt failed: ${first}`, ...stack.slice(0, 5)].join('\n      ');
}

/**
 * The run retries a failed test once (`retries` in .mocharc), because a shared 2-core machine can
 * stall any timer-bound test. A retry must not hide a flaky test, so each one is named here.
 */
export const mochaHooks = {
  afterEach(this: Context): void {
    const test = this.currentTest;
    if (!test) return;
    const title = test.fullTitle();
    if (test.state === 'passed' && failedOnce.has(title)) {
      retried.push(retryReport(title, failedOnce.get(title)));
    }
  },
  afterAll(): void {
    // Under --parallel this runs after each file in its worker: name each retried test once.
    for (const report of retried.splice(0)) console.log(`  ${RETRIED_MARK} ${report}`);
  },
};
