import assert from 'node:assert/strict';
import { RunningApp, startApp } from '../src/app';
import { ConfigError } from '../src/config';
import { money } from '../src/domain/money';
import { MemoryFileStore } from '../src/store/memory/files';
import { memoryTestConfig } from './support/stack';

/** The start-up seam: the app built on in-memory storage, and single ports handed in. */
describe('start-up: buildServices with overrides', () => {
  let app: RunningApp | undefined;
  afterEach(async () => {
    await app?.stop();
    app = undefined;
  });

  const readyz = async (url: string): Promise<{ status: number; body: unknown }> => {
    const res = await fetch(`${url}/readyz`);
    return { status: res.status, body: await res.json() };
  };

  it('runs on in-memory storage without any emulator, and is ready', async () => {
    app = await startApp(memoryTestConfig(), { storage: 'memory' });
    assert.equal(app.localStack, undefined, 'no emulator started');
    assert.deepEqual(await readyz(app.url), { status: 200, body: { cosmos: 'ok', blob: 'ok' } });
    const fund = await app.services.funds.create({
      tenantId: 't1',
      id: 'f1',
      name: 'FY27',
      allocated: money(100_000, 'USD'),
      periodStart: '2026-01-01',
      periodEnd: '2026-12-31',
      createdBy: { id: 'u1', name: 'Ada Admin' },
      createdAt: '2026-01-01T00:00:00.000Z',
    });
    assert.deepEqual(await app.services.funds.get('t1', 'f1'), fund);
  });

  it('uses a port handed in instead of its own (here a file store that cannot be reached)', async () => {
    const files = new MemoryFileStore({ maxBytes: 1024 });
    files.ping = () => Promise.reject(new Error('unreachable'));
    app = await startApp(memoryTestConfig(), { storage: 'memory', ports: { files } });
    assert.equal(app.services.files, files);
    assert.deepEqual(await readyz(app.url), {
      status: 503,
      body: { cosmos: 'ok', blob: 'unreachable' },
    });
  });

  it('refuses the demo seed on in-memory storage (the demo needs the emulators)', async () => {
    await assert.rejects(
      startApp(memoryTestConfig({ DEMO_SEED: 'true' }), { storage: 'memory' }),
      (e: unknown) => e instanceof ConfigError && e.variable === 'DEMO_SEED',
    );
  });
});
