import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import type { RunningApp } from '../../src/app';
import { ConfigError, loadConfig } from '../../src/config';
import { RecordingConnector } from '../../testkit/connector';
import { startTestApp } from '../support/stack';
import { Activity, TeamsClient, TeamsUser, Tenant } from '../support/teams';
import { capture, postActivity } from './http';
import { JwtClaims, JwtHeader, SigningKey, TokenAuthority, newKey, nowS, signJwt } from './tokens';

const ISSUER = 'https://api.botframework.test';
const APP_ID = randomUUID();
const day = (offset: number): string =>
  new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

describe('trust: Bot Framework authentication on /api/messages', () => {
  const good = newKey();
  const webchatOnly = newKey();
  const rogue = newKey();
  let authority: TokenAuthority;
  let connector: RecordingConnector;
  let app: RunningApp;
  let teams: TeamsClient;
  let tenant: Tenant;
  let admin: TeamsUser;
  let mallory: TeamsUser;
  let startWarnings: string[];
  let number: string;
  const bootstrapAdmin = randomUUID();

  const botUrl = (): string => `${app.url}/api/messages`;

  /** The claims a channel token from the Bot Connector carries for this bot and service URL. */
  const claims = (over: JwtClaims = {}): JwtClaims => ({
    iss: ISSUER,
    aud: APP_ID,
    serviceurl: connector.serviceUrl,
    iat: nowS() - 30,
    nbf: nowS() - 30,
    exp: nowS() + 3600,
    ...over,
  });
  const header = (over: JwtHeader = {}): JwtHeader => ({
    alg: 'RS256',
    typ: 'JWT',
    kid: good.kid,
    ...over,
  });
  const bearer = (h: JwtHeader, c: JwtClaims, key: SigningKey = good): string =>
    `Bearer ${signJwt(h, c, key)}`;
  const valid = (): string => bearer(header(), claims());

  const fundForm = () => ({
    formId: randomUUID(),
    fundName: 'Authenticated fund',
    allocated: '10,000.00',
    currency: 'USD',
    periodStart: day(-100),
    periodEnd: day(100),
  });
  const claimForm = async (title: string) => ({
    formId: randomUUID(),
    title,
    fundId: (await app.services.funds.list(tenant.id))[0]?.id ?? '',
    activityType: 'webinar',
    activityStart: day(-20),
    activityEnd: day(-10),
    amount: '500.00',
    description: 'd',
  });

  before(async () => {
    authority = await TokenAuthority.start(ISSUER, [
      { key: good, endorsements: ['msteams'] },
      { key: webchatOnly, endorsements: ['webchat'] },
    ]);
    connector = await RecordingConnector.start();
    const started = await capture('warn', () =>
      startTestApp({
        // botbuilder's validation; the Agents SDK's: agentsAuthentication.test.ts.
        BOT_SDK: 'botbuilder',
        MICROSOFT_APP_ID: APP_ID,
        MICROSOFT_APP_PASSWORD: 'not-a-real-secret',
        BOT_OPENID_METADATA_URL: authority.metadataUrl,
        BOT_TOKEN_ISSUER: ISSUER,
        BOOTSTRAP_ADMINS: bootstrapAdmin,
      }),
    );
    app = started.result;
    startWarnings = started.lines;
    teams = new TeamsClient(botUrl(), connector);
    tenant = teams.tenant('contoso');
    admin = teams.user(tenant, 'Ada Admin', { aadObjectId: bootstrapAdmin });
    mallory = teams.user(tenant, 'Mallory Mint');

    // Everything below goes through invokes, whose answer is the HTTP body: no outbound call.
    const fund = await postActivity(
      botUrl(),
      teams.invokeActivity(admin, admin.personal, 'addFund', fundForm()),
      { authorization: valid() },
    );
    assert.equal(fund.status, 200, fund.text);
    assert.match(fund.cardText, /Authenticated fund/);
    const created = await postActivity(
      botUrl(),
      teams.invokeActivity(admin, admin.personal, 'createClaim', await claimForm('Signed claim')),
      { authorization: valid() },
    );
    assert.equal(created.status, 200, created.text);
    number = /CLM-\d{4}/.exec(created.cardText)?.[0] ?? '';
    assert.equal(number, 'CLM-0001', created.cardText);
  });

  after(async () => {
    await app?.stop();
    await connector?.stop();
    await authority?.stop();
  });

  it('does not print the LOCAL MODE warning when an app id is set', () => {
    assert.ok(!startWarnings.some((l) => /LOCAL MODE/.test(l)), startWarnings.join('\n'));
  });

  it('fetched the signing keys from the local OpenID metadata, not the internet', () => {
    assert.ok(authority.requests.includes('/v1/.well-known/openidconfiguration'));
    assert.ok(authority.requests.includes('/v1/keys'));
  });

  it('answers an invoke with a valid token: 200 and the card in the body', async () => {
    const r = await postActivity(
      botUrl(),
      teams.invokeActivity(admin, admin.personal, 'openClaim', { claim: number }),
      { authorization: valid() },
    );
    assert.equal(r.status, 200, r.text);
    assert.match(r.cardText, /Signed claim/);
  });

  it('accepts a token within botbuilder’s 5-minute clock tolerance, and RS512', async () => {
    for (const [h, c] of [
      [header(), claims({ exp: nowS() - 60 })],
      [header(), claims({ nbf: nowS() + 60 })],
      [header({ alg: 'RS512' }), claims()],
    ] as const) {
      const r = await postActivity(
        botUrl(),
        teams.invokeActivity(admin, admin.personal, 'openClaim', { claim: number }),
        { authorization: bearer(h, c) },
      );
      assert.equal(r.status, 200, `${JSON.stringify(h)} ${JSON.stringify(c)}: ${r.text}`);
    }
  });

  it('takes in a message with a valid token; its reply then asks Entra ID for a connector token', async () => {
    const seq = connector.seq;
    const { result: r, lines } = await capture('error', () =>
      postActivity(botUrl(), teams.message(admin, admin.personal, 'help'), {
        authorization: valid(),
      }),
    );
    const log = `HTTP ${r.status}\n${lines.join('\n').slice(0, 3000)}`;
    assert.notEqual(r.status, 401, r.text);
    // Offline the token request cannot succeed, so nothing may reach the connector unauthenticated.
    assert.equal(connector.since(seq).length, 0, 'nothing reached the connector without a token');
    // The failure must be the unreachable login endpoint, not outbound credentials left unconfigured
    // (MSAL "empty_url_error": no ToChannelFromBotLoginUrl once the metadata URL is overridden).
    assert.doesNotMatch(log, /empty_url_error/, log);
    assert.match(log, /login\.microsoftonline\.com|ENOTFOUND|EAI_AGAIN|network/i, log);
  });

  describe('refuses every request without a valid token with 401, and changes nothing', () => {
    const cases: [string, () => string | undefined][] = [
      ['no Authorization header', () => undefined],
      ['an empty bearer', () => 'Bearer '],
      ['a malformed token', () => 'Bearer not.a.jwt'],
      ['random bytes', () => `Bearer ${randomUUID()}${randomUUID()}`],
      ['another scheme', () => `Basic ${Buffer.from('bot:secret').toString('base64')}`],
      ['a lower-case scheme', () => valid().replace('Bearer', 'bearer')],
      ['three parts', () => `Bearer ${valid().slice(7)} extra`],
      ['the wrong audience (another bot)', () => bearer(header(), claims({ aud: randomUUID() }))],
      ['no audience', () => bearer(header(), claims({ aud: undefined }))],
      ['the wrong issuer', () => bearer(header(), claims({ iss: 'https://evil.example' }))],
      ['a look-alike issuer', () => bearer(header(), claims({ iss: `${ISSUER}.evil.example` }))],
      ['an expired token', () => bearer(header(), claims({ exp: nowS() - 600 }))],
      ['a token not valid yet', () => bearer(header(), claims({ nbf: nowS() + 600 }))],
      [
        'another service URL (replies would go elsewhere)',
        () => bearer(header(), claims({ serviceurl: 'https://smba.evil.example/' })),
      ],
      ['no service URL claim', () => bearer(header(), claims({ serviceurl: undefined }))],
      [
        'a token signed by another key, claiming the known kid',
        () => bearer(header(), claims(), rogue),
      ],
      [
        'a token signed by an unknown key',
        () => bearer(header({ kid: rogue.kid }), claims(), rogue),
      ],
      [
        'a tampered payload',
        () => {
          const [h, , s] = signJwt(header(), claims(), good).split('.');
          const forged = Buffer.from(JSON.stringify(claims({ aud: APP_ID, admin: true })));
          return `Bearer ${h}.${forged.toString('base64url')}.${s}`;
        },
      ],
      [
        'a key endorsed for another channel only',
        () => bearer(header({ kid: webchatOnly.kid }), claims(), webchatOnly),
      ],
      ['alg none with the known kid', () => bearer(header({ alg: 'none' }), claims())],
      ['alg none without kid', () => bearer({ alg: 'none', typ: 'JWT' }, claims())],
      [
        'HS256 keyed with the public key (algorithm confusion)',
        () => {
          const h = Buffer.from(JSON.stringify(header({ alg: 'HS256' }))).toString('base64url');
          const p = Buffer.from(JSON.stringify(claims())).toString('base64url');
          const pem = good.publicKey.export({ type: 'spki', format: 'pem' });
          const sig = createHmac('sha256', pem).update(`${h}.${p}`).digest('base64url');
          return `Bearer ${h}.${p}.${sig}`;
        },
      ],
      [
        'a skill token from another bot',
        () =>
          bearer(
            header(),
            claims({
              iss: 'https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/',
              ver: '1.0',
              appid: randomUUID(),
            }),
          ),
      ],
    ];

    for (const [name, authorization] of cases) {
      it(name, async () => {
        const before = await app.services.claims.get(tenant.id, number);
        const seq = connector.seq;
        const headers = (): Record<string, string> => {
          const value = authorization();
          return value === undefined ? {} : { authorization: value };
        };
        const { result: answers } = await capture('error', async () => [
          await postActivity(
            botUrl(),
            teams.invokeActivity(mallory, mallory.personal, 'createClaim', await claimForm('x')),
            headers(),
          ),
          await postActivity(
            botUrl(),
            teams.invokeActivity(admin, admin.personal, 'comment', {
              claim: number,
              comment: 'forged',
            }),
            headers(),
          ),
          await postActivity(botUrl(), teams.message(admin, admin.personal, 'claims'), headers()),
        ]);
        // Nothing changes, whatever the status: no claim, no conversation, nothing sent.
        assert.deepEqual(await app.services.claims.get(tenant.id, number), before);
        assert.equal(await app.services.claims.get(tenant.id, 'CLM-0002'), undefined);
        assert.equal(
          await app.services.conversations.get(tenant.id, mallory.aadObjectId),
          undefined,
        );
        assert.equal(connector.since(seq).length, 0, 'nothing sent');
        assert.ok(
          answers.every((a) => a.card === undefined),
          'no card leaks with a refusal',
        );
        assert.deepEqual(
          answers.map((a) => a.status),
          [401, 401, 401],
          answers.map((a) => `${a.status} ${a.text.slice(0, 120)}`).join(' | '),
        );
      });
    }
  });

  it('refuses an authenticated activity from another channel that carries a Teams identity', async () => {
    // A key endorsed for Web Chat signs a valid token for a "webchat" activity that claims to come
    // from the bootstrap admin of a Teams tenant: only Teams vouches for tenant and Entra ids.
    const activity: Activity = {
      ...teams.invokeActivity(admin, admin.personal, 'comment', {
        claim: number,
        comment: 'from web chat',
      }),
      channelId: 'webchat',
    };
    const before = await app.services.claims.get(tenant.id, number);
    const r = await postActivity(botUrl(), activity, {
      authorization: bearer(header({ kid: webchatOnly.kid }), claims(), webchatOnly),
    });
    assert.notEqual(r.status, 401, 'the token itself is valid for webchat');
    assert.doesNotMatch(r.cardText, /Signed claim/, 'no claim shown to another channel');
    assert.deepEqual(await app.services.claims.get(tenant.id, number), before);
  });
});

