import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../src/config';
import { stopOnSignals } from '../src/stopOnSignals';
import { instanceCount, startInstances } from './devInstances';

/**
 * `npm run start:scaled -- --instances N`: the bot as N instances on one local stack behind a
 * round-robin balancer on PORT, without the Playground: what the acceptance harness or any other
 * Teams stand-in can be pointed at (`BOT_START_CMD`) to see the bot scaled out.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { instances: { type: 'string', default: '2' } } });
  const count = instanceCount(values.instances);
  const app = await startInstances(loadConfig(process.env), count);
  console.log(`Co-op Claims: ${count} instance(s) behind ${app.url}/api/messages`);
  stopOnSignals(() => app.stop());
}

main().catch((e: unknown) => {
  console.error(e instanceof ConfigError ? e.message : e);
  process.exit(1);
});
