import type { IncomingMessage } from 'node:http';

/**
 * The one way a request body is read: JSON only, not compressed, at most `maxBytes` counted while
 * it streams, within `timeoutMs`, in memory only. A request that breaks a rule is refused before
 * (headers) or while (bytes) its body arrives, so an unauthenticated request costs at most
 * `maxBytes` of memory and `timeoutMs` of a socket, and nothing it sends can throw out of here
 * except an HttpRefusal.
 */
export interface BodyLimits {
  readonly maxBytes: number;
  readonly timeoutMs: number;
}

export type RefusalCode =
  | 'unsupportedMediaType'
  | 'encodingNotAllowed'
  | 'tooLarge'
  | 'tooSlow'
  | 'malformedJson'
  | 'aborted';

const STATUS: Readonly<Record<RefusalCode, number>> = {
  unsupportedMediaType: 415,
  encodingNotAllowed: 415,
  tooLarge: 413,
  tooSlow: 408,
  malformedJson: 400,
  aborted: 400,
};

export class HttpRefusal extends Error {
  readonly status: number;
  constructor(readonly code: RefusalCode) {
    super(code);
    this.name = 'HttpRefusal';
    this.status = STATUS[code];
  }
}

const JSON_TYPE = /^application\/json\s*(;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

/** Refusals the headers alone decide: no byte of the body is read for them. */
export function refusalByHeaders(
  req: IncomingMessage,
  limits: BodyLimits,
): HttpRefusal | undefined {
  if (!JSON_TYPE.test(req.headers['content-type'] ?? '')) {
    return new HttpRefusal('unsupportedMediaType');
  }
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity') return new HttpRefusal('encodingNotAllowed');
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limits.maxBytes) return new HttpRefusal('tooLarge');
  return undefined;
}

export async function readJsonBody(req: IncomingMessage, limits: BodyLimits): Promise<unknown> {
  const early = refusalByHeaders(req, limits);
  if (early) throw early;
  const bytes = await readCapped(req, limits);
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown;
  } catch {
    throw new HttpRefusal('malformedJson');
  }
}

function readCapped(req: IncomingMessage, limits: BodyLimits): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (outcome: () => void) => {
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
      req.off('close', onAborted);
      outcome();
    };
    const refuse = (code: RefusalCode) =>
      finish(() => {
        // Stop taking bytes: the answer goes out and the socket is closed after it (app.ts).
        req.pause();
        reject(new HttpRefusal(code));
      });
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limits.maxBytes) return refuse('tooLarge');
      chunks.push(chunk);
    };
    const onEnd = () => finish(() => resolve(Buffer.concat(chunks, size)));
    const onError = () => refuse('aborted');
    const onAborted = () => refuse('aborted');
    const timer = setTimeout(() => refuse('tooSlow'), limits.timeoutMs);
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', onError);
    req.once('aborted', onAborted);
    // A stream closed before its end: the client went away.
    req.once('close', onAborted);
  });
}
