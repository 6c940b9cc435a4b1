import {
  AuthenticationConstants,
  BotFrameworkAuthentication,
  ClaimsIdentity,
  ConnectorClient,
  ConnectorFactory,
  UserTokenClient,
} from 'botframework-connector';
import { BoundedMap } from '../../domain/boundedMap';

/** Clients kept per app id, service URL and audience (Teams has a few service URLs per cloud). */
const KEPT_CLIENTS = 200;

/** The app id a connector's credentials are for, as botbuilder reads it from the claims. */
const appIdOf = (identity: ClaimsIdentity): string =>
  identity.getClaimValue(AuthenticationConstants.AudienceClaim) ??
  identity.getClaimValue(AuthenticationConstants.AppIdClaim) ??
  '';

/**
 * The connector clients `inner` makes, one per service URL and audience: later asks get the same
 * client. One that could not be made is not kept.
 */
class KeptConnectorFactory extends ConnectorFactory {
  constructor(
    private readonly inner: ConnectorFactory,
    private readonly appId: string,
    private readonly kept: BoundedMap<Promise<ConnectorClient>>,
  ) {
    super();
  }

  create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
    const key = JSON.stringify([this.appId, serviceUrl, audience ?? '']);
    return this.kept.getOrMake(key, () => {
      const made = this.inner.create(serviceUrl, audience);
      made.catch(() => this.kept.delete(key));
      return made;
    });
  }
}

/** The pipeline of botbuilder's connector client, as far as this file needs it. */
interface ConnectorWithPipeline {
  readonly client?: { readonly pipeline?: { removePolicy(o: { name: string }): unknown } };
}

/**
 * The connector client retries 429s and 5xx on its own, invisibly and outside Teams' rate limits
 * kept by the dispatcher; for proactive messages the dispatcher retries instead, within them.
 */
function withoutHiddenRetries(connector: ConnectorClient): ConnectorClient {
  (connector as unknown as ConnectorWithPipeline).client?.pipeline?.removePolicy({
    name: 'defaultRetryPolicy',
  });
  return connector;
}

/**
 * botbuilder makes a connector client (credentials, an HTTP pipeline) for every turn and every
 * proactive send, and a user token client for every turn: a good part of a turn's CPU. `auth` is
 * changed to keep them instead, per app id, service URL and audience. A kept client's credentials
 * ask for a new token when theirs expires (AppCredentials.getToken checks before each request), so
 * keeping it changes only the cost. Proactive sends (createConnectorFactory: continue or create a
 * conversation) get clients of their own, without the connector's hidden retries.
 */
export function keepConnectors(auth: BotFrameworkAuthentication): BotFrameworkAuthentication {
  const inTurn = new BoundedMap<Promise<ConnectorClient>>(KEPT_CLIENTS);
  const proactive = new BoundedMap<Promise<ConnectorClient>>(KEPT_CLIENTS);
  const tokenClients = new BoundedMap<Promise<UserTokenClient>>(KEPT_CLIENTS);
  const authenticate = auth.authenticateRequest.bind(auth);
  const connectorFactory = auth.createConnectorFactory.bind(auth);
  const userTokenClient = auth.createUserTokenClient.bind(auth);
  auth.authenticateRequest = async (activity, authHeader) => {
    const result = await authenticate(activity, authHeader);
    if (!result.connectorFactory) return result;
    const appId = appIdOf(result.claimsIdentity);
    return {
      ...result,
      connectorFactory: new KeptConnectorFactory(result.connectorFactory, appId, inTurn),
    };
  };
  auth.createConnectorFactory = (identity) => {
    const inner = connectorFactory(identity);
    const withoutRetries: ConnectorFactory = {
      create: async (serviceUrl, audience) =>
        withoutHiddenRetries(await inner.create(serviceUrl, audience)),
    };
    return new KeptConnectorFactory(withoutRetries, appIdOf(identity), proactive);
  };
  auth.createUserTokenClient = (identity) => {
    const appId = appIdOf(identity);
    return tokenClients.getOrMake(appId, () => {
      const made = userTokenClient(identity);
      made.catch(() => tokenClients.delete(appId));
      return made;
    });
  };
  return auth;
}
