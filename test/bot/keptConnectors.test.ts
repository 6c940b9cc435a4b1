import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import {
  AppCredentials,
  AuthenticatorResult,
  ServiceClientCredentials,
  ServiceClientCredentialsFactory,
} from 'botframework-connector';
import { keepConnectors } from '../../src/bot/botbuilder/keptConnectors';
import { TeamsMessenger } from '../../src/bot/botbuilder/teamsMessenger';
import { DeliveryError } from '../../src/notify/messenger';
import type { AdaptiveCard } from '../../cards';

/** A token that expires `lifeMs` from now (AppCredentials renews it 5 minutes before it expires). */
const tokenFor = (accessToken: string, lifeMs: number): AuthenticatorResult => ({
  accessToken,
  expiresOn: new Date(Date.now() + 5 * 60_000 + lifeMs),
});

/** Credentials whose tokens are `t1`, `t2`, … each living `lifeMs`. */
class CountingCredentials extends AppCredentials {
  constructor(
    appId: string,
    private readonly issued: { count: number },
    private readonly lifeMs: number,
  ) {
    super(appId, undefined, 'https://api.botframework.com');
  }

  protected refreshToken(): Promise<AuthenticatorResult> {
    this.issued.count++;
    return Promise.resolve(tokenFor(`t${this.issued.count}`, this.lifeMs));
  }
}

class CountingFactory extends ServiceClientCredentialsFactory {
  made = 0;
  readonly tokens = { count: 0 };

  constructor(private readonly lifeMs: number) {
    super();
  }

  isValidAppId(): Promise<boolean> {
    return Promise.resolve(true);
  }

  isAuthenticationDisabled(): Promise<boolean> {
    return Promise.resolve(false);
  }

  createCredentials(appId: string): Promise<ServiceClientCredentials> {
    this.made++;
    return Promise.resolve(new CountingCredentials(appId, this.tokens, this.lifeMs));
  }
}

interface Received {
  readonly url: string;
  readonly authorization: string | undefined;
}

/** A chat service on loopback: records each request, answers `status` (200 with an id). */
async function chatService(): Promise<{
  url: string;
  received: Received[];
  status: number;
  close(): void;
}> {
  const service = {
    url: '',
    received: [] as Received[],
    status: 200,
    close: (): void => undefined,
  };
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      service.received.push({ url: req.url ?? '', authorization: req.headers.authorization });
      res.writeHead(service.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(service.status === 200 ? { id: 'sent-1' } : { error: {} }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  service.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  service.close = () => {
    server.close();
  };
  return service;
}

const CARD: AdaptiveCard = { type: 'AdaptiveCard', version: '1.5', body: [] };

describe('botbuilder edge: connector clients kept per service URL', () => {
  const services: Awaited<ReturnType<typeof chatService>>[] = [];
  afterEach(() => services.splice(0).forEach((s) => s.close()));

  async function messengerWith(lifeMs: number) {
    const appId = `kept-${Math.random().toString(36).slice(2)}`;
    const factory = new CountingFactory(lifeMs);
    const auth = keepConnectors(
      new ConfigurationBotFrameworkAuthentication({ MicrosoftAppId: appId }, factory),
    );
    const messenger = new TeamsMessenger(new CloudAdapter(auth), appId);
    const [a, b] = [await chatService(), await chatService()];
    services.push(a, b);
    const reference = (serviceUrl: string, id: string) => ({
      serviceUrl,
      channelId: 'msteams',
      conversation: { id },
      bot: { id: `28:${appId}` },
      user: { id: '29:user' },
    });
    return { factory, messenger, a, b, reference };
  }

  it('sends each card to its own service URL with one client per URL, renewing an expired token', async () => {
    const { factory, messenger, a, b, reference } = await messengerWith(400);
    await messenger.send(reference(a.url, 'chat-a'), CARD);
    await messenger.send(reference(b.url, 'chat-b'), CARD);
    await messenger.update(reference(a.url, 'chat-a'), 'card-1', CARD);
    // A send answers the continued conversation (…/activities/<its id>), an update names the card.
    const paths = (s: { received: Received[] }) =>
      s.received.map((r) => r.url.replace(/activities\/[0-9a-f-]{36}$/, 'activities/(reply)'));
    assert.deepEqual(paths(a), [
      '/v3/conversations/chat-a/activities/(reply)',
      '/v3/conversations/chat-a/activities/card-1',
    ]);
    assert.deepEqual(paths(b), ['/v3/conversations/chat-b/activities/(reply)']);
    // Credentials for one connector client per service URL and one user token client, not for two
    // clients per send.
    assert.equal(factory.made, 3);
    assert.deepEqual(
      [...a.received, ...b.received].map((r) => r.authorization),
      ['Bearer t1', 'Bearer t1', 'Bearer t1'],
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    await messenger.send(reference(a.url, 'chat-a'), CARD);
    assert.equal(a.received.at(-1)?.authorization, 'Bearer t2');
    assert.equal(factory.made, 3);
  });

  it('a kept client for proactive sends still retries nothing on its own', async () => {
    const { messenger, a, reference } = await messengerWith(60_000);
    await messenger.send(reference(a.url, 'chat-a'), CARD);
    a.status = 503;
    await assert.rejects(
      messenger.send(reference(a.url, 'chat-a'), CARD),
      (e: unknown) => e instanceof DeliveryError && e.status === 503,
    );
    assert.equal(a.received.length, 2);
  });
});
