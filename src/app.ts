import { DefaultAzureCredential } from '@azure/identity';
import { randomUUID } from 'node:crypto';
import { AddressInfo } from 'node:net';
import restify from 'restify';
import { createAdapter } from './bot/adapter';
import { BodyLimits, HttpRefusal, readJsonBody } from './http/jsonBody';
import { renderForViewer } from './bot/flows/claims';
import { requestNoticeCard } from './bot/flows/fundRequests';
import { TeamsMessenger } from './bot/messenger';
import { fallbackText, notificationCard } from './bot/views/notification';
import { Notifications } from './notify/notifications';
import { RateLimiter, TEAMS_CONVERSATION_LIMITS } from './notify/rateLimiter';
import type { Services } from './bot/services';
import { CoopClaimsBot } from './bot/teamsBot';
import { Config, ConfigError } from './config';
import { LocalStack, startLocalStack } from './local/stack';
import { configureLogging, inTurn, log, noteActivity } from './log';
import { DemoTenant } from './local/demoTenant';
import { compactLongHistories } from './store/claims/compactHistories';
import { BlobFileStore } from './store/blobFileStore';
import { exportContainerOf, exportStore } from './store/exports';
import { CosmosClaimSearch } from './store/claims';
import { CosmosConversationRepository } from './store/conversations';
import { openCosmos } from './store/cosmos';
import { readingSince } from './store/freshness';
import { cosmosRepositories } from './store/cosmosRepositories';
import { CosmosFundRequestRepository } from './store/fundRequests';
import { InstanceShare } from './notify/instanceShare';
import { CosmosInstanceRoll } from './store/instanceRoll';
import { CosmosJobLeases } from './store/jobLeases';
import { InvoiceReader } from './reading/invoiceReader';
import { InvoiceReadings } from './reading/invoiceReadings';
import { sweepOrphanBlobs } from './store/orphans';
import { CosmosUploadRepository } from './store/uploads';

export interface RunningApp {
  /** e.g. http://127.0.0.1:3978 */
  readonly url: string;
  readonly services: Services;
  readonly localStack: LocalStack | undefined;
  readonly notifications: Notifications;
  readonly invoices: InvoiceReadings;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 3000;
/**
 * With one instance, what this process read or wrote serves the turns of the next second (every
 * write goes through it); with several (SCALE_OUT), a turn reads afresh what it decides on.
 */
const OWN_READS_KEPT_MS = 1000;
/** How often undelivered notifications are looked for (a crash, a retry whose timer died with a process). */
const SWEEP_EVERY_MS = 60_000;
const ORPHAN_SWEEP_EVERY_MS = 6 * 60 * 60_000;

const withTimeout = <T>(p: Promise<T>, ms: number): Promise<T> =>
  Promise.race([
    p,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms),
    ),
  ]);

/**
 * The composition root: storage (the local emulators unless Azure endpoints are configured), the
 * bot, and the HTTP server with /api/messages, /healthz and /readyz.
 */
/** Teams gives up on a card action after 15 s: one still working by now answers "still working". */
const LATE_ANSWER_AFTER_MS = 10_000;

/** Teams' activities are a few KB; a card's data a few more. Nothing legitimate comes near 1 MB. */
const BODY_LIMITS: BodyLimits = { maxBytes: 1024 * 1024, timeoutMs: 10_000 };
/** A client that trickles its headers or body (slow loris) is cut off. */
const HEADERS_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 30_000;

/** Answers a refused request and closes its connection, so an unread body is never read. */
function refuse(res: restify.Response, status: number, code: string): void {
  log.warn({ reason: code, status }, 'refused a request to /api/messages');
  res.setHeader('connection', 'close');
  res.send(status, { error: code });
}

