import assert from 'node:assert/strict';
import { ConversationInfo, DirectoryUser, RecordingConnector } from '../../testkit/connector';

/** The recording Bot Connector the tests and the benchmark share, spoken to over loopback HTTP. */

const TENANT = 'tenant-a';
const MARKER = 'Something went wrong';

const user = (n: number, extra: Partial<DirectoryUser> = {}): DirectoryUser => ({
  id: `29:user-${n}`,
  name: `User ${n}`,
  aadObjectId: `aad-${n}`,
  userPrincipalName: `user${n}@a.test`,
  tenantId: TENANT,
  personalConversationId: `a:personal-${n}`,
  ...extra,
});

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly json: any;
}

describe('testkit: the recording Bot Connector', () => {
  let c: RecordingConnector;
  const ann = user(1);
  const bob = user(2);
  const eve = user(3, { tenantId: 'tenant-b' });
  const carl = user(4, { appInstalled: false });
  const group: ConversationInfo = {
    id: '19:group@thread.v2',
    tenantId: TENANT,
    type: 'groupChat',
    memberIds: [ann.id],
  };

  const call = async (method: string, path: string, body?: unknown): Promise<Answer> => {
    const res = await fetch(`${c.url}/amer/v3/conversations${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' || body === undefined ? body : JSON.stringify(body),
    });
    return { status: res.status, headers: res.headers, json: await res.json() };
  };
  const send = (conversationId: string, activity: unknown = { type: 'message', text: 'hi' }) =>
    call('POST', `/${encodeURIComponent(conversationId)}/activities`, activity);
  const reply = (conversationId: string, to: string, text = 'hi') =>
    call('POST', `/${encodeURIComponent(conversationId)}/activities/${to}`, { text });
  const update = (conversationId: string, id: string, text = 'changed') =>
    call('PUT', `/${encodeURIComponent(conversationId)}/activities/${id}`, { text });
  const create = (member: DirectoryUser, tenantId = TENANT, extra: object = {}) =>
    call('POST', '', { members: [{ id: member.id }], tenantId, ...extra });
  const member = (conversationId: string, key: string) =>
    call('GET', `/${encodeURIComponent(conversationId)}/members/${encodeURIComponent(key)}`);

  beforeEach(async () => {
    c = await RecordingConnector.start({ errorMarkers: [MARKER] });
    for (const u of [ann, bob, eve, carl]) c.addUser(u);
    c.addConversation(group);
  });

  afterEach(async () => {
    await c.stop();
  });

  describe('recording (from the start)', () => {
    it('keeps every send, reply and update, with the newest version of each activity', async () => {
      const first = await send(ann.personalConversationId, { type: 'message', text: 'one' });
      assert.equal(first.status, 201);
      const from = c.seq;
      const answered = await reply(group.id, first.json.id, 'two');
      assert.equal(answered.status, 201);
      assert.notEqual(answered.json.id, first.json.id);
      assert.equal(
        (await update(ann.personalConversationId, first.json.id, 'one, edited')).status,
        200,
      );

      assert.deepEqual(
        c.records.map((r) => [r.op, r.conversationId, r.activity.text]),
        [
          ['send', ann.personalConversationId, 'one'],
          ['reply', group.id, 'two'],
          ['update', ann.personalConversationId, 'one, edited'],
        ],
      );
      assert.equal(c.since(from).length, 2);
      assert.equal(c.since(from, group.id)[0].replyToId, first.json.id);
      assert.equal(c.delivered(ann.personalConversationId).length, 1);
      assert.equal(
        c.latest(ann.personalConversationId, first.json.id)?.activity.text,
        'one, edited',
      );
      assert.equal(c.latest(ann.personalConversationId, first.json.id)?.activity.id, first.json.id);
      assert.deepEqual(c.tally(), {
        accepted: { send: 1, reply: 1, update: 1 },
        errors: 0,
        faulted: 0,
      });
    });

    it('keeps every request with its answer, and what a write was', async () => {
      await send(ann.personalConversationId);
      await member(group.id, bob.id);
      assert.deepEqual(
        c.requests.map((q) => [q.method, q.status, q.op, q.conversationId]),
        [
          ['POST', 201, 'send', ann.personalConversationId],
          ['GET', 404, undefined, undefined],
        ],
      );
      assert.equal(c.requests[0].activity?.text, 'hi');
      assert.match(c.requests[0].path, /^\/amer\/v3\/conversations\/a%3Apersonal-1\/activities$/);
      assert.ok(Math.abs(c.requests[0].at - Date.now()) < 5000, 'a wall-clock time');
    });

    it('refuses an update of an activity it never had, a missing activity and an unknown route, keeping nothing', async () => {
      assert.equal((await update(ann.personalConversationId, '999999')).status, 404);
      const sent = await send(ann.personalConversationId);
      assert.equal((await update(group.id, sent.json.id)).status, 404, 'another conversation');
      assert.equal((await send(ann.personalConversationId, 'not json')).status, 400);
      assert.equal((await send(ann.personalConversationId, '')).status, 400);
      assert.equal((await call('DELETE', `/${group.id}/activities/1`)).status, 404);
      assert.equal(c.records.length, 1);
      assert.deepEqual(c.tally().accepted, { send: 1 });
    });

    it('counts accepted activities holding an error marker', async () => {
      await send(ann.personalConversationId, { text: `${MARKER} on our side` });
      await send(ann.personalConversationId, { text: 'fine' });
      assert.equal(c.tally().errors, 1);
    });

    it('finds a record sent later with waitFor, and gives up after the timeout', async () => {
      const waiting = c.waitFor((r) => r.activity.text === 'later', 2000);
      setTimeout(() => void send(group.id, { text: 'later' }), 50);
      assert.equal((await waiting)?.conversationId, group.id);
      assert.equal(await c.waitFor((r) => r.activity.text === 'never', 60), undefined);
    });
  });

  describe('counting only (record(false), as the benchmark under load)', () => {
    beforeEach(async () => {
      await send(ann.personalConversationId);
      c.record(false);
    });

    it('forgets what it kept, keeps nothing new and counts by operation and error marker', async () => {
      assert.equal(c.records.length, 0);
      assert.equal(c.requests.length, 0);
      for (let i = 0; i < 5; i++) await send(group.id, { text: i === 2 ? MARKER : 'ok' });
      const answered = await reply(group.id, '42');
      assert.equal(answered.status, 201);
      assert.ok(answered.json.id);
      assert.equal((await create(bob)).status, 201);
      assert.deepEqual(c.records, []);
      assert.deepEqual(c.requests, []);
      assert.deepEqual(c.tally(), {
        accepted: { send: 6, reply: 1, create: 1 },
        errors: 1,
        faulted: 0,
      });
    });

    it('does not parse activities: any non-empty body is accepted, an empty one is not', async () => {
      const parse = JSON.parse;
      let parsed = 0;
      JSON.parse = (text: string, ...rest) => {
        if (String(text).includes('unparsed')) parsed += 1;
        return parse(text, ...rest) as unknown;
      };
      try {
        assert.equal((await send(group.id, { text: 'unparsed' })).status, 201);
      } finally {
        JSON.parse = parse;
      }
      assert.equal(parsed, 0);
      assert.equal((await send(group.id, 'not json, never read')).status, 201);
      assert.equal((await send(group.id, '')).status, 400);
      assert.equal((await update(group.id, '999999')).status, 200, 'nothing to check against');
    });

    it('keeps records again after record(true), from then on', async () => {
      await send(group.id, { text: 'uncounted' });
      c.record(true);
      await send(group.id, { text: 'kept' });
      assert.deepEqual(
        c.records.map((r) => r.activity.text),
        ['kept'],
      );
      assert.equal(c.requests.length, 1);
    });
  });

  it('accepts updates of unknown activities while recording when asked (the benchmark)', async () => {
    const lenient = await RecordingConnector.start({ acceptUnknownUpdates: true });
    try {
      const res = await fetch(`${lenient.url}/v3/conversations/x/activities/card-1`, {
        method: 'PUT',
        body: JSON.stringify({ text: 'refreshed' }),
      });
      assert.equal(res.status, 200);
      assert.equal(lenient.records[0]?.activityId, 'card-1');
    } finally {
      await lenient.stop();
    }
  });

  describe('faults', () => {
    it('fails only the chosen operations in the chosen conversation, with Retry-After, as often as asked', async () => {
      c.inject({ status: 429, retryAfter: 2, count: 2, conversationId: group.id, ops: ['send'] });
      assert.equal((await send(ann.personalConversationId)).status, 201, 'another conversation');
      assert.equal((await reply(group.id, '1')).status, 201, 'another operation');
      const first = await send(group.id, { text: 'first' });
      assert.equal(first.status, 429);
      assert.equal(first.headers.get('retry-after'), '2');
      assert.equal(first.json.error.code, 'Injected');
      assert.equal((await send(group.id)).status, 429);
      assert.equal((await send(group.id, { text: 'third' })).status, 201, 'the faults are used up');

      assert.deepEqual(
        c.since(0, group.id).map((r) => r.op),
        ['reply', 'send'],
        'faulted writes are no records',
      );
      const faulted = c.requests.filter((q) => q.status === 429);
      assert.deepEqual(
        faulted.map((q) => [q.op, q.conversationId, q.activity]),
        [
          ['send', group.id, undefined],
          ['send', group.id, undefined],
        ],
      );
      assert.deepEqual(c.tally(), { accepted: { send: 2, reply: 1 }, errors: 0, faulted: 2 });
    });

    it('fails any write once by default, creates and updates included, without Retry-After', async () => {
      const sent = await send(group.id);
      c.inject({ status: 503 });
      const failed = await update(group.id, sent.json.id);
      assert.equal(failed.status, 503);
      assert.equal(failed.headers.get('retry-after'), null);
      c.inject({ status: 502, conversationId: bob.personalConversationId });
      assert.equal((await create(bob)).status, 502);
      assert.equal((await create(bob)).status, 201);
    });

    it('fails while counting too, and clearFaults ends them', async () => {
      c.record(false);
      c.inject({ status: 429, retryAfter: 1, count: 100 });
      assert.equal((await send(group.id)).status, 429);
      c.clearFaults();
      assert.equal((await send(group.id)).status, 201);
      assert.equal(c.tally().faulted, 1);
    });
  });

  describe('the directory', () => {
    it('answers a member of a group chat by Teams id, Entra object id or UPN, and no one else', async () => {
      for (const key of [ann.id, ann.aadObjectId, ann.userPrincipalName ?? '']) {
        const found = await member(group.id, key);
        assert.equal(found.status, 200, key);
        assert.deepEqual(found.json, {
          id: ann.id,
          name: ann.name,
          aadObjectId: ann.aadObjectId,
          userPrincipalName: ann.userPrincipalName,
          tenantId: TENANT,
        });
      }
      const missing = await member(group.id, bob.id);
      assert.equal(missing.status, 404, 'not in the chat');
      assert.equal(missing.json.error.code, 'MemberNotFoundInConversation');
      assert.equal((await member('19:unknown@thread.v2', ann.id)).status, 404);
    });

    it('answers any user of the tenant in a 1:1 chat (registered with the user), never another tenant’s', async () => {
      assert.equal((await member(ann.personalConversationId, bob.aadObjectId)).status, 200);
      assert.equal((await member(`${ann.personalConversationId};messageid=7`, bob.id)).status, 200);
      assert.equal((await member(ann.personalConversationId, eve.id)).status, 404);
    });

    it('opens the 1:1 chat of a user of the tenant where the app is installed', async () => {
      const opened = await create(bob, TENANT, { activity: { text: 'hello' } });
      assert.equal(opened.status, 201);
      assert.equal(opened.json.id, bob.personalConversationId);
      assert.equal(opened.json.serviceUrl, c.serviceUrl);
      assert.deepEqual(
        c.records.map((r) => [r.op, r.conversationId, r.activity.text]),
        [['create', bob.personalConversationId, 'hello']],
      );
      assert.equal((await create(carl)).status, 403, 'the app is not installed');
      assert.equal((await create(eve)).status, 404, 'another tenant');
      assert.equal((await create(bob, TENANT, { isGroup: true })).status, 400);
      assert.equal((await call('POST', '', { members: [{ id: bob.id }] })).status, 400);
      assert.equal(c.records.length, 1);
      assert.deepEqual(
        c.requests.map((q) => [q.status, q.op]),
        [
          [201, 'create'],
          [403, 'create'],
          [404, undefined],
          [400, undefined],
          [400, undefined],
        ],
      );
    });
  });

  it('keeps connections alive for the benchmark’s clients', async () => {
    const res = await send(group.id);
    assert.equal(res.headers.get('connection'), 'keep-alive');
    assert.match(res.headers.get('keep-alive') ?? '', /timeout=600/);
  });
});
