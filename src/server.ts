import { AddressInfo } from 'node:net';
import restify from 'restify';
import { raceTimeout } from './async';
import type { AppServices } from './buildServices';
import { CoopClaimsBot } from './bot/teamsBot';
import { Config, ConfigError } from './config';
import { BodyLimits, HttpRefusal, readJsonBody } from './http/jsonBody';
import { serveLocalDocuments } from './local/localDocuments';
import { inTurn, log, noteActivity } from './log';
import { compactLongHistories } from './store/claims/compactHistories';
import { readingSince } from './store/freshness';
import { sweepOrphanBlobs } from './store/orphans';

export interface ServerOptions {
  readonly clock?: () => Date;
  readonly lateAnswerAfterMs?: number;
  /** How long a request body may take to arrive (default 10 s). */
  readonly bodyTimeoutMs?: number;
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
/** How often applied-activity items and 429 pauses past their keeping time are removed. */
const EXPIRY_SWEEP_EVERY_MS = 60 * 60_000;
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

/** The HTTP server: /api/messages for the bot, /healthz, and /readyz (storage reachable). */
function createServer(config: Config, app: AppServices, opts: ServerOptions): restify.Server {
  const bot = new CoopClaimsBot(app.services, app.notifications, {
    allowedTenants: config.allowedTenants,
    clock: opts.clock,
    conversationLimiter: app.conversationLimiter,
    lateAnswerAfterMs: opts.lateAnswerAfterMs ?? LATE_ANSWER_AFTER_MS,
    locale: config.localLocale,
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
      await app.edge.process(req, res, (turn) => {
        noteActivity(turn.activity);
        return readingSince(config.scaleOut ? started : started - OWN_READS_KEPT_MS, () =>
          bot.run(turn),
        );
      });
      const ms = Math.round(performance.now() - started);
      log.debug({ status: res.statusCode, ms }, 'answered a request to /api/messages');
    }),
  );
  const { localDocuments } = app.services;
  if (localDocuments) serveLocalDocuments(server, localDocuments);
  server.get('/healthz', (_req, res, next) => {
    res.send(200, { status: 'ok' });
    return next();
  });
  server.get('/readyz', async (_req, res) => {
    const reachable = (ping: Promise<void>): Promise<'ok' | 'unreachable'> =>
      raceTimeout(
        ping.then(
          () => 'ok' as const,
          () => 'unreachable' as const,
        ),
        READY_TIMEOUT_MS,
      ).then((answer) => answer ?? 'unreachable');
    const [cosmos, blob] = await Promise.all([
      reachable(app.storage.pingDatabase()),
      reachable(app.storage.files.ping()),
    ]);
    res.send(cosmos === 'ok' && blob === 'ok' ? 200 : 503, { cosmos, blob });
  });
  return server;
}

/**
 * Runs `work` now and every `everyMs` on one instance at a time: the one holding the job lease
 * `job` (the lease outlasts the period, so its holder keeps it). Returns the timer.
 */
function leasedJob(
  app: AppServices,
  job: string,
  everyMs: number,
  work: (now: Date) => Promise<unknown>,
): NodeJS.Timeout {
  const run = (): void => {
    const now = new Date();
    void app.storage.leases
      .take(job, app.instanceId, { now, forMs: 2 * everyMs })
      .then((holds) => (holds ? work(now) : undefined))
      .catch((e: unknown) => log.error({ err: e, job }, 'a periodic job failed'));
  };
  run();
  const timer = setInterval(run, everyMs);
  timer.unref();
  return timer;
}

/**
 * Starts the periodic work: notification sweeps, the start-up history compaction, orphan blobs and
 * (on Cosmos DB) items past their keeping time.
 */
function startBackgroundWork(app: AppServices): { stop(): void } {
  const { storage } = app;
  app.notifications.start(SWEEP_EVERY_MS);
  void compactLongHistories(storage.claims).catch((e: unknown) =>
    log.error({ err: e }, 'moving old claim history out failed'),
  );
  const { sweepExpired } = storage;
  const timers = [
    leasedJob(app, 'orphan-blob-sweep', ORPHAN_SWEEP_EVERY_MS, (now) =>
      sweepOrphanBlobs(storage.files, storage.claims, now),
    ),
    ...(sweepExpired
      ? [leasedJob(app, 'expired-items-sweep', EXPIRY_SWEEP_EVERY_MS, sweepExpired)]
      : []),
  ];
  return { stop: () => timers.forEach(clearInterval) };
}

/**
 * Serves `app` over HTTP on the configured host and port and starts its background work; the
 * result's `stop` closes the server and stops that work (not the services: see startApp).
 */
export async function startServer(
  config: Config,
  app: AppServices,
  opts: ServerOptions = {},
): Promise<{ url: string; stop(): void }> {
  if (!config.auth) {
    log.warn(
      'LOCAL MODE: MICROSOFT_APP_ID is not set, so /api/messages accepts requests without a Bot Framework token. Never expose this port.',
    );
  }
  const server = createServer(config, app, opts);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, resolve);
    });
  } catch (e) {
    const inUse = (e as NodeJS.ErrnoException).code === 'EADDRINUSE';
    throw inUse ? new ConfigError('PORT', `${config.port} is already in use on ${config.host}`) : e;
  }
  const background = startBackgroundWork(app);
  const address = server.address() as AddressInfo;
  const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
  const url = `http://${host}:${address.port}`;
  app.services.localDocuments?.servedAt(url);
  return {
    url,
    stop: () => {
      server.close();
      background.stop();
    },
  };
}
