import {
  CallerIdConstants,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationBotFrameworkAuthenticationOptions,
} from 'botbuilder';
import { AuthenticationConstants, AuthenticationError } from 'botframework-connector';
import type { Config } from '../../config';
import { log } from '../../log';
import { keepConnectors } from './keptConnectors';

/** Bot Framework authentication options from the config (none: local mode). */
export function authenticationOptions(
  auth: Config['auth'],
): ConfigurationBotFrameworkAuthenticationOptions {
  if (!auth) return {};
  const credentials = {
    MicrosoftAppId: auth.appId,
    MicrosoftAppPassword: auth.appPassword,
    MicrosoftAppType: auth.appType,
    MicrosoftAppTenantId: auth.appTenantId,
    ...(auth.certificateThumbprint
      ? {
          CertificateThumbprint: auth.certificateThumbprint,
          CertificatePrivateKey: auth.certificatePrivateKey,
        }
      : {}),
  };
  if (!auth.openIdMetadataUrl && !auth.tokenIssuer) return credentials;
  // One parameter given makes botbuilder take every one literally: the rest keep the public cloud's.
  const C = AuthenticationConstants;
  return {
    ...credentials,
    ValidateAuthority: true,
    ToChannelFromBotLoginUrl: C.ToChannelFromBotLoginUrl,
    ToChannelFromBotOAuthScope: C.ToChannelFromBotOAuthScope,
    OAuthUrl: C.OAuthUrl,
    CallerId: CallerIdConstants.PublicAzureChannel,
    ToBotFromChannelOpenIdMetadataUrl:
      auth.openIdMetadataUrl ?? C.ToBotFromChannelOpenIdMetadataUrl,
    ToBotFromChannelTokenIssuer: auth.tokenIssuer ?? C.ToBotFromChannelTokenIssuer,
    ToBotFromEmulatorOpenIdMetadataUrl: C.ToBotFromEmulatorOpenIdMetadataUrl,
  };
}

/**
 * CloudAdapter with Bot Framework authentication from the config. Without an app id it runs in local
 * mode (no token checks), which config.ts refuses in production. Every token that fails validation
 * is a 401 (botbuilder itself answers 500 for most of them), with no detail of why.
 */
export function createAdapter(auth: Config['auth']): CloudAdapter {
  const authentication = keepConnectors(
    new ConfigurationBotFrameworkAuthentication(authenticationOptions(auth)),
  );
  const authenticate = authentication.authenticateRequest.bind(authentication);
  authentication.authenticateRequest = async (activity, authHeader) => {
    try {
      return await authenticate(activity, authHeader);
    } catch (e) {
      log.warn({ reason: (e as Error).message }, 'refused a request to /api/messages');
      throw new AuthenticationError('Unauthorized', 401);
    }
  };
  const adapter = new CloudAdapter(authentication);
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
