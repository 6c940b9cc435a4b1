import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { RunningApp, startApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { texts } from '../../src/i18n/i18n';
import { AzuriteHandle, startAzurite } from '../../src/local/azurite';
import { CosmosDb, openCosmos } from '../../src/store/cosmos';
import { DatabaseCounts, countsBetween } from '../../testkit/countingProxy';
import { startEchoBot } from './echoBot';
import { LoadResult, TURN_TIMEOUT_MS } from './load';
import { BotProcess, MAIN_JS, startBot } from './processes';
import { RpcWorker } from './rpc';
import type { StorageApi } from './storageWorker';
import type { TeamsApi } from './teamsWorker';

/** Texts that only an error answer holds: a turn answering one of them is a broken benchmark. */
const ERROR_MARKERS = [texts('en-US').t('errors.title'), 'Something went wrong on our side'];

export interface BenchApp {
  /** The bot's messaging endpoint. */
  readonly url: string;
  readonly database: string;
  readonly running: RunningApp;
  /** Direct access to the app's database (not through the counting proxy), for seeding. */
  readonly db: CosmosDb;
}

/** Share of the time each thread's event loop was busy during a phase (0–1). */
export interface Busy {
  /** The bots (app and echo) and everything else of the main thread. */
  readonly bot: number;
  /** The Cosmos emulator and the counting proxy. */
  readonly storage: number;
  /** The load generator and the recording connector. */
  readonly teams: number;
}

const CLOCK_TICKS_PER_S = 100;
/** A phase's timed window may stretch this long (or 5× its duration) to collect enough turns. */
const MIN_WINDOW_CAP_MS = 10_000;
/** Quick mode: the untimed turns at the start of a phase (full mode: a quarter, 300–500 ms). */
const QUICK_WARMUP_MS = 100;
/** After a phase with unanswered turns: wait for the threads to fall idle (busy below 20%). */
const SETTLE_MAX_MS = 60_000;
const SETTLE_SAMPLE_MS = 250;
const SETTLED_BELOW = 0.2;
/** Quick mode: the database of the bot processes the sections share (each with its own tenants). */
export const SHARED_DATABASE = 'bench-shared';
const SHARED_READY_MS = 60_000;
/**
 * Quick mode: the bot processes (`npm start`'s code) the sections share, by their settings:
 * `default` serves files, scale out's instance alone, money and the SDKs' botbuilder.
 */
const SHARED = {
  default: {},
  scaleOut1: { SCALE_OUT: 'true' },
  scaleOut2: { SCALE_OUT: 'true' },
  agents: { BOT_SDK: 'agents' },
} as const satisfies Record<string, Record<string, string>>;
export type SharedBot = keyof typeof SHARED;

/**
 * CPU time the main thread (the bots) has used, in ms: user + system time of this thread from
 * /proc (Linux), else its event loop's busy time.
 */
function mainThreadCpuMs(): number {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_S;
  } catch {
    return performance.eventLoopUtilization().active;
  }
}

export interface PhaseResult extends LoadResult {
  readonly busy: Busy;
  /** CPU time of the main thread (the bots) per turn answered, in ms. */
  readonly botCpuMsPerTurn: number;
  /** Storage requests of the phase's database (when given), for requests per turn under load. */
  readonly storage?: DatabaseCounts;
}

export interface Phase {
  readonly url: string;
  readonly users: readonly (readonly string[])[];
  readonly concurrency: number;
}

/**
 * The local stack the benchmarks share: the Cosmos emulator behind the counting proxy (worker),
 * Azurite (child process), the Teams side (worker: load generator + recording connector) and the
 * echo bot; apps started on it each get their own database.
 */
export class Bench {
  /** What broke the benchmark itself (a failed turn, a lost notification): exit code 1. */
  readonly breaks: string[] = [];
  /** What the report should mention besides the figures (turns Teams would have retried). */
  readonly notes: string[] = [];
  private readonly apps: BenchApp[] = [];
  private readonly dbs: CosmosDb[] = [];
  private readonly shared = new Map<SharedBot, Promise<BotProcess>>();
  private sharedDb: Promise<CosmosDb> | undefined;

  private constructor(
    readonly quick: boolean,
    readonly storage: RpcWorker<StorageApi>,
    readonly teams: RpcWorker<TeamsApi>,
    readonly cosmos: { emulator: string; proxy: string; key: string },
    readonly azurite: AzuriteHandle,
    readonly serviceUrl: string,
    readonly echoUrl: string,
    private readonly stopEcho: () => Promise<void>,
  ) {}

  static async start(quick: boolean): Promise<Bench> {
    const storage = new RpcWorker<StorageApi>(path.join(__dirname, 'storageWorker.js'));
    const teams = new RpcWorker<TeamsApi>(path.join(__dirname, 'teamsWorker.js'));
    const [cosmos, azurite, { serviceUrl }, echo] = await Promise.all([
      storage.call('start'),
      startAzurite({}),
      teams.call('start', ERROR_MARKERS),
      startEchoBot(),
    ]);
    return new Bench(quick, storage, teams, cosmos, azurite, serviceUrl, echo.url, echo.stop);
  }

  /**
   * Settings of an app on this stack with its own database, reached through the counting proxy: one
   * instance alone (SCALE_OUT=false) unless `extra` says otherwise (section 10 compares both).
   */
  env(database: string, extra: Record<string, string> = {}): Record<string, string> {
    return {
      HOST: '127.0.0.1',
      SCALE_OUT: 'false',
      COSMOS_ENDPOINT: this.cosmos.proxy,
      COSMOS_KEY: this.cosmos.key,
      COSMOS_DATABASE: database,
      STORAGE_CONNECTION_STRING: this.azurite.connectionString,
      BLOB_CONTAINER: database,
      ALLOWED_DOWNLOAD_HOSTS: '127.0.0.1',
      ...extra,
    };
  }

