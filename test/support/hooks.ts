import type { Context } from 'mocha';
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

const failedOnce = new Set<string>();
const retried: string[] = [];

/**
 * The run retries a failed test once (`retries` in .mocharc), because a shared 2-core machine can
 * stall any timer-bound test. A retry must not hide a flaky test, so each one is named here.
 */
export const mochaHooks = {
  afterEach(this: Context): void {
    const test = this.currentTest;
    if (!test) return;
    const title = test.fullTitle();
    // An attempt that mocha will retry ends with no state (only the last attempt is marked failed).
    if (test.state === 'passed') {
      if (failedOnce.has(title)) retried.push(title);
    } else if (!test.isPending()) failedOnce.add(title);
  },
  afterAll(): void {
    // Under --parallel this runs after each file in its worker: name each retried test once.
    for (const title of retried.splice(0)) console.log(`  ${RETRIED_MARK} ${title}`);
  },
};
