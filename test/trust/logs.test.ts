import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { ConfigError, loadConfig } from '../../src/config';
import { log, maskSecrets, routeConsoleToLog } from '../../src/log';
import { LogLine, LogRecorder } from '../support/logs';
import { sdkUnderTest, sharedStack } from '../support/stack';
import { Activity, TeamsUser } from '../support/teams';
import { World, startWorld } from '../bot/world';
import { fileMessage, pdfBytes, shownDocument } from '../bot/fileKit';
import { BlobFaultWorld, startBlobFaultWorld } from './blobFaultWorld';
import { postActivity } from './http';
import { JwtClaims, TokenAuthority, newKey, nowS, signJwt } from './tokens';

const ISSUER = 'https://api.botframework.test';
const MB = 1024 * 1024;

/**
 * Scenarios that tempt a leak (tokens, a secret in the config, SAS links, storage errors, errors with
 * credentials in them, file contents), every log line recorded; then what no line may contain.
 */
describe('trust: the logs', function () {
  this.timeout(120_000);
  let recorder: LogRecorder;
  let restoreConsole: () => void;
  /** Values that must appear in no log line. */
  const secrets = new Set<string>();
  const keep = <T extends string>(secret: T): T => {
    secrets.add(secret);
    return secret;
  };
  const appPassword = keep(`app-password-${randomUUID()}`);

  /** The lines logged while `run` runs. */
  async function linesOf<T>(run: () => Promise<T>): Promise<{ result: T; lines: LogLine[] }> {
    const from = recorder.lines.length;
    const result = await run();
    return { result, lines: recorder.parsed(from) };
  }

  before(() => {
    recorder = new LogRecorder();
    // As main.ts does: what botbuilder prints goes through the logger too.
    restoreConsole = routeConsoleToLog();
  });
  after(() => {
    restoreConsole();
    recorder.stop();
  });

  describe('with Bot Framework authentication on', () => {
    const key = newKey();
    const rogue = newKey();
    const appId = randomUUID();
    let authority: TokenAuthority;
    let w: World;
    let admin: TeamsUser;

    const token = (over: JwtClaims = {}, signer = key): string =>
      keep(
        signJwt(
          { alg: 'RS256', typ: 'JWT', kid: key.kid },
          {
            iss: ISSUER,
            aud: appId,
            serviceurl: w.connector.serviceUrl,
            nbf: nowS() - 30,
            exp: nowS() + 3600,
            ...over,
          },
          signer,
        ),
      );
    const openClaims = (authorization: string) =>
      postActivity(
        w.teams.botUrl,
        w.teams.invokeActivity(admin, admin.personal, 'openClaim', { claim: 'CLM-0001' }),
        { authorization },
      );

    before(async () => {
      authority = await TokenAuthority.start(ISSUER, [{ key, endorsements: ['msteams'] }]);
      w = await startWorld({
        env: {
          MICROSOFT_APP_ID: appId,
          MICROSOFT_APP_PASSWORD: appPassword,
          ...authority.appEnv(sdkUnderTest()),
          LOG_LEVEL: 'debug',
        },
      });
      admin = w.teams.user(w.teams.tenant('contoso'), 'Ada Admin', {
        aadObjectId: w.bootstrapAdmins[0],
      });
    });
    after(async () => {
      await w?.stop();
      await authority?.stop();
    });

    it('a valid token: the request is logged with its correlation and activity ids', async () => {
      const activity = w.teams.invokeActivity(admin, admin.personal, 'openClaim', {
        claim: 'CLM-0001',
      });
      const { result, lines } = await linesOf(() =>
        postActivity(w.teams.botUrl, activity, { authorization: `Bearer ${token()}` }),
      );
      // The Agents SDK gets a connector token before every turn, an invoke's too: none offline.
      const status = sdkUnderTest() === 'agents' ? 500 : 200;
      assert.equal(result.status, status, result.text);
      const answered = lines.find((l) => l.msg === 'answered a request to /api/messages');
      assert.ok(answered, JSON.stringify(lines));
      assert.match(answered.correlationId ?? '', /^[0-9a-f-]{36}$/);
      assert.equal(answered.activityId, activity.id);
      assert.equal(answered.activityType, 'invoke');
      assert.equal(answered.status, status);
    });

    const refused: [string, () => string][] = [
      ['signed by another key', () => `Bearer ${token({}, rogue)}`],
      ['expired', () => `Bearer ${token({ exp: nowS() - 3600 })}`],
      ['for another bot', () => `Bearer ${token({ aud: randomUUID() })}`],
      ['malformed', () => `Bearer ${keep(`not.a.jwt-${randomUUID()}`)}`],
      [
        'another scheme',
        () => `Basic ${keep(Buffer.from(`bot:${randomUUID()}`).toString('base64'))}`,
      ],
    ];
    for (const [name, authorization] of refused) {
      it(`an invalid token (${name}): 401, logged as refused without the token`, async () => {
        const { result, lines } = await linesOf(() => openClaims(authorization()));
        assert.equal(result.status, 401);
        const refusal = lines.find((l) => l.msg === 'refused a request to /api/messages');
        assert.ok(refusal, JSON.stringify(lines));
        assert.ok(refusal.correlationId, 'the refusal carries the correlation id');
        assert.equal(refusal.activityId, undefined, 'no activity id before authentication');
      });
    }

    it('a message whose reply cannot get a connector token: the error is logged without the app password', async () => {
      const { result, lines } = await linesOf(() =>
        postActivity(w.teams.botUrl, w.teams.message(admin, admin.personal, 'help'), {
          authorization: `Bearer ${token()}`,
        }),
      );
      assert.notEqual(result.status, 401);
      const failure = lines.find((l) => l.level === 'error');
      assert.ok(failure, JSON.stringify(lines));
      assert.ok(failure.correlationId);
      assert.equal(failure.activityType, 'message');
    });
  });

  describe('local mode: files, Open links, storage faults and unexpected errors', () => {
    let world: BlobFaultWorld;
    let openLink: string;
    const marker = keep(`file-contents-marker-${randomUUID()}`);

    /** A message with a PDF that has the marker in its bytes. */
    function markedFileMessage(): Activity {
      const { w, olivia, drive, number } = world;
      const pdf = Buffer.concat([pdfBytes(64), Buffer.from(`\n${marker}\n`), pdfBytes(MB)]);
      const url = drive.serve('marked.pdf', pdf);
      keep(new URL(url).searchParams.get('tempauth') ?? '');
      return fileMessage(w.teams, olivia, olivia.personal, `${number} invoice: marked`, [
        { name: 'marked.pdf', url },
      ]);
    }

    before(async () => {
      const stack = await sharedStack();
      keep(stack.storageConnectionString);
      keep(/AccountKey=([^;]+)/.exec(stack.storageConnectionString)?.[1] ?? '');
      keep(stack.cosmos.key);
      world = await startBlobFaultWorld('Logged claim', { LOG_LEVEL: 'debug' });
      keep(world.connectionString);
    });
    after(() => world?.stop());

    it('a file upload, then the claim card with its SAS Open link', async () => {
      const { w, olivia, number } = world;
      const upload = await w.teams.post(markedFileMessage());
      assert.match(upload.text, /Added marked\.pdf/, upload.text);
      const { result: card, lines } = await linesOf(() =>
        w.teams.send(olivia, olivia.personal, `claim ${number}`),
      );
      openLink = keep(shownDocument(card.card, 'marked.pdf').url);
      keep(new URL(openLink).searchParams.get('sig') ?? '');
      assert.ok(lines.some((l) => l.activityType === 'message'));
    });

    it('Blob storage failing mid-upload: the storage error is logged in its turn', async () => {
      const { w, proxy } = world;
      await proxy.fail({ kind: 'cutAfter', bytes: MB / 2 });
      const { result, lines } = await linesOf(() =>
        // Longer than TeamsClient waits: the failing upload waits for the Blob SDK's retry.
        postActivity(w.teams.botUrl, markedFileMessage(), {}, 60_000).finally(() =>
          proxy.recover(),
        ),
      );
      assert.equal(result.status, 200);
      assert.ok(proxy.stats.failed > 0, 'the fault was hit');
      const storageError = lines.find(
        (l) => l.msg === 'could not delete a blob after a failed upload',
      );
      assert.ok(storageError, JSON.stringify(lines));
      assert.ok(storageError.correlationId);
      assert.equal(storageError.activityType, 'message');
    });

    it('an unexpected error carrying credentials: logged in its turn, masked', async () => {
      const { w, olivia } = world;
      const stack = await sharedStack();
      const credentials = [
        `Bearer ${keep(signJwt({ alg: 'none' }, { sub: randomUUID() }))}`,
        openLink,
        stack.storageConnectionString,
        `Cosmos key ${stack.cosmos.key}`,
        `app password ${appPassword}`,
      ].join(' | ');
      const headerSecret = keep(randomUUID());
      // Shaped like an Azure SDK error: the request's headers and the response's body ride along.
      const planted = Object.assign(
        new Error(`lookup failed: ${credentials}`, { cause: new Error(`inner: ${credentials}`) }),
        {
          request: { headers: { 'x-ms-secret': headerSecret } },
          response: { bodyAsText: marker },
        },
      );
      const users = w.app.services.users as { get: unknown };
      users.get = () => Promise.reject(planted);
      try {
        const { result, lines } = await linesOf(() =>
          w.teams.send(olivia, olivia.personal, 'claims'),
        );
        assert.match(result.text, /Something went wrong on our side/);
        const logged = lines.find((l) => l.msg === 'unexpected error in a turn');
        assert.ok(logged, JSON.stringify(lines));
        assert.ok(logged.correlationId);
        assert.equal(logged.activityType, 'message');
        const err = logged.err as { message: string; cause?: { message: string } };
        assert.match(err.message, /^lookup failed: Bearer \[REDACTED\]/);
        assert.match(err.cause?.message ?? '', /^inner: Bearer \[REDACTED\]/);
      } finally {
        delete (users as { get?: unknown }).get;
      }
    });
  });

  describe('every line', () => {
    const all = (): LogLine[] => recorder.parsed();

    it('is one JSON object with level, time and msg', () => {
      assert.ok(recorder.lines.length > 20, `${recorder.lines.length} lines`);
      for (const line of recorder.lines) {
        const parsed = JSON.parse(line) as LogLine;
        assert.equal(typeof parsed.level, 'string', line);
        assert.ok(!Number.isNaN(Date.parse(parsed.time)), line);
        assert.equal(typeof parsed.msg, 'string', line);
      }
    });

    it('written in a turn carries its correlation id, one per request', () => {
      const answered = all().filter((l) => l.msg === 'answered a request to /api/messages');
      assert.ok(answered.length > 10);
      const ids = answered.map((l) => l.correlationId);
      assert.ok(
        ids.every((id) => id !== undefined),
        'every request has a correlation id',
      );
      assert.equal(new Set(ids).size, ids.length, 'two requests never share one');
      // Everything here happened in turns (or in work they started), but the start-up warning.
      const outside = all().filter((l) => l.correlationId === undefined);
      assert.deepEqual(
        outside.map((l) => l.msg.slice(0, 10)),
        ['LOCAL MODE'],
      );
    });

    it('holds no secret, token, SAS signature, account key, connection string or file contents', () => {
      const text = recorder.lines.join('');
      assert.ok(secrets.size > 10, `${secrets.size} secrets`);
      for (const secret of secrets) {
        assert.ok(secret.length > 8, `a real secret: "${secret}"`);
        assert.ok(!text.includes(secret), `a log line contains ${secret.slice(0, 40)}…`);
      }
      for (const shape of [
        /sig(=|%3D)(?!\[REDACTED\])/i,
        /AccountKey/i,
        /eyJ[\w-]{6,}/,
        /Bearer (?!\[REDACTED\])/i,
        /tempauth=(?!\[REDACTED\])/i,
      ]) {
        const leak = recorder.lines.find((line) => shape.test(line));
        assert.equal(leak, undefined, `${shape} in ${leak}`);
      }
    });
  });
});