describe('trust: local mode and production', () => {
  it('runs without an app id in local mode, says so loudly, and accepts requests without a token', async () => {
    const connector = await RecordingConnector.start();
    const { result: app, lines } = await capture('warn', () => startTestApp());
    try {
      assert.ok(
        lines.some((l) => /LOCAL MODE/.test(l) && /MICROSOFT_APP_ID/.test(l)),
        lines.join('\n'),
      );
      const teams = new TeamsClient(`${app.url}/api/messages`, connector);
      const user = teams.user(teams.tenant('t'), 'Lou Local');
      const r = await postActivity(
        `${app.url}/api/messages`,
        teams.invokeActivity(user, user.personal, 'openClaim', { claim: 'CLM-0001' }),
      );
      assert.equal(r.status, 200);
      assert.match(r.cardText, /not found/);
    } finally {
      await app.stop();
      await connector.stop();
    }
  });

  const azure = {
    NODE_ENV: 'production',
    COSMOS_ENDPOINT: 'https://coop.documents.azure.com:443/',
    COSMOS_KEY: 'secret-key',
    STORAGE_CONNECTION_STRING:
      'DefaultEndpointsProtocol=https;AccountName=coop;AccountKey=abc;EndpointSuffix=core.windows.net',
  };

  it('refuses local mode when NODE_ENV=production (loadConfig)', () => {
    assert.throws(
      () => loadConfig(azure),
      (e: unknown) => e instanceof ConfigError && e.variable === 'MICROSOFT_APP_ID',
    );
    assert.throws(
      () => loadConfig({ ...azure, MICROSOFT_APP_ID: '   ' }),
      (e: unknown) => e instanceof ConfigError && e.variable === 'MICROSOFT_APP_ID',
    );
    assert.equal(
      loadConfig({ ...azure, MICROSOFT_APP_ID: randomUUID(), MICROSOFT_APP_PASSWORD: 'pw' }).auth
        ?.appType,
      'MultiTenant',
    );
  });
});

