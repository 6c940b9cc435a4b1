import { RunningApp, startApp } from '../src/app';
import { Config, ConfigError, loadConfig } from '../src/config';
import { startBalancer } from '../testkit/balancer';

/** The `--instances` option: a whole number from 1 to 8. */
export function instanceCount(option: string | undefined): number {
  const count = Number(option ?? '1');
  if (!Number.isInteger(count) || count < 1 || count > 8) {
    throw new ConfigError('--instances', 'must be a whole number from 1 to 8');
  }
  return count;
}

/** The bot as `count` instances on one local stack, behind a round-robin balancer, or one alone. */
export interface Instances {
  /** Where Teams (the Playground) posts: the balancer, or the one instance. */
  readonly url: string;
  /** The first instance: it owns the local stack and seeds the demo. */
  readonly first: RunningApp;
  stop(): Promise<void>;
}

/**
 * `npm run dev -- --instances N`: the first instance starts the local stack (Cosmos DB emulator,
 * Azurite) on a free port; the others use that stack as they would Azure's, and the balancer listens
 * on the configured PORT, so the Playground cannot tell one instance from several.
 */
export async function startInstances(config: Config, count: number): Promise<Instances> {
  if (count === 1) {
    const app = await startApp(config);
    return { url: app.url, first: app, stop: () => app.stop() };
  }
  const first = await startApp({ ...config, port: 0, scaleOut: true });
  const stack = first.localStack;
  const shared: Record<string, string> = stack
    ? {
        COSMOS_ENDPOINT: stack.cosmos.endpoint,
        COSMOS_KEY: stack.cosmos.key,
        STORAGE_CONNECTION_STRING: stack.storageConnectionString,
        ALLOWED_DOWNLOAD_HOSTS: config.allowedDownloadHosts.join(','),
        DEMO_SEED: 'false',
        SCALE_OUT: 'true',
      }
    : {};
  const others: RunningApp[] = [];
  try {
    for (let i = 1; i < count; i++) {
      others.push(
        await startApp(loadConfig({ ...process.env, HOST: config.host, ...shared, PORT: '0' })),
      );
    }
    const apps = [first, ...others];
    const balancer = await startBalancer({ upstreams: apps.map((a) => a.url), port: config.port });
    return {
      url: balancer.url,
      first,
      stop: async () => {
        await balancer.stop();
        for (const app of others) await app.stop();
        await first.stop();
      },
    };
  } catch (e) {
    for (const app of others) await app.stop();
    await first.stop();
    throw e;
  }
}
