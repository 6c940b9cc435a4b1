import { startApp } from './app';
import { ConfigError, loadConfig } from './config';

/** `npm start`: the bot (with the local stack unless Azure endpoints are configured). */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const app = await startApp(config);
  console.warn(`Co-op Claims listening on ${app.url}/api/messages`);
  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await app.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((e: unknown) => {
  console.error(e instanceof ConfigError ? e.message : e);
  process.exit(1);
});