describe('trust: what the log masks', () => {
  const cases: [string, string, string][] = [
    ['a SAS signature', 'https://a.blob.core.windows.net/c/b?sv=1&sig=abc%2Bdef&se=2', 'abc%2Bdef'],
    [
      'a URL-encoded signature (Cosmos DB auth)',
      'type%3Dmaster%26ver%3D1.0%26sig%3Dq1w2e3r4',
      'q1w2e3r4',
    ],
    ['an account key', 'AccountName=a;AccountKey=k3y+/==;EndpointSuffix=x', 'k3y+/=='],
    ['a SharedKey header', 'authorization: SharedKey acct:c2lnbmF0dXJl', 'c2lnbmF0dXJl'],
    ['a bearer token', 'authorization: Bearer opaque-token-123', 'opaque-token-123'],
    [
      'a JWT without its scheme',
      'got eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln',
      'eyJhbGciOiJSUzI1NiJ9',
    ],
    ['a SharePoint download token', 'https://x.sharepoint.com/f.pdf?tempauth=v1.abc', 'v1.abc'],
  ];
  for (const [what, text, secret] of cases) {
    it(what, () => {
      const masked = maskSecrets(text);
      assert.ok(!masked.includes(secret), masked);
      assert.match(masked, /\[REDACTED\]/);
    });
  }

  it('Authorization and Cookie header fields, whatever their value', () => {
    const recorder = new LogRecorder();
    try {
      log.warn({ headers: { authorization: 'opaque-1', cookie: 'opaque-2' } }, 'a request');
      log.warn({ request: { headers: { authorization: 'opaque-3' } } }, 'a request');
    } finally {
      recorder.stop();
    }
    assert.equal(recorder.lines.length, 2);
    assert.doesNotMatch(recorder.lines.join(''), /opaque/);
  });

  it("what dependencies print goes through the log: Node's warnings as warn, errors as error", () => {
    const recorder = new LogRecorder();
    const restore = routeConsoleToLog();
    try {
      console.error('(node:42) [DEP0111] DeprecationWarning: something is old');
      console.error('request failed: Bearer opaque-4');
    } finally {
      restore();
      recorder.stop();
    }
    const [warning, error] = recorder.lines.map((line) => JSON.parse(line) as { level: string });
    assert.equal(warning.level, 'warn');
    assert.equal(error.level, 'error');
    assert.doesNotMatch(recorder.lines.join(''), /opaque-4/);
  });

  it('LOG_LEVEL: info by default, any pino level in any case, nothing else', () => {
    assert.equal(loadConfig({}).logLevel, 'info');
    assert.equal(loadConfig({ LOG_LEVEL: 'DEBUG' }).logLevel, 'debug');
    assert.throws(
      () => loadConfig({ LOG_LEVEL: 'verbose' }),
      (e: unknown) => e instanceof ConfigError && e.variable === 'LOG_LEVEL',
    );
  });
});
