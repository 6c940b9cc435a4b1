import assert from 'node:assert/strict';
import type { PlaygroundApi } from '../../testkit/playgroundHttp';
import { userActions } from '../../testkit/playgroundSending';
import { Transcript } from '../../testkit/playgroundTranscript';
import type { PlaygroundConfig, PlaygroundUser } from '../../testkit/playgroundTypes';
import { ChangeSignal } from '../../testkit/playgroundWaiting';

/** The parts of the Agents Playground client that need no playground process (the e2e tests use all). */

const BOT = 'bot-1';
const frame = (action: string, message: Record<string, unknown>, conversationId = 'c1') =>
  JSON.stringify({ action, actionConversationId: conversationId, message });
const card = (body: string) => ({ contentType: 'card', content: { body } });

const person = (id: string, name: string): PlaygroundUser => ({
  id,
  name,
  userPrincipleName: `${id}@test`,
  aadObjectId: `aad-${id}`,
  givenName: name,
  surname: '',
  email: `${id}@test`,
});
const config = {
  currentUser: person('u-me', 'Me'),
  users: [person('u-ann', 'Ann')],
} as PlaygroundConfig;

describe('testkit: the Agents Playground client', () => {
  it('keeps each transcript message in its latest state, in its first conversation and order', () => {
    let changes = 0;
    const t = new Transcript(() => changes++);
    t.receive(frame('createMessage', { messageId: 'm1', from: { id: BOT }, text: 'a' }));
    t.receive(frame('createMessage', { messageId: 'm2', from: { id: 'u-me' }, text: 'b' }));
    t.receive('not json');
    t.receive(frame('deleteMessage', { messageId: 'm1', from: { id: BOT } }));
    t.receive(
      frame('updateMessage', { messageId: 'm1', from: { id: BOT }, text: 'a2' }, 'c2;messageid=1'),
    );
    assert.equal(changes, 3);
    assert.deepEqual(
      t.allEvents().map((m) => [m.action, m.messageId, m.conversationId]),
      [
        ['createMessage', 'm1', 'c1'],
        ['createMessage', 'm2', 'c1'],
        ['updateMessage', 'm1', 'c2;messageid=1'],
      ],
    );
    const mine = t.messagesFrom(BOT);
    assert.deepEqual(
      mine.map((m) => [m.messageId, m.text, m.conversationId, m.action]),
      [['m1', 'a2', 'c1', 'updateMessage']],
    );
    assert.equal(t.messagesFrom(BOT, 'c1').length, 1);
    assert.equal(t.messagesFrom(BOT, 'other').length, 0);
  });

  it('replaces the card of a single-card message and tells of it; leaves other messages alone', () => {
    let changes = 0;
    const t = new Transcript(() => changes++);
    t.receive(
      frame('createMessage', { messageId: 'one', from: { id: BOT }, attachments: [card('old')] }),
    );
    const two = [card('x'), card('y')];
    t.receive(frame('createMessage', { messageId: 'two', from: { id: BOT }, attachments: two }));
    t.replaceCard('one', { body: 'new' });
    t.replaceCard('two', { body: 'new' });
    t.replaceCard('missing', { body: 'new' });
    assert.equal(changes, 3);
    const [one, second] = t.messagesFrom(BOT);
    assert.deepEqual(one.attachments, [{ contentType: 'card', content: { body: 'new' } }]);
    assert.equal(one.action, 'updateMessage');
    assert.deepEqual(second.attachments, two);
  });

  it('waits until a change brings what it looks for; a throw or the timeout rejects', async () => {
    const signal = new ChangeSignal();
    const values: string[] = [];
    let settled = false;
    const waiting = signal.waitFor({ find: () => values[0], describe: () => 'the value' });
    void waiting.finally(() => (settled = true));
    values.push('here');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(settled, false, 'looks again only when notified');
    signal.notify();
    assert.equal(await waiting, 'here');

    const failing = signal.waitFor({
      find: (): string | undefined => {
        throw new Error('broken predicate');
      },
      describe: () => 'never',
    });
    await assert.rejects(failing, /broken predicate/);
    const late = signal.waitFor({ find: () => undefined, describe: () => 'Godot', timeoutMs: 20 });
    await assert.rejects(late, /timed out after 20 ms waiting for Godot/);
  });

  describe('sending', () => {
    const calls: { method: string; apiPath: string; body?: unknown }[] = [];
    const custom: Record<string, unknown>[] = [];
    const api = (async (method: string, apiPath: string, body?: unknown) => {
      calls.push({ method, apiPath, body });
      return apiPath.endsWith('/invoke') ? { value: { body: 'swapped' } } : { messageId: 'x' };
    }) as PlaygroundApi;
    const transcript = new Transcript(() => undefined);
    const actions = userActions({
      api,
      requests: {
        activityTemplate: async () => ({
          channelId: 'msteams',
          entities: [{ type: 'clientInfo' }],
        }),
        sendCustomActivity: async (a) => void custom.push(a),
      },
      config: async () => config,
      transcript,
    });
    const ann = { id: 'u-ann', name: 'Ann' };
    beforeEach(() => {
      calls.length = 0;
      custom.length = 0;
    });

    it('posts the current user’s message to the message API, mentions named in the text', async () => {
      await actions.sendMessage('c 1', 'u-me', 'hi <at>Bot</at>', [{ id: BOT, name: 'Bot' }, ann]);
      assert.deepEqual(calls, [
        {
          method: 'POST',
          apiPath: '/_conversation/v1/conversations/c%201/messages',
          body: {
            from: { id: 'u-me' },
            text: '<at>Ann</at> hi <at>Bot</at>',
            textFormat: 'plain',
            mentions: [
              { mentioned: { id: BOT, name: 'Bot' }, text: '<at>Bot</at>' },
              { mentioned: ann, text: '<at>Ann</at>' },
            ],
          },
        },
      ]);
    });

    it('sends another user’s message as a custom activity built on the template', async () => {
      const sent = await actions.sendMessage('c1', 'u-ann', 'hello', [{ id: BOT, name: 'Bot' }]);
      assert.deepEqual(calls, []);
      assert.equal(custom.length, 1);
      const a = custom[0];
      assert.equal(a.id, sent.messageId);
      assert.equal(a.channelId, 'msteams');
      assert.deepEqual(a.from, { id: 'u-ann', name: 'Ann', aadObjectId: 'aad-u-ann' });
      assert.equal(a.text, '<at>Bot</at> hello');
      assert.deepEqual(a.entities, [
        { type: 'mention', mentioned: { id: BOT, name: 'Bot' }, text: '<at>Bot</at>' },
        { type: 'clientInfo' },
      ]);
      await assert.rejects(actions.sendMessage('c1', 'nobody', 'x'), /no user nobody/);
    });

    it('sends a file with its type from its name; an invoke’s card replaces the old one', async () => {
      await actions.sendFile('c1', 'u-me', { name: 'Bon.PDF', downloadUrl: 'http://127.0.0.1/f' });
      const [attachment] = custom[0].attachments as { content: { fileType: string } }[];
      assert.equal(attachment.content.fileType, 'pdf');

      transcript.receive(
        frame('createMessage', { messageId: 'card', from: { id: BOT }, attachments: [card('a')] }),
      );
      await actions.invoke({ conversationId: 'c1', fromId: 'u-me', replyToId: 'card', verb: 'go' });
      assert.deepEqual((calls[0].body as { value: unknown }).value, {
        action: { type: 'Action.Execute', verb: 'go', data: {} },
        trigger: 'manual',
      });
      assert.deepEqual(transcript.messagesFrom(BOT)[0].attachments[0].content, { body: 'swapped' });
    });
  });
});
