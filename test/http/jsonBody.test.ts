import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { HttpRefusal, readJsonBody, refusalByHeaders } from '../../src/http/jsonBody';

const LIMITS = { maxBytes: 1000, timeoutMs: 200 };

/** A request stream with headers, written by the test. */
function request(headers: Record<string, string>): PassThrough & IncomingMessage {
  const stream = new PassThrough() as PassThrough & IncomingMessage;
  Object.assign(stream, { headers });
  return stream;
}

async function refusal(promise: Promise<unknown>): Promise<HttpRefusal> {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof HttpRefusal, String(e));
    return e;
  }
  assert.fail('expected a refusal');
}

describe('http: the JSON body reader', () => {
  it('parses UTF-8 JSON sent in pieces, a character split between them', async () => {
    const req = request({ 'content-type': 'application/json; charset=utf-8' });
    const body = readJsonBody(req, LIMITS);
    const e = Buffer.from('é');
    req.write(Buffer.concat([Buffer.from('{"text":"h'), e.subarray(0, 1)]));
    req.end(Buffer.concat([e.subarray(1), Buffer.from('"}')]));
    assert.deepEqual(await body, { text: 'hé' });
  });

  it('refuses other media types, charsets and any content encoding from the headers alone', () => {
    for (const type of [
      'text/plain',
      'multipart/form-data; boundary=x',
      'application/json; charset=utf-16',
      '',
    ]) {
      assert.equal(refusalByHeaders(request({ 'content-type': type }), LIMITS)?.status, 415, type);
    }
    for (const encoding of ['gzip', 'deflate', 'br', 'gzip, identity']) {
      const r = refusalByHeaders(
        request({ 'content-type': 'application/json', 'content-encoding': encoding }),
        LIMITS,
      );
      assert.equal(r?.code, 'encodingNotAllowed', encoding);
    }
    const plain = request({ 'content-type': 'application/json', 'content-encoding': 'identity' });
    assert.equal(refusalByHeaders(plain, LIMITS), undefined);
  });

  it('refuses a declared length over the cap without reading', async () => {
    const req = request({ 'content-type': 'application/json', 'content-length': '1001' });
    assert.equal((await refusal(readJsonBody(req, LIMITS))).status, 413);
    assert.equal(req.listenerCount('data'), 0);
  });

  it('stops reading at the cap when the body has no declared length', async () => {
    const req = request({ 'content-type': 'application/json' });
    const body = readJsonBody(req, LIMITS);
    req.write(Buffer.alloc(600, ' '));
    req.write(Buffer.alloc(600, ' '));
    assert.equal((await refusal(body)).status, 413);
    assert.equal(req.listenerCount('data'), 0);
    assert.ok(req.isPaused());
  });

  it('gives up on a body still arriving after the timeout with 408', async () => {
    const req = request({ 'content-type': 'application/json' });
    const body = readJsonBody(req, LIMITS);
    req.write('{');
    const started = Date.now();
    assert.equal((await refusal(body)).status, 408);
    assert.ok(Date.now() - started >= 150);
  });

  it('answers malformed JSON with 400 and a vanished client with a refusal, never a throw', async () => {
    const bad = request({ 'content-type': 'application/json' });
    const parsed = readJsonBody(bad, LIMITS);
    bad.end('{"a":');
    assert.equal((await refusal(parsed)).code, 'malformedJson');
    const gone = request({ 'content-type': 'application/json' });
    const aborted = readJsonBody(gone, LIMITS);
    gone.write('{"a":');
    gone.destroy();
    const r = await refusal(aborted);
    assert.equal(r.code, 'aborted');
  });
});
