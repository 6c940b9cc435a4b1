import {
  AuthConfiguration,
  AuthType,
  CloudAdapter,
  getAuthConfigWithDefaults,
  Request,
  WebResponse,
} from '@microsoft/agents-hosting';
import type { Response } from 'restify';
import type { Config } from '../../config';
import { log } from '../../log';

/** The issuer of the tokens the Bot Connector (Azure Bot Service) sends a bot. */
const BOT_FRAMEWORK_ISSUER = 'https://api.botframework.com';

/**
 * The Agents SDK's authentication settings from ours (the README's migration note maps the names):
 * a client secret (MultiTenant, SingleTenant) or a user-assigned managed identity; the token's
 * issuer is checked against BOT_TOKEN_ISSUER (default: the Bot Connector's).
 */
export function authConfiguration(auth: NonNullable<Config['auth']>): AuthConfiguration {
  return getAuthConfigWithDefaults({
    clientId: auth.appId,
    ...(auth.appType === 'UserAssignedMSI'
      ? { authType: AuthType.UserManagedIdentity }
      : { authType: AuthType.ClientSecret, clientSecret: auth.appPassword }),
    ...(auth.appTenantId ? { tenantId: auth.appTenantId } : {}),
    ...(auth.authorityEndpoint ? { authorityEndpoint: auth.authorityEndpoint } : {}),
    issuers: [auth.tokenIssuer ?? BOT_FRAMEWORK_ISSUER],
    validateIssuer: true,
  });
}

/**
 * The Agents SDK's CloudAdapter: with an app id its JWT validation (authorizeRequest) checks every
 * request; without one it runs in local mode (no token checks), which config.ts refuses in production.
 */
export function createAgentsAdapter(auth: Config['auth']): CloudAdapter {
  const adapter = auth
    ? new CloudAdapter(authConfiguration(auth))
    : new CloudAdapter(getAuthConfigWithDefaults({}));
  adapter.onTurnError = async (context, error) => {
    log.error({ err: error }, 'unhandled error in a turn');
    if (context.activity.type === 'message') {
      await context.sendActivity(
        'Something went wrong on our side. Nothing was changed; please try again.',
      );
    }
  };
  return adapter;
}

/** restify's response as the Agents SDK writes to it (Express-style chaining). */
export class AgentsResponse implements WebResponse {
  constructor(private readonly res: Response) {}

  status(code: number): this {
    this.res.statusCode = code;
    return this;
  }

  setHeader(name: string, value: string): this {
    this.res.setHeader(name, value);
    return this;
  }

  send(body?: unknown): this {
    if (body !== undefined) {
      if (!this.res.headersSent) this.res.setHeader('content-type', 'application/json');
      this.res.write(typeof body === 'string' ? body : JSON.stringify(body));
    }
    return this;
  }

  end(): this {
    if (!this.res.writableEnded) this.res.end();
    return this;
  }

  get headersSent(): boolean {
    return this.res.headersSent;
  }

  get writableEnded(): boolean {
    return this.res.writableEnded;
  }
}

/** Keeps the SDK's reason for refusing a token, so that the caller answers 401 without it. */
class Refusal implements WebResponse {
  readonly headersSent = false;
  writableEnded = false;
  reason: unknown;

  status(): this {
    return this;
  }

  setHeader(): this {
    return this;
  }

  send(body?: unknown): this {
    this.reason = body;
    return this;
  }

  end(): this {
    this.writableEnded = true;
    return this;
  }
}

/**
 * The SDK's JWT validation of `req` (audience, issuer, signature, lifetime), and the `serviceurl`
 * claim matching the activity's service URL (as botbuilder checks it: replies go nowhere else);
 * the token's claims land in `req.user`. False: refused, and why is logged, never answered.
 */
export async function authorized(adapter: CloudAdapter, req: Request): Promise<boolean> {
  const refusal = new Refusal();
  let passed = false;
  await adapter.authorizeRequest(req, refusal, () => {
    passed = true;
  });
  const claimed = (req.user as { serviceurl?: unknown } | undefined)?.serviceurl;
  const serviceUrl = (req.body as { serviceUrl?: unknown } | undefined)?.serviceUrl;
  if (passed && (typeof claimed !== 'string' || claimed !== serviceUrl)) {
    refusal.reason = 'the serviceurl claim does not match the activity';
    passed = false;
  }
  if (!passed) log.warn({ reason: refusal.reason }, 'refused a request to /api/messages');
  return passed;
}