describe('trust: ALLOWED_TENANTS', () => {
  let app: RunningApp;
  let connector: RecordingConnector;
  let teams: TeamsClient;
  let allowed: Tenant;
  let other: Tenant;
  const otherAdmin = randomUUID();

  before(async () => {
    connector = await RecordingConnector.start();
    teams = new TeamsClient('', connector);
    allowed = teams.tenant('contoso');
    other = teams.tenant('fabrikam');
    app = await startTestApp({
      ALLOWED_TENANTS: `${randomUUID()}, ${allowed.id.toUpperCase()}`,
      BOOTSTRAP_ADMINS: otherAdmin,
    });
    teams = new TeamsClient(`${app.url}/api/messages`, connector);
  });
  after(async () => {
    await app?.stop();
    await connector?.stop();
  });

  it('answers a tenant that is not listed with a card saying so, and changes nothing', async () => {
    const fay = teams.user(other, 'Fay Admin', { aadObjectId: otherAdmin });
    const claims = await teams.send(fay, fay.personal, 'claims');
    assert.equal(claims.status, 200);
    assert.match(claims.text, /not enabled for your organisation/);
    const fund = await teams.invoke(fay, fay.personal, 'addFund', {
      formId: randomUUID(),
      fundName: 'Sneaky fund',
      allocated: '100.00',
      currency: 'USD',
      periodStart: day(-10),
      periodEnd: day(10),
    });
    assert.equal(fund.invokeStatus, 200);
    assert.match(fund.text, /not enabled for your organisation/);
    const created = await teams.invoke(fay, fay.personal, 'createClaim', {
      formId: randomUUID(),
      title: 'Sneaky claim',
    });
    assert.match(created.text, /not enabled for your organisation/);
    assert.deepEqual(await app.services.funds.list(other.id), []);
    assert.equal(await app.services.claims.get(other.id, 'CLM-0001'), undefined);
    assert.equal(await app.services.conversations.get(other.id, fay.aadObjectId), undefined);
  });

  it('an install or a chat update from a tenant not listed is kept nowhere and answered with nothing', async () => {
    const gus = teams.user(other, 'Gus Installer');
    const seq = connector.seq;
    const installed = await teams.post({
      ...teams.envelope(gus, gus.personal, 'installationUpdate'),
      action: 'add',
    });
    const added = await teams.addBot(gus, gus.personal);
    const chat = teams.groupChat(other, [gus]);
    const addedToChat = await teams.addBot(gus, chat);
    for (const r of [installed, added, addedToChat]) assert.equal(r.status, 200);
    assert.deepEqual(connector.since(seq), []);
    assert.equal(await app.services.conversations.get(other.id, gus.aadObjectId), undefined);

    const ann = teams.user(allowed, 'Ann Installer');
    await teams.post({ ...teams.envelope(ann, ann.personal, 'installationUpdate'), action: 'add' });
    assert.ok(await app.services.conversations.get(allowed.id, ann.aadObjectId));
  });

  it('serves a listed tenant (ids compared case-insensitively)', async () => {
    const ann = teams.user(allowed, 'Ann Allowed');
    const r = await teams.send(ann, ann.personal, 'help');
    assert.equal(r.status, 200);
    assert.doesNotMatch(r.text, /not enabled/);
    assert.match(r.text, /claims/i);
  });
});