export async function startApp(
  config: Config,
  opts: {
    clock?: () => Date;
    lateAnswerAfterMs?: number;
    /** How long a request body may take to arrive (default 10 s). */
    bodyTimeoutMs?: number;
  } = {},
): Promise<RunningApp> {
  configureLogging({
    level: config.logLevel,
    secrets: [
      config.auth?.appPassword,
      config.auth?.certificatePrivateKey,
      config.cosmos?.key,
      config.storageConnectionString,
    ],
  });
  let credential: DefaultAzureCredential | undefined;
  /** Managed identity in Azure (AZURE_CLIENT_ID picks the user-assigned one). */
  const entraCredential = (): DefaultAzureCredential => {
    credential ??= new DefaultAzureCredential(
      config.azureClientId ? { managedIdentityClientId: config.azureClientId } : {},
    );
    return credential;
  };
  const storage = config.storageConnectionString
    ? { connectionString: config.storageConnectionString }
    : config.storageAccountUrl
      ? { accountUrl: config.storageAccountUrl, credential: entraCredential() }
      : undefined;
  const localStack =
    config.cosmos && storage ? undefined : await startLocalStack({ dataDir: config.localDataDir });
  const cosmosSettings = config.cosmos
    ? { ...config.cosmos, ...(config.cosmos.key ? {} : { credential: entraCredential() }) }
    : { ...localStack!.cosmos, database: config.cosmosDatabase };
  const db = await openCosmos(cosmosSettings);
  const files = new BlobFileStore({
    connection: storage ?? { connectionString: localStack!.storageConnectionString },
    containerName: config.blobContainer,
    maxBytes: config.maxUploadBytes,
  });
  const exportFiles = new BlobFileStore({
    connection: storage ?? { connectionString: localStack!.storageConnectionString },
    containerName: exportContainerOf(config.blobContainer),
    maxBytes: config.maxUploadBytes,
  });
  await Promise.all([files.init(), exportFiles.init()]);

  const adapter = createAdapter(config.auth);
  const { claims, funds, users, policy } = cosmosRepositories(db, {
    awaitPostings: config.scaleOut,
  });
  const fundRequests = new CosmosFundRequestRepository(db, claims.ledgerGate());
  const conversations = new CosmosConversationRepository(db, { shared: config.scaleOut });
  const leases = new CosmosJobLeases(db);
  const instanceId = randomUUID();
  // Teams' limits hold for all instances together: each keeps to its share of them.
  const share = new InstanceShare({ roll: new CosmosInstanceRoll(db), owner: instanceId });
  // Proactive sends and in-turn progress updates share each chat's Teams limits.
  const conversationLimiter = new RateLimiter(TEAMS_CONVERSATION_LIMITS, { share: share.fraction });
  const notifications = new Notifications({
    claims,
    conversationLimiter,
    conversations,
    messenger: new TeamsMessenger(adapter, config.auth?.appId ?? ''),
    render: notificationCard,
    fallbackText,
    renderClaimFor: (claim, posted) => renderForViewer(services, claim, posted),
    instanceId,
    clock: opts.clock,
    leases,
    share,
    reviews: { policy, users },
    requests: {
      requests: fundRequests,
      render: (request, notice, to) => requestNoticeCard(services, request, notice, to),
    },
  });
  const invoices = new InvoiceReadings({
    claims,
    files,
    reader: new InvoiceReader(),
    onRead: (claim) => notifications.cardsChanged(claim),
  });
  const demo = config.demoSeed ? new DemoTenant(db) : undefined;
  const services: Services = {
    claims,
    claimSearch: new CosmosClaimSearch(db),
    funds,
    fundRequests,
    users,
    policy,
    conversations,
    uploads: new CosmosUploadRepository(db),
    files,
    exports: exportStore(files, exportFiles),
    config,
    newId: randomUUID,
    invoices,
    notifications,
    demo,
  };
  if (demo) {
    const started = performance.now();
    const { seeded } = await demo.seed(services, opts.clock?.());
    if (seeded) log.info({ ms: Math.round(performance.now() - started) }, 'demo tenant seeded');
  }

  if (!config.auth) {
    log.warn(
      'LOCAL MODE: MICROSOFT_APP_ID is not set, so /api/messages accepts requests without a Bot Framework token. Never expose this port.',
    );
  }
  const bot = new CoopClaimsBot(services, notifications, {
    allowedTenants: config.allowedTenants,
    clock: opts.clock,
    conversationLimiter,
    lateAnswerAfterMs: opts.lateAnswerAfterMs ?? LATE_ANSWER_AFTER_MS,
  });

  const bodyLimits = { ...BODY_LIMITS, timeoutMs: opts.bodyTimeoutMs ?? BODY_LIMITS.timeoutMs };
  const server = restify.createServer({ name: 'coop-claims' });
  server.server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.server.requestTimeout = REQUEST_TIMEOUT_MS;
  server.post('/api/messages', async (req, res) =>
    inTurn(async () => {
      // Before a byte of the body is read: a request that cannot be Teams' is refused (O(1) memory).
      if (config.auth && !/^Bearer\s+\S+$/i.test(req.headers.authorization ?? '')) {
        return refuse(res, 401, 'unauthorized');
      }
      try {
        req.body = await readJsonBody(req, bodyLimits);
      } catch (e) {
        if (e instanceof HttpRefusal) return refuse(res, e.status, e.code);
        throw e;
      }
      const started = performance.now();
      await adapter.process(req, res, (context) => {
        noteActivity(context.activity);
        return readingSince(config.scaleOut ? started : started - OWN_READS_KEPT_MS, () =>
          bot.run(context),
        );
      });
      const ms = Math.round(performance.now() - started);
      log.debug({ status: res.statusCode, ms }, 'answered a request to /api/messages');
    }),
  );
  server.get('/healthz', (_req, res, next) => {
    res.send(200, { status: 'ok' });
    return next();
  });
  server.get('/readyz', async (_req, res) => {
    const checks = await Promise.allSettled([
      withTimeout(db.ping(), READY_TIMEOUT_MS),
      withTimeout(files.ping(), READY_TIMEOUT_MS),
    ]);
    const [cosmos, blob] = checks.map((c) => (c.status === 'fulfilled' ? 'ok' : 'unreachable'));
    res.send(cosmos === 'ok' && blob === 'ok' ? 200 : 503, { cosmos, blob });
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, resolve);
    });
  } catch (e) {
    db.close();
    await localStack?.stop();
    const inUse = (e as NodeJS.ErrnoException).code === 'EADDRINUSE';
    throw inUse ? new ConfigError('PORT', `${config.port} is already in use on ${config.host}`) : e;
  }
  notifications.start(SWEEP_EVERY_MS);
  void compactLongHistories(claims).catch((e: unknown) =>
    log.error({ err: e }, 'moving old claim history out failed'),
  );
  // One instance at a time sweeps orphan blobs (the lease outlasts the period: its holder keeps it).
  const sweepOrphans = (): void => {
    const now = new Date();
    void leases
      .take('orphan-blob-sweep', instanceId, { now, forMs: 2 * ORPHAN_SWEEP_EVERY_MS })
      .then((holds) => (holds ? sweepOrphanBlobs(files, claims, now) : undefined))
      .catch((e: unknown) => log.error({ err: e }, 'orphan blob sweep failed'));
  };
  sweepOrphans();
  const orphanTimer = setInterval(sweepOrphans, ORPHAN_SWEEP_EVERY_MS);
  orphanTimer.unref();
  const address = server.address() as AddressInfo;
  const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host;

  return {
    url: `http://${host}:${address.port}`,
    services,
    localStack,
    notifications,
    invoices,
    stop: async () => {
      server.close();
      clearInterval(orphanTimer);
      await invoices.stop();
      await notifications.stop();
      db.close();
      await localStack?.stop();
    },
  };
}
