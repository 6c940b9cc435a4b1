import type { RunningApp } from '../../src/app';
import type { Claim } from '../../src/domain/claim';
import { DEMO_TENANT_ID } from '../../src/demo/seed';
import { sharedStack, startTestApp } from '../support/stack';

const FIXED_NOW = new Date('2027-03-15T12:00:00Z');

/**
 * The app with the demo seed, started (on a fixed day, its invoices read) before the calling suite's
 * tests and stopped after them; `app()` is it.
 */
export function demoAppInTests(): { app: () => RunningApp; claims: () => Promise<Claim[]> } {
  let running: RunningApp | undefined;
  before(async () => {
    await sharedStack();
    running = await startTestApp({ DEMO_SEED: 'true' }, { clock: () => FIXED_NOW });
    await running.invoices.idle();
  });
  after(async () => {
    await running?.stop();
  });
  const app = (): RunningApp => {
    if (!running) throw new Error('the demo app starts before the tests');
    return running;
  };
  /** Every claim of the demo tenant, as stored. */
  const claims = async (): Promise<Claim[]> => {
    const page = await app().services.claims.list(
      DEMO_TENANT_ID,
      { kind: 'tenant' },
      { size: 100 },
    );
    const all = await Promise.all(
      page.items.map((s) => app().services.claims.get(DEMO_TENANT_ID, s.number)),
    );
    return all.filter((c): c is Claim => c !== undefined);
  };
  return { app, claims };
}
