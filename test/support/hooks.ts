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
