import assert from 'node:assert/strict';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { downloadFile } from '../../src/http/download';
import { FileRejectedError, FileRejectionReason } from '../../src/store/fileStore';

const BODY = Buffer.alloc(256 * 1024, 'co-op claim evidence ');

async function collect(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of source) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

async function assertRejected(
  source: AsyncIterable<Uint8Array>,
  reason: FileRejectionReason,
): Promise<void> {
  await assert.rejects(collect(source), (error: unknown) => {
    assert.ok(error instanceof FileRejectedError, `expected FileRejectedError, got ${error}`);
    assert.equal(error.reason, reason, error.message);
    return true;
  });
}

describe('downloadFile', () => {
  let server: http.Server;
  let base: string;
  let requests: string[];
  const allowed = { allowedHosts: ['127.0.0.1'], timeoutMs: 5000 };

  before(async () => {
    server = http.createServer((request, response) => {
      requests.push(request.url ?? '');
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      switch (url.pathname) {
        case '/file.pdf':
          response.writeHead(200, { 'content-type': 'application/pdf' });
          response.end(BODY);
          return;
        case '/redirect-here':
          response.writeHead(302, { location: '/file.pdf' });
          response.end();
          return;
        case '/redirect-away':
          response.writeHead(302, { location: 'http://evil.example/file.pdf' });
          response.end();
          return;
        case '/redirect-to-metadata':
          response.writeHead(307, { location: 'http://169.254.169.254/latest/meta-data/' });
          response.end();
          return;
        case '/loop':
          response.writeHead(301, { location: `/loop?n=${Number(url.searchParams.get('n')) + 1}` });
          response.end();
          return;
        case '/breaks-half-way':
          response.writeHead(200, { 'content-length': String(BODY.length) });
          response.write(BODY.subarray(0, BODY.length / 2), () =>
            setTimeout(() => request.socket.destroy(), 20),
          );
          return;
        case '/known-size.pdf':
          response.writeHead(200, { 'content-length': String(BODY.length) });
          response.end(BODY);
          return;
        case '/unknown-size.pdf':
          response.writeHead(200, { 'content-type': 'application/pdf' });
          response.write(BODY.subarray(0, 1000));
          response.end(BODY.subarray(1000));
          return;
        case '/never-answers':
          return;
        default:
          response.writeHead(404);
          response.end('not found');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  beforeEach(() => {
    requests = [];
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('streams the body of an allowed URL', async () => {
    const body = await collect(downloadFile(`${base}/file.pdf`, allowed));
    assert.ok(body.equals(BODY));
  });

  it('reports the bytes received as they arrive, with the size when the server announced it', async () => {
    for (const [path, total] of [
      ['/known-size.pdf', BODY.length],
      ['/unknown-size.pdf', undefined],
    ] as const) {
      const seen: [number, number | undefined][] = [];
      const onProgress = (received: number, size: number | undefined) =>
        seen.push([received, size]);
      const body = await collect(downloadFile(`${base}${path}`, { ...allowed, onProgress }));
      assert.ok(body.equals(BODY));
      assert.deepEqual(seen[0], [0, total], 'reported as the body starts');
      assert.deepEqual(seen.at(-1), [BODY.length, total]);
      const counts = seen.map(([received]) => received);
      assert.deepEqual(
        counts,
        [...counts].sort((a, b) => a - b),
        `${path}: only grows`,
      );
    }
  });

  it('follows a redirect that stays on an allowed host', async () => {
    const body = await collect(downloadFile(`${base}/redirect-here`, allowed));
    assert.ok(body.equals(BODY));
    assert.deepEqual(requests, ['/redirect-here', '/file.pdf']);
  });

  it('fails on a non-2xx answer', async () => {
    await assertRejected(downloadFile(`${base}/missing.pdf`, allowed), 'downloadFailed');
  });

  it('refuses a redirect to a host that is not allowed, without fetching it', async () => {
    await assertRejected(downloadFile(`${base}/redirect-away`, allowed), 'hostNotAllowed');
    await assertRejected(downloadFile(`${base}/redirect-to-metadata`, allowed), 'hostNotAllowed');
  });

  it('gives up after 3 redirects', async () => {
    await assertRejected(downloadFile(`${base}/loop?n=0`, allowed), 'downloadFailed');
    assert.equal(requests.length, 4);
  });

  it('refuses hosts not in the allowlist, before connecting', async () => {
    const port = (server.address() as AddressInfo).port;
    await assertRejected(
      downloadFile(`http://localhost:${port}/file.pdf`, allowed),
      'hostNotAllowed',
    );
    await assertRejected(
      downloadFile(`${base}/file.pdf`, { ...allowed, allowedHosts: ['*.sharepoint.com'] }),
      'hostNotAllowed',
    );
    assert.deepEqual(requests, []);
  });

  it('matches wildcard entries on subdomains only', async () => {
    const sharePoint = { allowedHosts: ['*.sharepoint.com'], timeoutMs: 50 };
    for (const url of [
      'https://sharepoint.com/x',
      'https://evilsharepoint.com/x',
      'https://contoso.sharepoint.com.evil.example/x',
    ]) {
      await assertRejected(downloadFile(url, sharePoint), 'hostNotAllowed');
    }
  });

  it('refuses other schemes and malformed URLs', async () => {
    const everything = { allowedHosts: ['127.0.0.1', 'localhost', ''], timeoutMs: 1000 };
    await assertRejected(downloadFile('file:///etc/passwd', everything), 'hostNotAllowed');
    await assertRejected(downloadFile('ftp://127.0.0.1/file.pdf', everything), 'hostNotAllowed');
    await assertRejected(downloadFile('data:text/plain,hello', everything), 'hostNotAllowed');
    await assertRejected(downloadFile('not a url', everything), 'hostNotAllowed');
    await assertRejected(downloadFile(`http://user:pw@127.0.0.1/`, everything), 'hostNotAllowed');
  });

  it('refuses link-local and metadata addresses even when listed', async () => {
    const listed = {
      allowedHosts: ['169.254.169.254', '[fd00:ec2::254]', 'fe80::1', '::ffff:169.254.169.254'],
      timeoutMs: 1000,
    };
    for (const url of [
      'http://169.254.169.254/latest/meta-data/',
      'http://[fd00:ec2::254]/latest/meta-data/',
      'http://[fd00:ec2:0:0::254]/',
      'http://[fe80::1]/',
      'http://[::ffff:169.254.169.254]/',
      'http://2852039166/', // 169.254.169.254 as one decimal number
    ]) {
      await assertRejected(downloadFile(url, listed), 'hostNotAllowed');
    }
  });

  it('fails when the body breaks off half way', async () => {
    await assertRejected(downloadFile(`${base}/breaks-half-way`, allowed), 'downloadFailed');
  });

  it('fails when the server does not answer in time', async () => {
    const started = Date.now();
    await assertRejected(
      downloadFile(`${base}/never-answers`, { ...allowed, timeoutMs: 200 }),
      'downloadFailed',
    );
    assert.ok(Date.now() - started < 2000);
  });

  it('lets the consumer stop early', async () => {
    for await (const chunk of downloadFile(`${base}/file.pdf`, allowed)) {
      assert.ok(chunk.length > 0);
      break;
    }
  });
});
