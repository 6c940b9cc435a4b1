import { stopSharedStack } from './stack';

/** Mocha root hooks: the shared emulators stop once, after every test file has run. */
export const mochaHooks = {
  async afterAll(): Promise<void> {
    await stopSharedStack();
  },
};
