import type { Services } from './bot/services';
import { buildServices, ServiceOverrides } from './buildServices';
import type { Config } from './config';
import type { LocalStack } from './local/stack';
import { configureLogging } from './log';
import type { Notifications } from './notify/notifications';
import type { RateLimiter } from './notify/rateLimiter';
import type { InvoiceReadings } from './reading/invoiceReadings';
import { ServerOptions, startServer } from './server';

export interface RunningApp {
  /** e.g. http://127.0.0.1:3978 */
  readonly url: string;
  readonly services: Services;
  readonly localStack: LocalStack | undefined;
  readonly notifications: Notifications;
  readonly invoices: InvoiceReadings;
  /** This instance's sends into each chat, within its share of Teams' limits. */
  readonly conversationLimiter: RateLimiter;
  stop(): Promise<void>;
}

export type AppOptions = ServerOptions & ServiceOverrides;

/**
 * The app: its services (buildServices.ts: on Cosmos DB and Blob storage, or the local emulators
 * unless Azure endpoints are configured; in memory when `opts.storage` says so) served over HTTP
 * (server.ts: /api/messages, /healthz and /readyz).
 */
export async function startApp(config: Config, opts: AppOptions = {}): Promise<RunningApp> {
  configureLogging({
    level: config.logLevel,
    secrets: [
      config.auth?.appPassword,
      config.auth?.certificatePrivateKey,
      config.cosmos?.key,
      config.storageConnectionString,
    ],
  });
  const app = await buildServices(config, opts);
  const server = await startServer(config, app, opts).catch(async (e: unknown) => {
    await app.storage.close();
    throw e;
  });
  return {
    url: server.url,
    services: app.services,
    localStack: app.localStack,
    notifications: app.notifications,
    invoices: app.invoices,
    conversationLimiter: app.conversationLimiter,
    stop: async () => {
      server.stop();
      await app.invoices.stop();
      await app.notifications.stop();
      await app.storage.close();
    },
  };
}