  /**
   * The app on its own database; with `checkout`, the app of that built checkout (older code, for a
   * comparison in the same run), in this process too.
   */
  async startApp(database: string, checkout?: string): Promise<BenchApp> {
    const code = checkout
      ? {
          ...((await import(
            path.resolve(checkout, 'dist/src/app.js')
          )) as typeof import('../../src/app')),
          ...((await import(
            path.resolve(checkout, 'dist/src/config.js')
          )) as typeof import('../../src/config')),
        }
      : { startApp, loadConfig };
    const running = await code.startApp(code.loadConfig({ ...this.env(database), PORT: '0' }));
    const app = {
      url: `${running.url}/api/messages`,
      database,
      running,
      db: await this.db(database),
    };
    this.apps.push(app);
    return app;
  }

  /** A database straight on the emulator (created when missing), closed when the bench stops. */
  async db(database: string): Promise<CosmosDb> {
    const db = await openCosmos({ endpoint: this.cosmos.emulator, key: this.cosmos.key, database });
    this.dbs.push(db);
    return db;
  }

  async counts(database: string): Promise<DatabaseCounts | undefined> {
    return (await this.storage.call('counts'))[database];
  }

  /**
   * A timed load phase; failed turns and error answers are recorded as breaks. With `database`,
   * the storage requests made to it during the phase are returned too.
   */
  async load(
    name: string,
    phase: Phase,
    durationMs: number,
    database?: string,
  ): Promise<PhaseResult> {
    const before = await this.teams.call('tally');
    const countsBefore = database ? await this.counts(database) : undefined;
    const cpuBefore = mainThreadCpuMs();
    const elu = {
      bot: performance.eventLoopUtilization(),
      storage: this.storage.eventLoopUtilization(),
      teams: this.teams.eventLoopUtilization(),
    };
    const result = await this.teams.call('load', {
      ...phase,
      durationMs,
      warmupMs: this.quick ? QUICK_WARMUP_MS : Math.min(500, Math.max(300, durationMs / 4)),
      minTurns: (this.quick ? 1 : 2) * phase.concurrency,
      maxMs: Math.max(5 * durationMs, MIN_WINDOW_CAP_MS),
      errorMarkers: ERROR_MARKERS,
    });
    const busy: Busy = {
      bot: performance.eventLoopUtilization(elu.bot).utilization,
      storage: this.storage.eventLoopUtilization(elu.storage).utilization,
      teams: this.teams.eventLoopUtilization(elu.teams).utilization,
    };
    const storage = database ? countsBetween(countsBefore, await this.counts(database)) : undefined;
    const after = await this.teams.call('tally');
    if (result.failures.length) {
      this.breaks.push(
        `${name}: ${result.failures.length} failed turns, e.g. ${result.failures[0]}`,
      );
    }
    if (result.timeouts) {
      await this.settle();
      this.notes.push(
        `${name}: ${result.timeouts} turns were not answered within ${TURN_TIMEOUT_MS / 1000} s ` +
          '(Teams would have sent them again)',
      );
    }
    if (after.errors > before.errors) {
      this.breaks.push(`${name}: ${after.errors - before.errors} error messages sent by the bot`);
    }
    return {
      ...result,
      busy,
      botCpuMsPerTurn: (mainThreadCpuMs() - cpuBefore) / Math.max(1, result.turns),
      ...(storage ? { storage } : {}),
    };
  }

  /**
   * Waits (at most SETTLE_MAX_MS) until the bot and storage threads are idle again: turns the
   * client gave up on keep running in the bot and would weigh on the next phase.
   */
  private async settle(): Promise<void> {
    const deadline = performance.now() + SETTLE_MAX_MS;
    while (performance.now() < deadline) {
      const bot = performance.eventLoopUtilization();
      const storage = this.storage.eventLoopUtilization();
      await new Promise((resolve) => setTimeout(resolve, SETTLE_SAMPLE_MS));
      const busy = Math.max(
        performance.eventLoopUtilization(bot).utilization,
        this.storage.eventLoopUtilization(storage).utilization,
      );
      if (busy < SETTLED_BELOW) return;
    }
  }

  /**
   * Quick mode: the bot process of these settings, started when first asked for and left running
   * for the sections after (it stops with the bench); full mode: undefined (each section starts
   * and stops its own).
   */
  sharedBot(name: SharedBot): Promise<BotProcess> | undefined {
    if (!this.quick) return undefined;
    let bot = this.shared.get(name);
    if (!bot) {
      // The database and its containers made once, not by processes starting at once.
      this.sharedDb ??= this.db(SHARED_DATABASE);
      bot = this.sharedDb.then(() =>
        startBot(
          ['--disable-warning=DEP0111', MAIN_JS],
          this.env(SHARED_DATABASE, { LOG_LEVEL: 'warn', ...SHARED[name] }),
          SHARED_READY_MS,
        ),
      );
      this.shared.set(name, bot);
    }
    return bot;
  }

  /** Stops the apps started so far (their timers and sweeps would run on into later measures). */
  async stopApps(): Promise<void> {
    for (const app of this.apps.splice(0)) await app.running.stop();
  }

  async stop(): Promise<void> {
    await this.stopApps();
    await Promise.all(
      [...this.shared.values()].map((bot) =>
        bot.then((b) => b.child.stop()).catch(() => undefined),
      ),
    );
    for (const db of this.dbs) db.close();
    await this.stopEcho();
    await this.teams.call('stop').catch(() => undefined);
    await this.storage.call('stop').catch(() => undefined);
    await Promise.all([this.teams.terminate(), this.storage.terminate()]);
    await this.azurite.stop();
  }
}
