import assert from 'node:assert/strict';
import { ConfigError, isBootstrapAdmin, loadConfig } from '../src/config';
import { LogRecorder } from './support/logs';

const ADMIN = '8f3c2a10-1b2c-4d5e-8f90-a1b2c3d4e5f6';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

const AZURE = {
  COSMOS_ENDPOINT: 'https://coop.documents.azure.com:443/',
  COSMOS_KEY: 'secret-key',
  STORAGE_CONNECTION_STRING:
    'DefaultEndpointsProtocol=https;AccountName=coop;AccountKey=abc;EndpointSuffix=core.windows.net',
};
const PRODUCTION = {
  NODE_ENV: 'production',
  ...AZURE,
  MICROSOFT_APP_ID: '00000000-0000-0000-0000-000000000001',
  MICROSOFT_APP_PASSWORD: 'pw',
};

function refuses(env: Record<string, string>, variable: string): void {
  assert.throws(
    () => loadConfig(env),
    (e: unknown) => {
      assert.ok(e instanceof ConfigError, `expected ConfigError, got ${String(e)}`);
      assert.equal(e.variable, variable);
      assert.ok(e.message.includes(variable), e.message);
      return true;
    },
  );
}

describe('config', () => {
  it('has working local defaults for an empty environment', () => {
    const c = loadConfig({});
    assert.equal(c.port, 3978);
    assert.equal(c.host, '0.0.0.0');
    assert.equal(c.production, false);
    assert.equal(c.cosmos, undefined);
    assert.equal(c.cosmosDatabase, 'coop-claims');
    assert.equal(c.storageConnectionString, undefined);
    assert.equal(c.blobContainer, 'claim-documents');
    assert.equal(c.localDataDir, '.data');
    assert.equal(c.demoSeed, true);
    assert.equal(c.bootstrapAdmins.size, 0);
    assert.equal(c.allowedTenants, undefined);
    assert.equal(c.maxUploadBytes, 100 * 1024 * 1024);
    assert.equal(c.storageMaxTries, 4);
    assert.deepEqual(c.allowedDownloadHosts, ['127.0.0.1', 'localhost']);
    assert.equal(c.auth, undefined);
    assert.equal(c.playgroundPort, 56150);
  });

  it('reads Azure endpoints, tenants, admins and limits', () => {
    const c = loadConfig({
      ...PRODUCTION,
      PORT: '8080',
      COSMOS_DATABASE: 'claims_prod',
      BOOTSTRAP_ADMINS: ` ${ADMIN.toUpperCase()} , ,${TENANT}`,
      ALLOWED_TENANTS: TENANT,
      MAX_UPLOAD_MB: '5',
      STORAGE_MAX_TRIES: '6',
      BLOB_CONTAINER: 'docs-1',
    });
    assert.equal(c.production, true);
    assert.equal(c.port, 8080);
    assert.deepEqual(c.cosmos, {
      endpoint: AZURE.COSMOS_ENDPOINT,
      key: 'secret-key',
      database: 'claims_prod',
    });
    assert.equal(c.storageConnectionString, AZURE.STORAGE_CONNECTION_STRING);
    assert.deepEqual([...c.bootstrapAdmins].sort(), [ADMIN, TENANT].sort());
    assert.deepEqual([...(c.allowedTenants ?? [])], [TENANT]);
    assert.equal(c.maxUploadBytes, 5 * 1024 * 1024);
    assert.equal(c.storageMaxTries, 6);
    assert.equal(c.blobContainer, 'docs-1');
    assert.equal(c.demoSeed, false);
    assert.deepEqual(c.allowedDownloadHosts, [
      '*.sharepoint.com',
      '*.sharepoint-df.com',
      '*.sharepoint.us',
    ]);
    assert.deepEqual(c.auth, {
      appId: PRODUCTION.MICROSOFT_APP_ID,
      appPassword: 'pw',
      appType: 'MultiTenant',
      appTenantId: '',
      certificatePrivateKey: undefined,
      certificateThumbprint: undefined,
      openIdMetadataUrl: undefined,
      tokenIssuer: undefined,
      authorityEndpoint: undefined,
    });
  });

  it('BOOTSTRAP_ADMINS entries may name their tenant; a bare id is warned about in production', () => {
    const other = '11111111-2222-4333-8444-555555555555';
    const logs = new LogRecorder();
    try {
      const bound = loadConfig({
        ...PRODUCTION,
        BOOTSTRAP_ADMINS: `${TENANT.toUpperCase()}:${ADMIN}`,
      });
      assert.equal(isBootstrapAdmin(bound.bootstrapAdmins, TENANT, ADMIN.toUpperCase()), true);
      assert.equal(isBootstrapAdmin(bound.bootstrapAdmins, other, ADMIN), false);
      assert.equal(logs.parsed().filter((l) => l.msg.includes('BOOTSTRAP_ADMINS')).length, 0);
      const bare = loadConfig({ ...PRODUCTION, BOOTSTRAP_ADMINS: ADMIN });
      assert.equal(isBootstrapAdmin(bare.bootstrapAdmins, other, ADMIN), true);
      const warned = logs.parsed().filter((l) => l.msg.includes('BOOTSTRAP_ADMINS'));
      assert.deepEqual(
        warned.map((l) => l.level),
        ['warn'],
      );
      loadConfig({ BOOTSTRAP_ADMINS: ADMIN });
      assert.equal(logs.parsed().filter((l) => l.msg.includes('BOOTSTRAP_ADMINS')).length, 1);
    } finally {
      logs.stop();
    }
  });

  it('reaches Azure with Microsoft Entra ID when no key or connection string is given', () => {
    const c = loadConfig({
      NODE_ENV: 'production',
      MICROSOFT_APP_ID: PRODUCTION.MICROSOFT_APP_ID,
      MICROSOFT_APP_TYPE: 'UserAssignedMSI',
      MICROSOFT_APP_TENANT_ID: '11111111-2222-4333-8444-555555555555',
      COSMOS_ENDPOINT: AZURE.COSMOS_ENDPOINT,
      STORAGE_ACCOUNT_URL: 'https://acct.blob.core.windows.net/',
      AZURE_CLIENT_ID: PRODUCTION.MICROSOFT_APP_ID,
    });
    assert.equal(c.cosmos?.key, undefined);
    assert.equal(c.storageAccountUrl, 'https://acct.blob.core.windows.net/');
    assert.equal(c.azureClientId, PRODUCTION.MICROSOFT_APP_ID);
    assert.equal(c.auth?.appType, 'UserAssignedMSI');
  });

  it('accepts certificate credentials instead of a password', () => {
    const c = loadConfig({
      MICROSOFT_APP_ID: PRODUCTION.MICROSOFT_APP_ID,
      MICROSOFT_APP_CERTIFICATE_THUMBPRINT: 'AB12',
      MICROSOFT_APP_CERTIFICATE_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----',
    });
    assert.equal(c.auth?.certificateThumbprint, 'AB12');
    assert.equal(c.auth?.appPassword, '');
  });

  it('local mode without a token serves storage on this machine only (the emulators, a test proxy)', () => {
    const c = loadConfig({
      COSMOS_ENDPOINT: 'http://127.0.0.1:8081/',
      STORAGE_CONNECTION_STRING:
        'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;',
    });
    assert.equal(c.auth, undefined);
  });

  it('LOCAL_DATA_DIR=memory keeps local data in memory only', () => {
    assert.equal(loadConfig({ LOCAL_DATA_DIR: 'memory' }).localDataDir, undefined);
    assert.equal(loadConfig({ LOCAL_DATA_DIR: 'MEMORY' }).localDataDir, undefined);
    assert.equal(loadConfig({ LOCAL_DATA_DIR: '/var/coop' }).localDataDir, '/var/coop');
  });

  it('accepts the app types case-insensitively', () => {
    const c = loadConfig({
      MICROSOFT_APP_ID: 'app',
      MICROSOFT_APP_TYPE: 'singletenant',
      MICROSOFT_APP_TENANT_ID: TENANT,
    });
    assert.equal(c.auth?.appType, 'SingleTenant');
    assert.equal(c.auth?.appTenantId, TENANT);
  });

  describe('every refusal names its variable', () => {
    const cases: [string, Record<string, string>, string][] = [
      ['PORT not a number', { PORT: 'http' }, 'PORT'],
      ['PORT out of range', { PORT: '65536' }, 'PORT'],
      ['PORT negative', { PORT: '-1' }, 'PORT'],
      ['PORT with a fraction', { PORT: '3978.5' }, 'PORT'],
      [
        'COSMOS_ENDPOINT not a URL',
        { COSMOS_ENDPOINT: 'coop.documents.azure.com', COSMOS_KEY: 'k' },
        'COSMOS_ENDPOINT',
      ],
      ['COSMOS_KEY without COSMOS_ENDPOINT', { COSMOS_KEY: 'k' }, 'COSMOS_ENDPOINT'],
      ['STORAGE_ACCOUNT_URL not a URL', { STORAGE_ACCOUNT_URL: 'blob' }, 'STORAGE_ACCOUNT_URL'],
      [
        'STORAGE_ACCOUNT_URL with STORAGE_CONNECTION_STRING',
        {
          STORAGE_ACCOUNT_URL: 'https://acct.blob.core.windows.net/',
          STORAGE_CONNECTION_STRING: AZURE.STORAGE_CONNECTION_STRING,
        },
        'STORAGE_ACCOUNT_URL',
      ],
      ['AZURE_CLIENT_ID not a GUID', { AZURE_CLIENT_ID: 'me' }, 'AZURE_CLIENT_ID'],
      [
        'a certificate thumbprint without its key',
        { MICROSOFT_APP_CERTIFICATE_THUMBPRINT: 'AB12' },
        'MICROSOFT_APP_CERTIFICATE_PRIVATE_KEY',
      ],
      [
        'BOT_OPENID_METADATA_URL not a URL',
        {
          MICROSOFT_APP_ID: PRODUCTION.MICROSOFT_APP_ID,
          MICROSOFT_APP_PASSWORD: 'pw',
          BOT_OPENID_METADATA_URL: 'x',
        },
        'BOT_OPENID_METADATA_URL',
      ],
      ['COSMOS_DATABASE with a slash', { COSMOS_DATABASE: 'a/b' }, 'COSMOS_DATABASE'],
      [
        'STORAGE_CONNECTION_STRING not one',
        { STORAGE_CONNECTION_STRING: 'https://x' },
        'STORAGE_CONNECTION_STRING',
      ],
      [
        'BOOTSTRAP_ADMINS with a name',
        { BOOTSTRAP_ADMINS: `${ADMIN},alice@contoso.com` },
        'BOOTSTRAP_ADMINS',
      ],
      [
        'BOOTSTRAP_ADMINS with a short GUID',
        { BOOTSTRAP_ADMINS: ADMIN.slice(0, -1) },
        'BOOTSTRAP_ADMINS',
      ],
      [
        'BOOTSTRAP_ADMINS with a tenant that is not a GUID',
        { BOOTSTRAP_ADMINS: `contoso:${ADMIN}` },
        'BOOTSTRAP_ADMINS',
      ],
      [
        'BOOTSTRAP_ADMINS with three parts',
        { BOOTSTRAP_ADMINS: `${TENANT}:${ADMIN}:${ADMIN}` },
        'BOOTSTRAP_ADMINS',
      ],
      [
        'ALLOWED_TENANTS not a GUID',
        { ALLOWED_TENANTS: 'contoso.onmicrosoft.com' },
        'ALLOWED_TENANTS',
      ],
      [
        'production without Azure endpoints',
        { NODE_ENV: 'production', MICROSOFT_APP_ID: 'a', MICROSOFT_APP_PASSWORD: 'p' },
        'COSMOS_ENDPOINT',
      ],
      [
        'production without storage',
        {
          NODE_ENV: 'production',
          COSMOS_ENDPOINT: AZURE.COSMOS_ENDPOINT,
          COSMOS_KEY: 'k',
          MICROSOFT_APP_ID: 'a',
          MICROSOFT_APP_PASSWORD: 'p',
        },
        'STORAGE_CONNECTION_STRING',
      ],
      [
        'production without MICROSOFT_APP_ID',
        { NODE_ENV: 'production', ...AZURE },
        'MICROSOFT_APP_ID',
      ],
      ['bad MICROSOFT_APP_TYPE', { MICROSOFT_APP_TYPE: 'Anonymous' }, 'MICROSOFT_APP_TYPE'],
      ['MultiTenant without a password', { MICROSOFT_APP_ID: 'app' }, 'MICROSOFT_APP_PASSWORD'],
      [
        'SingleTenant without a tenant id',
        { MICROSOFT_APP_ID: 'app', MICROSOFT_APP_TYPE: 'SingleTenant' },
        'MICROSOFT_APP_TENANT_ID',
      ],
      [
        'UserAssignedMSI without a tenant id',
        { MICROSOFT_APP_ID: 'app', MICROSOFT_APP_TYPE: 'UserAssignedMSI' },
        'MICROSOFT_APP_TENANT_ID',
      ],
      ['MAX_UPLOAD_MB zero', { MAX_UPLOAD_MB: '0' }, 'MAX_UPLOAD_MB'],
      ['MAX_UPLOAD_MB too large', { MAX_UPLOAD_MB: '4097' }, 'MAX_UPLOAD_MB'],
      ['MAX_UPLOAD_MB with a unit', { MAX_UPLOAD_MB: '10MB' }, 'MAX_UPLOAD_MB'],
      ['STORAGE_MAX_TRIES zero', { STORAGE_MAX_TRIES: '0' }, 'STORAGE_MAX_TRIES'],
      ['STORAGE_MAX_TRIES too many', { STORAGE_MAX_TRIES: '11' }, 'STORAGE_MAX_TRIES'],
      ['BLOB_CONTAINER upper case', { BLOB_CONTAINER: 'Claims' }, 'BLOB_CONTAINER'],
      ['BLOB_CONTAINER too short', { BLOB_CONTAINER: 'ab' }, 'BLOB_CONTAINER'],
      ['BLOB_CONTAINER double dash', { BLOB_CONTAINER: 'a--b' }, 'BLOB_CONTAINER'],
      ['BLOB_CONTAINER leading dash', { BLOB_CONTAINER: '-abc' }, 'BLOB_CONTAINER'],
      ['BLOB_CONTAINER too long', { BLOB_CONTAINER: 'a'.repeat(64) }, 'BLOB_CONTAINER'],
      ['DEMO_SEED not a flag', { DEMO_SEED: 'maybe' }, 'DEMO_SEED'],
      ['PLAYGROUND_PORT not a number', { PLAYGROUND_PORT: 'x' }, 'PLAYGROUND_PORT'],
      [
        'Azure Cosmos DB without an app id (no unauthenticated bot on Azure data)',
        { COSMOS_ENDPOINT: AZURE.COSMOS_ENDPOINT, COSMOS_KEY: 'k' },
        'MICROSOFT_APP_ID',
      ],
      [
        'Azure Storage without an app id',
        { STORAGE_CONNECTION_STRING: AZURE.STORAGE_CONNECTION_STRING },
        'MICROSOFT_APP_ID',
      ],
      [
        'an Azure blob endpoint without an app id',
        { STORAGE_ACCOUNT_URL: 'https://acct.blob.core.windows.net/' },
        'MICROSOFT_APP_ID',
      ],
    ];
    for (const [label, env, variable] of cases) {
      it(`${label} → ${variable}`, () => refuses(env, variable));
    }
  });

  it('accepts the boundary values', () => {
    assert.equal(loadConfig({ PORT: '0' }).port, 0);
    assert.equal(loadConfig({ PORT: '65535' }).port, 65535);
    assert.equal(loadConfig({ MAX_UPLOAD_MB: '4096' }).maxUploadBytes, 4096 * 1024 * 1024);
    assert.equal(loadConfig({ BLOB_CONTAINER: 'abc' }).blobContainer, 'abc');
    assert.equal(loadConfig({ BLOB_CONTAINER: 'a'.repeat(63) }).blobContainer, 'a'.repeat(63));
    assert.equal(loadConfig({ DEMO_SEED: 'no' }).demoSeed, false);
    assert.equal(loadConfig({ PORT: '  ' }).port, 3978, 'blank means unset');
  });
});
