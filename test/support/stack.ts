import { startApp, RunningApp } from '../../src/app';
import assert from 'node:assert/strict';
import { BotSdk, Config, loadConfig } from '../../src/config';
import { CosmosDb, openCosmos } from '../../src/store/cosmos';
import { LocalStack, startLocalStack } from '../../src/local/stack';

let stack: Promise<LocalStack> | undefined;

/**
 * Where the run's emulators are, for the test files in mocha's workers (`--parallel`): set by the
 * process that started them (`shareStackWithWorkers`), inherited by every worker it forks.
 */
const SHARED = {
  endpoint: 'TEST_STACK_COSMOS_ENDPOINT',
  key: 'TEST_STACK_COSMOS_KEY',
  storage: 'TEST_STACK_STORAGE_CONNECTION_STRING',
} as const;

/** The stack another process started and shares through the environment; it stops it too. */
function stackFromEnvironment(): LocalStack | undefined {
  const endpoint = process.env[SHARED.endpoint];
  const key = process.env[SHARED.key];
  const storageConnectionString = process.env[SHARED.storage];
  if (!endpoint || !key || !storageConnectionString) return undefined;
  return { cosmos: { endpoint, key }, storageConnectionString, stop: async () => undefined };
}

/**
 * One in-memory local stack (Cosmos emulator + Azurite) shared by every test file of a run, in this
 * process and in mocha's workers alike.
 */
export function sharedStack(): Promise<LocalStack> {
  stack ??= Promise.resolve(stackFromEnvironment() ?? startLocalStack({ dataDir: undefined }));
  return stack;
}

/** Starts the shared stack and tells the processes forked from now on where it is. */
export async function shareStackWithWorkers(): Promise<void> {
  const s = await sharedStack();
  process.env[SHARED.endpoint] = s.cosmos.endpoint;
  process.env[SHARED.key] = s.cosmos.key;
  process.env[SHARED.storage] = s.storageConnectionString;
}

export async function stopSharedStack(): Promise<void> {
  if (stack) await (await stack).stop();
  stack = undefined;
}

let databaseCounter = 0;

/**
 * The SDK of the Teams edge under test: BOT_SDK of the test run (`BOT_SDK=agents npm test`, the
 * agents pass of `npm test`), else the default. A test's own env can still name one.
 */
export const sdkUnderTest = (): BotSdk =>
  process.env.BOT_SDK === 'agents' ? 'agents' : 'botbuilder';

/**
 * Config for an app on the shared stack with its own database, on a free loopback port, so test
 * files never see each other's data.
 */
export async function testConfig(env: Record<string, string> = {}): Promise<Config> {
  const s = await sharedStack();
  databaseCounter += 1;
  return loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    BOT_SDK: sdkUnderTest(),
    COSMOS_ENDPOINT: s.cosmos.endpoint,
    COSMOS_KEY: s.cosmos.key,
    COSMOS_DATABASE: `test-${process.pid}-${databaseCounter}`,
    STORAGE_CONNECTION_STRING: s.storageConnectionString,
    BLOB_CONTAINER: `test-${process.pid}-${databaseCounter}`,
    ...env,
  });
}

/**
 * Where an app on in-memory storage (`storage: 'memory'`) is told its storage is: loopback addresses
 * nothing listens on and nothing connects to, so that its config is the same as on the emulators
 * (not local mode: scaled out, downloads only from the allowed hosts, no demo seed).
 */
const UNUSED_STORAGE = {
  COSMOS_ENDPOINT: 'http://127.0.0.1:9/',
  COSMOS_KEY: 'in-memory-storage-has-no-key',
  STORAGE_CONNECTION_STRING: 'BlobEndpoint=http://127.0.0.1:9/unused;AccountName=unused',
};

/** Config for an app on in-memory storage, on a free loopback port; no emulator is started. */
export function memoryTestConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    BOT_SDK: sdkUnderTest(),
    ...UNUSED_STORAGE,
    ...env,
  });
}

/** A database of its own on the shared stack, for a store suite; drop it in after(). */
export async function openTestDatabase(): Promise<CosmosDb> {
  const config = await testConfig();
  assert.ok(config.cosmos, 'the test config points at the emulator');
  return openCosmos(config.cosmos);
}

/** Deletes a suite's database (if it was opened) and closes the client. */
export async function dropTestDatabase(db: CosmosDb | undefined): Promise<void> {
  if (!db) return;
  await db.database.delete();
  db.close();
}

/**
 * A database of the calling suite's own on the shared stack, opened before its tests and dropped
 * after them: the suite reads it through the getter.
 */
export function suiteDatabase(): () => CosmosDb {
  let db: CosmosDb | undefined;
  before(async function () {
    this.timeout(60_000);
    db = await openTestDatabase();
  });
  after(() => dropTestDatabase(db));
  return () => {
    assert.ok(db, 'the suite database is opened before its tests');
    return db;
  };
}

/** The whole app on the shared stack; stop it in after(). */
export async function startTestApp(
  env: Record<string, string> = {},
  opts: Parameters<typeof startApp>[1] = {},
): Promise<RunningApp> {
  return startApp(await testConfig(env), opts);
}
