import { startApp } from './app';
import { ConfigError, loadConfig } from './config';
import { log, routeConsoleToLog } from './log';
import { stopOnSignals } from './stopOnSignals';

/** `npm start`: the bot (with the local stack unless Azure endpoints are configured). */
async function main(): Promise<void> {
  routeConsoleToLog();
  const config = loadConfig(process.env);
  const app = await startApp(config);
  log.info({ botSdk: config.botSdk }, `Co-op Claims listening on ${app.url}/api/messages`);
  stopOnSignals(() => app.stop());
}

main().catch((e: unknown) => {
  if (e instanceof ConfigError) log.fatal(e.message);
  else log.fatal({ err: e }, 'Co-op Claims could not start');
  process.exit(1);
});
