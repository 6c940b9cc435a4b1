import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { authConfiguration } from '../src/bot/agents/adapter';
import { createEdge } from '../src/bot/edges';
import { BotSdk, ConfigError, loadConfig } from '../src/config';
import { RecordingConnector } from '../testkit/connector';
import type { AdaptiveCard } from '../cards';

/** BOT_SDK: one Teams edge per SDK, chosen by configuration, each in its own folder (issue 34). */

const ROOT = resolve(__dirname, '..', '..');
const APP_ID = '00000000-0000-0000-0000-000000000001';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CARD = { type: 'AdaptiveCard', version: '1.5', body: [] } as unknown as AdaptiveCard;

function refuses(env: Record<string, string>, variable: string): void {
  assert.throws(
    () => loadConfig(env),
    (e: unknown) => e instanceof ConfigError && e.variable === variable,
    `${JSON.stringify(env)} should be refused for ${variable}`,
  );
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

describe('BOT_SDK: the Teams edge on botbuilder or the Microsoft 365 Agents SDK', () => {
  it('is botbuilder by default, agents when asked, and nothing else', () => {
    assert.equal(loadConfig({}).botSdk, 'botbuilder');
    assert.equal(loadConfig({ BOT_SDK: 'agents' }).botSdk, 'agents');
    assert.equal(loadConfig({ BOT_SDK: 'Agents' }).botSdk, 'agents');
    refuses({ BOT_SDK: 'teams-ai' }, 'BOT_SDK');
  });

  it('refuses the settings the chosen SDK does not read, rather than ignoring them', () => {
    const app = { MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 'pw' };
    refuses(
      { ...app, BOT_AUTHORITY_ENDPOINT: 'https://login.microsoftonline.us' },
      'BOT_AUTHORITY_ENDPOINT',
    );
    refuses(
      { ...app, BOT_SDK: 'agents', BOT_AUTHORITY_ENDPOINT: 'login' },
      'BOT_AUTHORITY_ENDPOINT',
    );
    refuses(
      { ...app, BOT_SDK: 'agents', BOT_OPENID_METADATA_URL: 'https://x.example/openid' },
      'BOT_OPENID_METADATA_URL',
    );
    refuses(
      {
        ...app,
        BOT_SDK: 'agents',
        MICROSOFT_APP_CERTIFICATE_THUMBPRINT: 'AB12',
        MICROSOFT_APP_CERTIFICATE_PRIVATE_KEY: 'key',
      },
      'MICROSOFT_APP_CERTIFICATE_THUMBPRINT',
    );
    const agents = loadConfig({
      ...app,
      BOT_SDK: 'agents',
      BOT_AUTHORITY_ENDPOINT: 'https://login.microsoftonline.us',
    });
    assert.equal(agents.auth?.authorityEndpoint, 'https://login.microsoftonline.us');
  });

  it('builds the edge of the SDK named', () => {
    for (const sdk of ['botbuilder', 'agents'] as BotSdk[]) {
      assert.equal(createEdge(sdk, undefined).sdk, sdk);
    }
  });

  it('gives the Agents SDK our app registration: secret, single tenant or managed identity', () => {
    const secret = authConfiguration(
      loadConfig({ MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 'pw', BOT_SDK: 'agents' })
        .auth!,
    );
    assert.equal(secret.clientId, APP_ID);
    assert.equal(secret.clientSecret, 'pw');
    assert.deepEqual(secret.issuers, ['https://api.botframework.com']);
    assert.equal(secret.validateIssuer, true);
    const single = authConfiguration(
      loadConfig({
        MICROSOFT_APP_ID: APP_ID,
        MICROSOFT_APP_PASSWORD: 'pw',
        MICROSOFT_APP_TYPE: 'SingleTenant',
        MICROSOFT_APP_TENANT_ID: TENANT,
        BOT_SDK: 'agents',
      }).auth!,
    );
    assert.equal(single.tenantId, TENANT);
    const msi = authConfiguration(
      loadConfig({
        MICROSOFT_APP_ID: APP_ID,
        MICROSOFT_APP_TYPE: 'UserAssignedMSI',
        MICROSOFT_APP_TENANT_ID: TENANT,
        BOT_SDK: 'agents',
      }).auth!,
    );
    assert.equal(msi.authType, 'UserManagedIdentity');
    assert.equal(msi.clientSecret, undefined);
  });

  it('keeps each SDK in its own folder: botbuilder in src/bot/botbuilder, the Agents SDK in src/bot/agents', () => {
    const misplaced = sourceFiles(join(ROOT, 'src')).flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      const rel = relative(ROOT, file);
      return [
        /from '(botbuilder|botframework)[^']*'/.test(text) && !rel.startsWith('src/bot/botbuilder/')
          ? [`${rel} imports botbuilder`]
          : [],
        /from '@microsoft\/agents-[^']*'/.test(text) && !rel.startsWith('src/bot/agents/')
          ? [`${rel} imports the Agents SDK`]
          : [],
      ].flat();
    });
    assert.deepEqual(misplaced, []);
  });

  describe('proactive messages: a chat opened under one SDK is written to by the other', () => {
    let connector: RecordingConnector;
    const user = {
      id: '29:edge-user',
      name: 'Edda Edge',
      aadObjectId: 'aad-edge-user',
      tenantId: TENANT,
      personalConversationId: 'a:edge-personal',
    };
    before(async () => {
      connector = await RecordingConnector.start();
      connector.addUser(user);
    });
    after(async () => connector?.stop());

    for (const [opener, writer] of [
      ['botbuilder', 'agents'],
      ['agents', 'botbuilder'],
    ] as [BotSdk, BotSdk][]) {
      it(`opened with ${opener}, sent and updated with ${writer}`, async () => {
        const target = { tenantId: TENANT, userId: user.id, serviceUrl: connector.serviceUrl };
        const reference = await createEdge(opener, undefined).messenger.createPersonal(
          target,
          CARD,
        );
        const seq = connector.seq;
        const messenger = createEdge(writer, undefined).messenger;
        const id = await messenger.send(reference, CARD);
        assert.ok(id, 'the message has an id');
        await messenger.update(reference, id, CARD);
        assert.deepEqual(
          // botbuilder posts it as a reply to the chat's first message, the Agents SDK as a new one.
          connector.since(seq).map((r) => [r.op === 'reply' ? 'send' : r.op, r.conversationId]),
          [
            ['send', user.personalConversationId],
            ['update', user.personalConversationId],
          ],
        );
      });
    }
  });
});
