import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationBotFrameworkAuthenticationOptions,
} from 'botbuilder';
import type { Config } from '../config';

/**
 * CloudAdapter with Bot Framework authentication from the config. Without an app id it runs in local
 * mode (no token checks), which config.ts refuses in production.
 */
export function createAdapter(auth: Config['auth']): CloudAdapter {
  const options: ConfigurationBotFrameworkAuthenticationOptions = auth
    ? {
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
        ...(auth.openIdMetadataUrl
          ? {
              BotOpenIdMetadata: auth.openIdMetadataUrl,
              ToBotFromChannelOpenIdMetadataUrl: auth.openIdMetadataUrl,
              ToBotFromEmulatorOpenIdMetadataUrl: auth.openIdMetadataUrl,
            }
          : {}),
        ...(auth.tokenIssuer ? { ToBotFromChannelTokenIssuer: auth.tokenIssuer } : {}),
      }
    : {};
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication(options));
  adapter.onTurnError = async (context, error) => {
    console.error('unhandled error in a turn:', error);
    if (context.activity.type === 'message') {
      await context.sendActivity(
        'Something went wrong on our side. Nothing was changed; please try again.',
      );
    }
  };
  return adapter;
}
