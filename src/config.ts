import { LOCALES } from './i18n/i18n';
import { log } from './log';

/**
 * Every environment variable the app reads, validated once at start-up. A bad value stops the app with
 * the variable's name; nothing else in src/ reads process.env.
 */
export interface Config {
  readonly port: number;
  readonly host: string;
  readonly production: boolean;
  readonly cosmos:
    | {
        readonly endpoint: string;
        /** Undefined: Microsoft Entra credentials (managed identity in Azure). */
        readonly key: string | undefined;
        readonly database: string;
      }
    | undefined;
  readonly cosmosDatabase: string;
  readonly storageConnectionString: string | undefined;
  /** Blob endpoint reached with Microsoft Entra credentials, instead of a connection string. */
  readonly storageAccountUrl: string | undefined;
  /** Client id of the user-assigned managed identity for Cosmos DB and Blob (Entra credentials). */
  readonly azureClientId: string | undefined;
  readonly blobContainer: string;
  /** Where the local emulators keep their data; undefined = memory only. */
  readonly localDataDir: string | undefined;
  readonly demoSeed: boolean;
  /**
   * The whole loop in the Agents Playground, on the local stack only (like the demo seed, never in
   * production): the local `attach` command, and no 1:1 chats opened for people who are not at the
   * Playground's keyboard (it would never show them); their notifications wait until they write.
   */
  readonly localLoop: boolean;
  /**
   * The local loop's language (`npm run dev -- --locale nl-NL`): every activity is read as if the
   * client said it, since the Agents Playground always says en-US. Undefined: the client's.
   */
  readonly localLocale: string | undefined;
  /**
   * Whether other instances share the database: then every turn reads what it decides on afresh
   * (read-your-writes across instances); else this process's own copies serve for a second.
   */
  readonly scaleOut: boolean;
  /** Lower-cased `<tenant id>:<object id>`, or a bare object id (any tenant): see isBootstrapAdmin. */
  readonly bootstrapAdmins: ReadonlySet<string>;
  readonly allowedTenants: ReadonlySet<string> | undefined;
  readonly maxUploadBytes: number;
  /** Tries of one Blob storage request before it fails (the SDK's retry policy, exponential). */
  readonly storageMaxTries: number;
  readonly allowedDownloadHosts: readonly string[];
  readonly auth:
    | {
        readonly appId: string;
        readonly appPassword: string;
        readonly appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
        readonly appTenantId: string;
        readonly certificateThumbprint: string | undefined;
        readonly certificatePrivateKey: string | undefined;
        /** Overrides for sovereign clouds (and tests with a local token issuer). */
        readonly openIdMetadataUrl: string | undefined;
        readonly tokenIssuer: string | undefined;
        /** The Agents SDK's Entra authority (its signing keys and sign-in), in place of the metadata URL. */
        readonly authorityEndpoint: string | undefined;
      }
    | undefined;
  /** The SDK of the Teams edge: botbuilder (Bot Framework SDK) or agents (Microsoft 365 Agents SDK). */
  readonly botSdk: BotSdk;
  readonly playgroundPort: number;
  readonly logLevel: LogLevel;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`configuration: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function text(env: Env, name: string): string | undefined {
  const v = env[name]?.trim();
  return v ? v : undefined;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const v = text(env, name);
  if (v === undefined) return fallback;
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) {
    throw new ConfigError(name, `must be a whole number from ${min} to ${max}, got "${v}"`);
  }
  return Number(v);
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const v = text(env, name)?.toLowerCase();
  if (v === undefined) return fallback;
  if (['1', 'true', 'yes'].includes(v)) return true;
  if (['0', 'false', 'no'].includes(v)) return false;
  throw new ConfigError(name, `must be true or false, got "${v}"`);
}

/** One of `values`, compared case-insensitively. */
function oneOf<T extends string>(env: Env, name: string, values: readonly T[], fallback: T): T {
  const v = (text(env, name) ?? fallback).toLowerCase();
  const found = values.find((value) => value.toLowerCase() === v);
  if (!found) throw new ConfigError(name, `must be one of ${values.join(', ')}`);
  return found;
}

function list(env: Env, name: string): string[] {
  return (text(env, name) ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function guids(env: Env, name: string): Set<string> {
  const values = list(env, name).map((s) => s.toLowerCase());
  const bad = values.find((v) => !GUID.test(v));
  if (bad)
    throw new ConfigError(name, `must list Microsoft Entra object ids (GUIDs), got "${bad}"`);
  return new Set(values);
}

/**
 * BOOTSTRAP_ADMINS: `<tenant id>:<object id>` binds an admin to one tenant; a bare object id is a
 * global admin in every tenant that has a user with that id (warned about in production).
 */
function bootstrapAdmins(env: Env, production: boolean): Set<string> {
  const entries = list(env, 'BOOTSTRAP_ADMINS').map((s) => s.toLowerCase());
  const bad = entries.find(
    (e) => !e.split(':').every((id) => GUID.test(id)) || e.split(':').length > 2,
  );
  if (bad) {
    throw new ConfigError(
      'BOOTSTRAP_ADMINS',
      `must list <tenant id>:<object id> (or object ids), as GUIDs, got "${bad}"`,
    );
  }
  if (production && entries.some((e) => !e.includes(':'))) {
    log.warn(
      'BOOTSTRAP_ADMINS lists an object id without its tenant: it is an admin in any tenant',
    );
  }
  return new Set(entries);
}

export const isBootstrapAdmin = (
  admins: ReadonlySet<string>,
  tenantId: string,
  userId: string,
): boolean => admins.has(userId.toLowerCase()) || admins.has(`${tenantId}:${userId}`.toLowerCase());

const APP_TYPES = ['MultiTenant', 'SingleTenant', 'UserAssignedMSI'] as const;
export const BOT_SDKS = ['botbuilder', 'agents'] as const;
export type BotSdk = (typeof BOT_SDKS)[number];

const LOOPBACK_HOST = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/**
 * A storage setting (an endpoint URL or a connection string) whose endpoints are all on this
 * machine: the local emulators, or a test's proxy in front of them.
 */
function reachesOnlyLoopback(setting: string): boolean {
  const urls = setting.match(/https?:\/\/[^;\s]+/gi) ?? [];
  if (!urls.length) return false;
  return urls.every((u) => {
    try {
      return LOOPBACK_HOST.test(new URL(u).hostname);
    } catch {
      return false;
    }
  });
}

/** Where the data is: Cosmos DB and Blob storage settings, and whether they are the local emulators. */
function storageSettings(env: Env, production: boolean) {
  const cosmosEndpoint = text(env, 'COSMOS_ENDPOINT');
  if (cosmosEndpoint && !/^https?:\/\/[^\s]+$/.test(cosmosEndpoint)) {
    throw new ConfigError('COSMOS_ENDPOINT', `must be an http(s) URL, got "${cosmosEndpoint}"`);
  }
  const cosmosKey = text(env, 'COSMOS_KEY');
  if (cosmosKey && !cosmosEndpoint) {
    throw new ConfigError('COSMOS_ENDPOINT', 'is required with COSMOS_KEY');
  }
  const cosmosDatabase = text(env, 'COSMOS_DATABASE') ?? 'coop-claims';
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(cosmosDatabase)) {
    throw new ConfigError('COSMOS_DATABASE', 'may hold only letters, digits, - and _ (64 at most)');
  }
  const blobContainer = text(env, 'BLOB_CONTAINER') ?? 'claim-documents';
  if (!/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/.test(blobContainer)) {
    throw new ConfigError(
      'BLOB_CONTAINER',
      'must be a valid blob container name (3-63 lower-case letters, digits, -)',
    );
  }
  const storageConnectionString = text(env, 'STORAGE_CONNECTION_STRING');
  if (storageConnectionString && !/(BlobEndpoint|AccountName)=/i.test(storageConnectionString)) {
    throw new ConfigError('STORAGE_CONNECTION_STRING', 'is not an Azure Storage connection string');
  }
  const storageAccountUrl = text(env, 'STORAGE_ACCOUNT_URL');
  if (storageAccountUrl && !/^https?:\/\/[^\s]+$/.test(storageAccountUrl)) {
    throw new ConfigError(
      'STORAGE_ACCOUNT_URL',
      `must be an http(s) URL, got "${storageAccountUrl}"`,
    );
  }
  if (storageAccountUrl && storageConnectionString) {
    throw new ConfigError(
      'STORAGE_ACCOUNT_URL',
      'and STORAGE_CONNECTION_STRING exclude each other',
    );
  }
  const local = !cosmosEndpoint || !(storageConnectionString || storageAccountUrl);
  if (production && local) {
    throw new ConfigError(
      cosmosEndpoint ? 'STORAGE_CONNECTION_STRING' : 'COSMOS_ENDPOINT',
      'is required when NODE_ENV=production (the local emulators are for development only)',
    );
  }
  return {
    cosmosEndpoint,
    cosmosKey,
    cosmosDatabase,
    blobContainer,
    storageConnectionString,
    storageAccountUrl,
    local,
  };
}

/** The bot's app registration (none: local mode, where no Bot Framework token is checked). */
function authSettings(env: Env, production: boolean): Config['auth'] {
  const appId = text(env, 'MICROSOFT_APP_ID');
  const appType = oneOf(env, 'MICROSOFT_APP_TYPE', APP_TYPES, 'MultiTenant');
  const appPassword = text(env, 'MICROSOFT_APP_PASSWORD') ?? '';
  const appTenantId = text(env, 'MICROSOFT_APP_TENANT_ID') ?? '';
  const certificateThumbprint = text(env, 'MICROSOFT_APP_CERTIFICATE_THUMBPRINT');
  const certificatePrivateKey = text(env, 'MICROSOFT_APP_CERTIFICATE_PRIVATE_KEY');
  if (Boolean(certificateThumbprint) !== Boolean(certificatePrivateKey)) {
    throw new ConfigError(
      certificateThumbprint
        ? 'MICROSOFT_APP_CERTIFICATE_PRIVATE_KEY'
        : 'MICROSOFT_APP_CERTIFICATE_THUMBPRINT',
      'is required with the other certificate variable',
    );
  }
  if (appId && appType === 'MultiTenant' && !appPassword && !certificateThumbprint) {
    throw new ConfigError(
      'MICROSOFT_APP_PASSWORD',
      'is required with MICROSOFT_APP_ID for a MultiTenant bot (or a certificate)',
    );
  }
  const openIdMetadataUrl = text(env, 'BOT_OPENID_METADATA_URL');
  if (openIdMetadataUrl && !/^https?:\/\/\S+$/.test(openIdMetadataUrl)) {
    throw new ConfigError('BOT_OPENID_METADATA_URL', 'must be an http(s) URL');
  }
  if (appId && appType !== 'MultiTenant' && !appTenantId) {
    throw new ConfigError('MICROSOFT_APP_TENANT_ID', `is required for a ${appType} bot`);
  }
  if (production && !appId) {
    throw new ConfigError(
      'MICROSOFT_APP_ID',
      'is required when NODE_ENV=production (no unauthenticated bot in production)',
    );
  }
  return appId
    ? {
        appId,
        appPassword,
        appType,
        appTenantId,
        certificateThumbprint,
        certificatePrivateKey,
        openIdMetadataUrl,
        tokenIssuer: text(env, 'BOT_TOKEN_ISSUER'),
        authorityEndpoint: text(env, 'BOT_AUTHORITY_ENDPOINT'),
      }
    : undefined;
}

/**
 * BOT_SDK, and the settings only one SDK reads, refused under the other rather than ignored: the
 * Agents SDK finds its signing keys from the token's issuer and BOT_AUTHORITY_ENDPOINT (it reads no
 * OpenID metadata URL) and signs in with a secret or a managed identity (no certificate string).
 */
function botSdk(env: Env, auth: Config['auth']): BotSdk {
  const sdk = oneOf(env, 'BOT_SDK', BOT_SDKS, 'botbuilder');
  const authority = text(env, 'BOT_AUTHORITY_ENDPOINT');
  if (authority && !/^https?:\/\/\S+$/.test(authority)) {
    throw new ConfigError('BOT_AUTHORITY_ENDPOINT', 'must be an http(s) URL');
  }
  if (sdk === 'botbuilder' && authority) {
    throw new ConfigError('BOT_AUTHORITY_ENDPOINT', 'is read by BOT_SDK=agents only');
  }
  if (sdk === 'agents' && auth?.openIdMetadataUrl) {
    throw new ConfigError(
      'BOT_OPENID_METADATA_URL',
      'is read by BOT_SDK=botbuilder only (with agents: BOT_AUTHORITY_ENDPOINT)',
    );
  }
  if (sdk === 'agents' && auth?.certificateThumbprint) {
    throw new ConfigError(
      'MICROSOFT_APP_CERTIFICATE_THUMBPRINT',
      'is read by BOT_SDK=botbuilder only (with agents: MICROSOFT_APP_PASSWORD or a managed identity)',
    );
  }
  return sdk;
}

export function loadConfig(env: Env): Config {
  const production = env.NODE_ENV === 'production';
  const {
    cosmosEndpoint,
    cosmosKey,
    cosmosDatabase,
    blobContainer,
    storageConnectionString,
    storageAccountUrl,
    local,
  } = storageSettings(env, production);
  const dataDir = text(env, 'LOCAL_DATA_DIR') ?? '.data';
  const auth = authSettings(env, production);
  const sdk = botSdk(env, auth);
  const azureEndpoint = [cosmosEndpoint, storageAccountUrl, storageConnectionString].find(
    (setting) => setting && !reachesOnlyLoopback(setting),
  );
  if (azureEndpoint && !auth) {
    throw new ConfigError(
      'MICROSOFT_APP_ID',
      'is required when Azure storage is configured (local mode without a token is for the local emulators only)',
    );
  }
  const demoSeed = flag(env, 'DEMO_SEED', local);
  if (demoSeed && (azureEndpoint || production)) {
    throw new ConfigError(
      'DEMO_SEED',
      'works only with the local emulators (storage on this machine, NODE_ENV not production)',
    );
  }
  const localLocale = text(env, 'LOCAL_LOCALE');
  if (localLocale && !demoSeed) {
    throw new ConfigError('LOCAL_LOCALE', 'works only in the local loop (with DEMO_SEED)');
  }
  const tenants = guids(env, 'ALLOWED_TENANTS');
  const hosts = list(env, 'ALLOWED_DOWNLOAD_HOSTS');

  return {
    port: integer(env, 'PORT', 3978, 0, 65535),
    host: text(env, 'HOST') ?? '0.0.0.0',
    production,
    cosmos: cosmosEndpoint
      ? { endpoint: cosmosEndpoint, key: cosmosKey, database: cosmosDatabase }
      : undefined,
    cosmosDatabase,
    storageConnectionString,
    storageAccountUrl,
    azureClientId: [...guids(env, 'AZURE_CLIENT_ID')][0],
    blobContainer,
    localDataDir: dataDir.toLowerCase() === 'memory' ? undefined : dataDir,
    demoSeed,
    localLoop: demoSeed,
    localLocale: localLocale && oneOf(env, 'LOCAL_LOCALE', LOCALES, 'en-US'),
    scaleOut: flag(env, 'SCALE_OUT', !local),
    bootstrapAdmins: bootstrapAdmins(env, production),
    allowedTenants: tenants.size ? tenants : undefined,
    maxUploadBytes: integer(env, 'MAX_UPLOAD_MB', 100, 1, 4096) * 1024 * 1024,
    storageMaxTries: integer(env, 'STORAGE_MAX_TRIES', 4, 1, 10),
    allowedDownloadHosts: hosts.length
      ? hosts
      : local || demoSeed
        ? ['127.0.0.1', 'localhost']
        : ['*.sharepoint.com', '*.sharepoint-df.com', '*.sharepoint.us'],
    auth,
    botSdk: sdk,
    playgroundPort: integer(env, 'PLAYGROUND_PORT', 56150, 0, 65535),
    logLevel: oneOf(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
  };
}
