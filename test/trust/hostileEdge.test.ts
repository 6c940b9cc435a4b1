import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createDeflate, createGzip } from 'node:zlib';
import type { RunningApp } from '../../src/app';
import { sdkUnderTest, startTestApp } from '../support/stack';
import { capture } from './http';
import { TokenAuthority, newKey, nowS, signJwt } from './tokens';

const MB = 1024 * 1024;
/** Not the Bot Connector's own issuer, whose keys the Agents SDK would fetch from the internet. */
const ISSUER = 'https://api.botframework.test';
const APP_ID = randomUUID();
const BODY_TIMEOUT_MS = 1_500;

interface Answer {
  readonly status: number;
  readonly ms: number;
}

/**
 * Sends a request over a raw socket-level client: `body` is streamed (never held whole), and the
 * answer is taken as soon as the status line arrives, whatever is still unsent.
 */
function send(
  url: string,
  opts: {
    headers: Record<string, string>;
    body?: () => AsyncIterable<Buffer> | Iterable<Buffer>;
    /** Stop sending after this many bytes and keep the request open (slow loris). */
    stallAfter?: number;
    /** Destroy the socket after this many bytes (a client that goes away mid-body). */
    abortAfter?: number;
  },
): Promise<Answer> {
  const started = performance.now();
  return new Promise<Answer>((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers: opts.headers, agent: false });
    req.on('response', (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, ms: performance.now() - started });
      req.destroy();
    });
    req.on('error', (e: NodeJS.ErrnoException) => {
      // The server may close the socket while we still send: the answer counts if it came.
      if (opts.abortAfter !== undefined) resolve({ status: 0, ms: performance.now() - started });
      else if (e.code !== 'ECONNRESET' && e.code !== 'EPIPE') reject(e);
    });
    void (async () => {
      let sent = 0;
      for await (const chunk of opts.body?.() ?? []) {
        if (req.destroyed) return;
        if (opts.abortAfter !== undefined && sent >= opts.abortAfter) return void req.destroy();
        if (opts.stallAfter !== undefined && sent >= opts.stallAfter) return;
        if (!req.write(chunk)) await new Promise((r) => req.once('drain', r));
        sent += chunk.length;
      }
      req.end();
    })().catch(() => undefined);
  });
}

function* repeated(chunk: Buffer, total: number): Generator<Buffer> {
  for (let sent = 0; sent < total; sent += chunk.length) yield chunk;
}

/** A compression bomb: `inflated` bytes of zeros, compressed while streaming (about 1 KB a MB). */
async function bomb(kind: 'gzip' | 'deflate', inflated: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  const zip = kind === 'gzip' ? createGzip({ level: 9 }) : createDeflate({ level: 9 });
  zip.on('data', (c: Buffer) => parts.push(c));
  await pipeline(Readable.from(repeated(Buffer.alloc(MB), inflated)), zip);
  return Buffer.concat(parts);
}

/** A JSON body of `size` bytes: one long string in an activity-shaped object. */
function* jsonOfSize(size: number): Generator<Buffer> {
  yield Buffer.from('{"type":"message","text":"');
  yield* repeated(Buffer.alloc(MB, 'a'), size - 64);
  yield Buffer.from('"}');
}

