import { KeyObject, createSign, generateKeyPairSync, randomUUID } from 'node:crypto';
import http from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * A local Bot Framework token authority: RSA keys made here, an OpenID metadata document and its
 * JWKS served on loopback, and JWTs signed the way the Bot Connector signs what it sends to a bot.
 * Nothing here reaches the internet.
 */

export interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

export function newKey(kid = `k-${randomUUID()}`): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, publicKey };
}

export interface PublishedKey {
  readonly key: SigningKey;
  /** What the JWKS says the key may sign for (channel ids); undefined: no endorsements field. */
  readonly endorsements?: readonly string[];
}

const b64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

export type JwtHeader = Record<string, unknown>;
export type JwtClaims = Record<string, unknown>;

/** A compact JWS; `alg` RS256/384/512 signs with the key, anything else leaves the signature empty. */
export function signJwt(header: JwtHeader, claims: JwtClaims, key?: SigningKey): string {
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  const alg = String(header.alg);
  const hash = { RS256: 'RSA-SHA256', RS384: 'RSA-SHA384', RS512: 'RSA-SHA512' }[alg];
  if (!hash || !key) return `${input}.`;
  const signature = createSign(hash).update(input).sign(key.privateKey);
  return `${input}.${b64url(signature)}`;
}

export class TokenAuthority {
  /** Requests for the metadata and the keys, to show the bot really asked. */
  readonly requests: string[] = [];

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
    readonly issuer: string,
    readonly keys: readonly PublishedKey[],
  ) {}

  /** Serves `/.well-known/openidconfiguration` and `/keys` with `keys` on 127.0.0.1. */
  static async start(issuer: string, keys: readonly PublishedKey[]): Promise<TokenAuthority> {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const url = `http://127.0.0.1:${port}`;
    const authority = new TokenAuthority(server, url, issuer, keys);
    server.on('request', (req, res) => authority.handle(req, res));
    return authority;
  }

  get metadataUrl(): string {
    return `${this.url}/v1/.well-known/openidconfiguration`;
  }

  /**
   * What points the app's token validation at this authority. botbuilder reads the OpenID metadata
   * and its JWKS; the Agents SDK reads no metadata: for an issuer other than the Bot Connector's it
   * takes the keys from `<authority>/<tenant>/discovery/v2.0/keys`.
   */
  appEnv(sdk: 'botbuilder' | 'agents'): Record<string, string> {
    return sdk === 'agents'
      ? { BOT_AUTHORITY_ENDPOINT: this.url, BOT_TOKEN_ISSUER: this.issuer }
      : { BOT_OPENID_METADATA_URL: this.metadataUrl, BOT_TOKEN_ISSUER: this.issuer };
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    this.requests.push(req.url ?? '');
    let body: unknown;
    if (req.url === '/v1/.well-known/openidconfiguration') {
      body = {
        issuer: this.issuer,
        authorization_endpoint: `${this.url}/v1/authorize`,
        jwks_uri: `${this.url}/v1/keys`,
        id_token_signing_alg_values_supported: ['RS256'],
        token_endpoint_auth_methods_supported: ['private_key_jwt'],
      };
    } else if (req.url === '/v1/keys' || req.url?.endsWith('/discovery/v2.0/keys')) {
      body = {
        keys: this.keys.map(({ key, endorsements }) => ({
          ...key.publicKey.export({ format: 'jwk' }),
          kid: key.kid,
          use: 'sig',
          alg: 'RS256',
          ...(endorsements ? { endorsements } : {}),
        })),
      };
    }
    const text = JSON.stringify(body ?? { error: 'not found' });
    res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
    res.end(text);
  }
}

/** Seconds since the epoch. */
export const nowS = (): number => Math.floor(Date.now() / 1000);
