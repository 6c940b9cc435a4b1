import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import type { RunningApp } from '../../src/app';
import { RecordingConnector } from '../../testkit/connector';
import { startTestApp } from '../support/stack';
import { TeamsClient, TeamsUser } from '../support/teams';
import { capture, postActivity } from './http';
import { JwtClaims, JwtHeader, SigningKey, TokenAuthority, newKey, nowS, signJwt } from './tokens';

/**
 * The Agents SDK's token validation (BOT_SDK=agents) on /api/messages, with keys from a local
 * authority: authentication.test.ts holds botbuilder's. Where the two differ: the Agents SDK takes
 * RS256 only (botbuilder RS512 too), and reads no key endorsements (the bot refuses every channel
 * but Teams itself, authentication.test.ts shows it for a Web Chat token).
 */

const ISSUER = 'https://api.botframework.test';
const APP_ID = randomUUID();

describe('trust: the Agents SDK’s token validation on /api/messages', () => {
  const good = newKey();
  const rogue = newKey();
  let authority: TokenAuthority;
  let connector: RecordingConnector;
  let app: RunningApp;
  let teams: TeamsClient;
  let ada: TeamsUser;

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
  const open = (authorization?: string) =>
    capture('warn', () =>
      postActivity(
        `${app.url}/api/messages`,
        teams.invokeActivity(ada, ada.personal, 'openClaim', { claim: 'CLM-0001' }),
        authorization === undefined ? {} : { authorization },
      ),
    );

  before(async () => {
    authority = await TokenAuthority.start(ISSUER, [{ key: good, endorsements: ['msteams'] }]);
    connector = await RecordingConnector.start();
    app = await startTestApp({
      BOT_SDK: 'agents',
      MICROSOFT_APP_ID: APP_ID,
      MICROSOFT_APP_PASSWORD: 'not-a-real-secret',
      ...authority.appEnv('agents'),
    });
    teams = new TeamsClient(`${app.url}/api/messages`, connector);
    ada = teams.user(teams.tenant('contoso'), 'Ada Agents');
  });
  after(async () => {
    await app?.stop();
    await connector?.stop();
    await authority?.stop();
  });

  it('takes a valid token, its keys fetched from the local authority', async () => {
    const { result: r, lines } = await open(bearer(header(), claims()));
    assert.notEqual(r.status, 401, `${r.text} ${lines.join('\n')}`);
    assert.ok(authority.requests.some((path) => path.endsWith('/discovery/v2.0/keys')));
  });

  const refused: [string, () => string | undefined][] = [
    ['no Authorization header', () => undefined],
    ['an empty bearer', () => 'Bearer '],
    ['a malformed token', () => 'Bearer not.a.jwt'],
    ['another scheme', () => `Basic ${Buffer.from('bot:secret').toString('base64')}`],
    ['the wrong audience (another bot)', () => bearer(header(), claims({ aud: randomUUID() }))],
    ['no audience', () => bearer(header(), claims({ aud: undefined }))],
    ['the wrong issuer', () => bearer(header(), claims({ iss: 'https://evil.example' }))],
    ['a look-alike issuer', () => bearer(header(), claims({ iss: `${ISSUER}.evil.example` }))],
    ['an expired token', () => bearer(header(), claims({ exp: nowS() - 600 }))],
    ['a token not valid yet', () => bearer(header(), claims({ nbf: nowS() + 600 }))],
    [
      'another service URL',
      () => bearer(header(), claims({ serviceurl: 'https://smba.evil.example/' })),
    ],
    ['no service URL claim', () => bearer(header(), claims({ serviceurl: undefined }))],
    ['another key claiming the known kid', () => bearer(header(), claims(), rogue)],
    ['an unknown key', () => bearer(header({ kid: rogue.kid }), claims(), rogue)],
    [
      'a tampered payload',
      () => {
        const [h, , s] = signJwt(header(), claims(), good).split('.');
        const forged = Buffer.from(JSON.stringify(claims({ admin: true }))).toString('base64url');
        return `Bearer ${h}.${forged}.${s}`;
      },
    ],
    ['alg none', () => bearer(header({ alg: 'none' }), claims())],
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
    ['RS512 (the Agents SDK takes RS256 only)', () => bearer(header({ alg: 'RS512' }), claims())],
  ];

  for (const [name, authorization] of refused) {
    it(`refuses ${name} with 401, telling nothing and sending nothing`, async () => {
      const seq = connector.seq;
      const { result: r } = await open(authorization());
      assert.equal(r.status, 401, r.text);
      assert.equal(r.card, undefined);
      assert.doesNotMatch(r.text, /jwt|expired|audience|issuer|signature/i, 'no detail of why');
      assert.equal(connector.since(seq).length, 0, 'nothing sent');
      assert.equal(await app.services.conversations.get(ada.tenantId, ada.aadObjectId), undefined);
    });
  }
});