describe('trust: the hostile edge of /api/messages (real server, raw HTTP)', function () {
  this.timeout(120_000);
  let local: RunningApp;
  let secured: RunningApp;
  let authority: TokenAuthority;
  let gzipBomb: Buffer;
  let deflateBomb: Buffer;
  let rssBefore = 0;
  let rssPeak = 0;
  let sampler: NodeJS.Timeout;
  /** The temp folder of the apps under test, their own: nothing else writes there. */
  let ownTmp = '';
  const tmpBefore = process.env.TMPDIR;
  const forged = () =>
    `Bearer ${signJwt({ alg: 'RS256', kid: 'k' }, { iss: ISSUER }, newKey('k'))}`;
  const published = newKey();
  /** A token from the authority the app trusts, for an activity from `serviceUrl`. */
  const signed = (serviceUrl: string, lifetime: { exp: number; nbf: number }) =>
    `Bearer ${signJwt(
      { alg: 'RS256', typ: 'JWT', kid: published.kid },
      { iss: ISSUER, aud: APP_ID, serviceurl: serviceUrl, ...lifetime },
      published,
    )}`;

  before(async () => {
    ownTmp = mkdtempSync(path.join(tmpdir(), 'hostile-edge-'));
    process.env.TMPDIR = ownTmp;
    authority = await TokenAuthority.start(ISSUER, [{ key: published, endorsements: ['msteams'] }]);
    ({ result: local } = await capture('warn', () =>
      startTestApp({}, { bodyTimeoutMs: BODY_TIMEOUT_MS }),
    ));
    secured = await startTestApp(
      {
        MICROSOFT_APP_ID: APP_ID,
        MICROSOFT_APP_PASSWORD: 'not-a-real-secret',
        ...authority.appEnv(sdkUnderTest()),
      },
      { bodyTimeoutMs: BODY_TIMEOUT_MS },
    );
    gzipBomb = await bomb('gzip', 600 * MB);
    deflateBomb = await bomb('deflate', 600 * MB);
    global.gc?.();
    rssBefore = process.memoryUsage().rss;
    rssPeak = rssBefore;
    sampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    }, 10);
  });
  after(async () => {
    clearInterval(sampler);
    await local?.stop();
    await secured?.stop();
    await authority?.stop();
    if (tmpBefore === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = tmpBefore;
    rmSync(ownTmp, { recursive: true, force: true });
  });

  const api = (app: RunningApp) => `${app.url}/api/messages`;
  const json = { 'content-type': 'application/json' };

  it('refuses compression bombs (600 MB of gzip or deflate in 600 KB) with 415, reading none of it', async () => {
    assert.ok(gzipBomb.length < 1 * MB, `the bomb is ${gzipBomb.length} bytes`);
    for (const [encoding, bytes] of [
      ['gzip', gzipBomb],
      ['deflate', deflateBomb],
      ['GZIP, identity', gzipBomb],
    ] as const) {
      for (const app of [local, secured]) {
        const r = await send(api(app), {
          headers: { ...json, 'content-encoding': encoding, authorization: forged() },
          body: () => [bytes],
        });
        assert.equal(r.status, 415, `${encoding}`);
      }
    }
  });

  it('refuses a 40 MB multipart upload with 415 and writes no temporary file', async () => {
    const r = await send(api(local), {
      headers: { 'content-type': 'multipart/form-data; boundary=xyz' },
      body: () => [
        Buffer.from('--xyz\r\nContent-Disposition: form-data; name="f"; filename="a.bin"\r\n\r\n'),
        ...repeated(Buffer.alloc(MB, 7), 40 * MB),
        Buffer.from('\r\n--xyz--\r\n'),
      ],
    });
    assert.equal(r.status, 415);
    assert.equal(tmpdir(), ownTmp, 'the apps under test write temporary files to their own folder');
    assert.deepEqual(readdirSync(ownTmp), [], 'no file left in the temp folder');
  });

  it('refuses 30 MB of JSON with 413: at once when declared, after 1 MB when chunked', async () => {
    const declared = await send(api(local), {
      headers: { ...json, 'content-length': String(30 * MB) },
      body: () => jsonOfSize(30 * MB),
    });
    assert.equal(declared.status, 413);
    const chunked = await send(api(local), { headers: json, body: () => jsonOfSize(30 * MB) });
    assert.equal(chunked.status, 413);
    const unauthenticated = await send(api(secured), {
      headers: json,
      body: () => jsonOfSize(30 * MB),
    });
    assert.equal(unauthenticated.status, 401, 'no token: refused before the body is read');
  });

  it('cuts off a body that trickles (slow loris) with 408', async () => {
    const r = await send(api(local), {
      headers: { ...json, 'content-length': '5000' },
      body: () => repeated(Buffer.from('{"type":"message","text":"'), 5000),
      stallAfter: 100,
    });
    assert.equal(r.status, 408);
    assert.ok(r.ms < BODY_TIMEOUT_MS + 2_000, `answered after ${Math.round(r.ms)} ms`);
  });

  it('refuses wrong content types with 415 and malformed JSON with 400', async () => {
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/json; charset=latin1',
      'application/jsonp',
      '',
    ]) {
      const r = await send(api(local), {
        headers: type ? { 'content-type': type } : {},
        body: () => [Buffer.from('{"type":"message"}')],
      });
      assert.equal(r.status, 415, `content-type "${type}"`);
    }
    const broken = await send(api(local), { headers: json, body: () => [Buffer.from('{"type":')] });
    assert.equal(broken.status, 400);
  });

  it('refuses forged, unsigned and missing tokens with 401', async () => {
    const activity = () => [Buffer.from(JSON.stringify({ type: 'message', text: 'claims' }))];
    const unsigned = signJwt({ alg: 'none' }, { iss: ISSUER, aud: APP_ID, exp: nowS() + 600 });
    for (const authorization of [forged(), `Bearer ${unsigned}`, 'Bearer', 'Basic YTpi', '']) {
      // botbuilder prints each refusal: kept out of the test's output.
      const { result: r } = await capture('warn', () =>
        send(api(secured), {
          headers: { ...json, ...(authorization ? { authorization } : {}) },
          body: activity,
        }),
      );
      assert.equal(r.status, 401, `authorization "${authorization.slice(0, 20)}"`);
    }
  });

  it('refuses a token of the trusted authority that expired with 401, and takes it when fresh', async () => {
    const serviceUrl = 'http://127.0.0.1:9/amer/';
    const activity = () => [
      Buffer.from(
        JSON.stringify({
          type: 'invoke',
          name: 'adaptiveCard/action',
          id: randomUUID(),
          channelId: 'msteams',
          serviceUrl,
          from: { id: '29:hostile', aadObjectId: randomUUID() },
          recipient: { id: `28:${APP_ID}` },
          conversation: { id: 'a:hostile', conversationType: 'personal', tenantId: randomUUID() },
          value: { action: { type: 'Action.Execute', verb: 'openClaim', data: {} } },
        }),
      ),
    ];
    const post = (authorization: string) =>
      capture('warn', () =>
        send(api(secured), { headers: { ...json, authorization }, body: activity }),
      );
    const expired = await post(signed(serviceUrl, { exp: nowS() - 600, nbf: nowS() - 3600 }));
    assert.equal(expired.result.status, 401);
    assert.match(expired.lines.join('\n'), /expired/i, 'refused for its lifetime, not its key');
    const fresh = await post(signed(serviceUrl, { exp: nowS() + 600, nbf: nowS() - 60 }));
    assert.notEqual(fresh.result.status, 401, fresh.lines.join('\n'));
    assert.ok(
      authority.requests.some((r) => r.endsWith('keys')),
      'the keys came from the local authority, not the internet',
    );
  });

  it('survives clients that go away mid-body', async () => {
    for (let i = 0; i < 20; i++) {
      await send(api(local), {
        headers: { ...json, 'content-length': String(MB) },
        body: () => repeated(Buffer.alloc(64 * 1024, 'a'), MB),
        abortAfter: 128 * 1024,
      });
    }
  });

  it('afterwards: memory grew at most 64 MB, and both servers are still ready', async () => {
    const growth = rssPeak - rssBefore;
    assert.ok(growth <= 64 * MB, `peak RSS grew by ${(growth / MB).toFixed(1)} MB`);
    for (const app of [local, secured]) {
      const ready = await fetch(`${app.url}/readyz`);
      assert.equal(ready.status, 200);
    }
  });
});
