import { isIP } from 'node:net';
import { FileRejectedError } from '../store/fileStore';

const MAX_REDIRECTS = 3;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** Bytes received so far, and the whole size when the server announced it. */
export type DownloadProgress = (received: number, total: number | undefined) => void;

/**
 * Streams the body of `url` (e.g. a Teams `file.download.info` downloadUrl).
 *
 * Only http(s) URLs whose host matches `allowedHosts` are fetched: an exact host name or IP, or a
 * `*.example.com` wildcard for any subdomain. Redirects (at most 3) are checked the same way.
 * Link-local and cloud metadata addresses are refused even when listed. `timeoutMs` bounds the
 * whole download, body included. Refusals throw FileRejectedError('hostNotAllowed'); failures,
 * non-2xx answers and bodies that break off throw FileRejectedError('downloadFailed').
 * Error messages name the host only: download URLs usually carry an access token.
 * `onProgress` is called as the body starts and after every chunk; it only counts.
 */
export async function* downloadFile(
  url: string,
  opts: { allowedHosts: string[]; timeoutMs: number; onProgress?: DownloadProgress },
): AsyncIterable<Uint8Array> {
  const allowedHosts = opts.allowedHosts.map(normalizeHost);
  const aborter = new AbortController();
  const timer = setTimeout(
    () => aborter.abort(new Error(`Download timed out after ${opts.timeoutMs} ms`)),
    opts.timeoutMs,
  );
  try {
    const response = await fetchFollowingRedirects(url, allowedHosts, aborter.signal);
    if (!response.body) return;
    const host = new URL(response.url || url).host;
    const reader = response.body.getReader();
    const total = announcedSize(response);
    let received = 0;
    opts.onProgress?.(received, total);
    for (;;) {
      const result = await reader.read().catch((error: unknown) => {
        throw new FileRejectedError('downloadFailed', `The download from ${host} broke off.`, {
          cause: error,
        });
      });
      if (result.done) return;
      received += result.value.length;
      opts.onProgress?.(received, total);
      yield result.value;
    }
  } finally {
    clearTimeout(timer);
    // Releases the connection when the consumer stops early; a no-op after a complete read.
    aborter.abort();
  }
}

async function fetchFollowingRedirects(
  startUrl: string,
  allowedHosts: string[],
  signal: AbortSignal,
): Promise<Response> {
  let url = checkedUrl(startUrl, allowedHosts);
  for (let redirects = 0; ; redirects++) {
    let response: Response;
    try {
      response = await fetch(url, { redirect: 'manual', signal });
    } catch (error) {
      throw new FileRejectedError('downloadFailed', `Could not download from ${url.host}.`, {
        cause: error,
      });
    }
    if (response.ok) return response;
    await response.body?.cancel().catch(() => undefined);

    const location = response.headers.get('location');
    if (!REDIRECT_STATUSES.has(response.status) || !location) {
      throw new FileRejectedError(
        'downloadFailed',
        `${url.host} answered ${response.status} to the download.`,
      );
    }
    if (redirects >= MAX_REDIRECTS) {
      throw new FileRejectedError(
        'downloadFailed',
        `Too many redirects downloading from ${url.host}.`,
      );
    }
    url = checkedUrl(new URL(location, url).href, allowedHosts);
  }
}

/** Content-Length, unless the body is compressed (fetch counts the decompressed bytes). */
function announcedSize(response: Response): number | undefined {
  const encoding = response.headers.get('content-encoding');
  if (encoding && encoding !== 'identity') return undefined;
  const size = Number(response.headers.get('content-length'));
  return Number.isSafeInteger(size) && size > 0 ? size : undefined;
}

function checkedUrl(candidate: string, allowedHosts: string[]): URL {
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    throw new FileRejectedError('hostNotAllowed', 'The file location is not a valid URL.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new FileRejectedError('hostNotAllowed', `${url.protocol} URLs are not allowed.`);
  }
  if (url.username || url.password) {
    throw new FileRejectedError('hostNotAllowed', 'URLs with credentials are not allowed.');
  }
  const host = normalizeHost(url.hostname);
  if (isForbiddenAddress(host)) {
    throw new FileRejectedError('hostNotAllowed', `Downloads from ${host} are never allowed.`);
  }
  if (!allowedHosts.some((allowed) => hostMatches(allowed, host))) {
    throw new FileRejectedError('hostNotAllowed', `Downloads from ${host} are not allowed.`);
  }
  return url;
}

/** Lower case, no trailing dot, IPv6 without brackets and in canonical form. */
function normalizeHost(host: string): string {
  const bare = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '');
  if (isIP(bare) !== 6) return bare;
  return new URL(`http://[${bare}]`).hostname.slice(1, -1);
}

function hostMatches(allowed: string, host: string): boolean {
  if (allowed.startsWith('*.')) {
    const suffix = allowed.slice(1);
    return host.endsWith(suffix) && host.length > suffix.length && isIP(host) === 0;
  }
  return host === allowed;
}

/** Link-local addresses (169.254.0.0/16, fe80::/10) and the AWS IPv6 metadata endpoint. */
function isForbiddenAddress(host: string): boolean {
  const version = isIP(host);
  if (version === 4) return isLinkLocalIPv4(host);
  if (version !== 6) return false;
  const groups = ipv6Groups(host);
  if ((groups[0] & 0xffc0) === 0xfe80) return true;
  if (groups.join(':') === [0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254].join(':')) return true;
  const isIPv4Mapped = groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff;
  const [high, low] = [groups[6], groups[7]];
  return isIPv4Mapped && isLinkLocalIPv4(`${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`);
}

function isLinkLocalIPv4(address: string): boolean {
  return address.startsWith('169.254.');
}

/** The eight 16-bit groups of a valid IPv6 address (as checked by isIP). */
function ipv6Groups(address: string): number[] {
  let text = address;
  const dottedTail = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dottedTail) {
    const [a, b, c, d] = dottedTail.slice(1).map(Number);
    text = `${text.slice(0, dottedTail.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [before, after] = text.split('::');
  const head = before ? before.split(':') : [];
  const tail = after ? after.split(':') : [];
  const zeros = after === undefined ? [] : Array(8 - head.length - tail.length).fill('0');
  return [...head, ...zeros, ...tail].map((group) => parseInt(group, 16));
}
