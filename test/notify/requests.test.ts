import assert from 'node:assert/strict';
import { addBusinessDays, Claim } from '../../src/domain/claim';
import type { Notification } from '../../src/domain/notification';
import { World, addFund, assertNotFound, createClaim, essence, grant } from '../bot/world';
import { Chat, TeamsUser, Tenant, TurnResult, buttonTitles, press } from '../support/teams';
import {
  fileMessage,
  notificationCards,
  sleep,
  startFileServer,
  startNotifyWorld,
  uploadRequestCards,
  waitUntil,
} from './helpers';

describe('notify: upload requests by @mention, delivery and fulfilment', function () {
  this.timeout(30_000);
  let w: World;
  let files: Awaited<ReturnType<typeof startFileServer>>;
  let contoso: Tenant;
  let admin: TeamsUser;
  let alice: TeamsUser;
  let jose: TeamsUser;
  let bob: TeamsUser;
  let carol: TeamsUser;
  let dave: TeamsUser;
  let tom: TeamsUser;
  let rita: TeamsUser;
  let otto: TeamsUser;
  let fred: TeamsUser;
  let fiona: TeamsUser;
  let group: Chat;
  let fabrikamGroup: Chat;
  /** CLM-0001: the claim colleagues are asked for; CLM-0002: another claim of Alice's; CLM-0003: types. */
  const MAIN = 'CLM-0001';
  const OTHER = 'CLM-0002';
  const TYPES = 'CLM-0003';

  const stored = async (number: string): Promise<Claim> => {
    const claim = await w.app.services.claims.get(contoso.id, number);
    assert.ok(claim, number);
    return claim;
  };
  const requestsTo = async (number: string, u: TeamsUser) =>
    (await stored(number)).uploadRequests.filter((r) => r.to.id === u.aadObjectId);
  const outboxFor = async (number: string, u: TeamsUser): Promise<Notification[]> =>
    (await stored(number)).outbox.filter((n) => n.to.id === u.aadObjectId);
  const settle = async (): Promise<void> => {
    await sleep(150);
    await w.app.notifications.idle();
  };
  const ask = (who: TeamsUser, chat: Chat, text: string): Promise<TurnResult> =>
    w.teams.send(who, chat, text);

  before(async () => {
    w = await startNotifyWorld({
      bootstrapAdmins: 2,
      env: { ALLOWED_DOWNLOAD_HOSTS: '127.0.0.1' },
    });
    files = await startFileServer();
    contoso = w.teams.tenant('contoso');
    admin = w.teams.user(contoso, 'Ada Admin', { aadObjectId: w.bootstrapAdmins[0] });
    alice = w.teams.user(contoso, 'Alice Baker');
    jose = w.teams.user(contoso, 'José María López');
    bob = w.teams.user(contoso, 'Bob Builder');
    carol = w.teams.user(contoso, 'Carol Chen');
    dave = w.teams.user(contoso, 'Dave Dunn', { appInstalled: false });
    tom = w.teams.user(contoso, 'Tom Types');
    rita = w.teams.user(contoso, 'Rita Reviewer');
    otto = w.teams.user(contoso, 'Otto Outside');
    group = w.teams.groupChat(contoso, [admin, alice, jose, bob, carol, dave, tom, rita, otto]);
    const fabrikam = w.teams.tenant('fabrikam');
    const fay = w.teams.user(fabrikam, 'Fay Admin', { aadObjectId: w.bootstrapAdmins[1] });
    fred = w.teams.user(fabrikam, 'Fred Foreign');
    fiona = w.teams.user(fabrikam, 'Fiona Foreign');
    fabrikamGroup = w.teams.groupChat(fabrikam, [fay, fred, fiona]);

    await grant(w, admin, group, alice, 'incentives user');
    await grant(w, admin, group, rita, 'reviewer');
    await grant(w, fay, fabrikamGroup, fred, 'incentives user');
    await addFund(w, admin);
    for (const [title, number] of [
      ['Spring partner webinar', MAIN],
      ['Autumn event', OTHER],
      ['Document types', TYPES],
    ]) {
      assert.equal((await createClaim(w, alice, { Title: title })).number, number);
    }
    // Bob has talked to the bot before: his 1:1 chat reference is stored.
    await ask(bob, bob.personal, 'help');
    assert.ok(await w.app.services.conversations.get(contoso.id, bob.aadObjectId));
  });
  after(async () => {
    await sleep(200); // best-effort card updates of the last changes
    await files?.stop();
    await w?.stop();
  });

  describe('asking', () => {
    it('asks several people at once in a group chat (names with spaces and accents) and leaves the bot out', async () => {
      const r = await ask(
        alice,
        group,
        `<at>Co-op Claims</at> request <at>${jose.name}</at> <at>${bob.name}</at> invoice, poe for ${MAIN} before Friday please`,
      );
      assert.equal(r.status, 200);
      assert.match(
        r.text,
        /Asked José María López, Bob Builder for Invoice, Proof of execution on CLM-0001\./,
      );
      const claim = await stored(MAIN);
      const due = addBusinessDays(new Date().toISOString().slice(0, 10), 5);
      assert.deepEqual(
        claim.uploadRequests.map((q) => [
          q.to.id,
          q.to.name,
          q.to.channelUserId,
          q.types,
          q.note,
          q.requestedBy.id,
          q.due,
        ]),
        [
          [
            jose.aadObjectId,
            jose.name,
            jose.id,
            ['invoice', 'poe'],
            'before Friday please',
            alice.aadObjectId,
            due,
          ],
          [
            bob.aadObjectId,
            bob.name,
            bob.id,
            ['invoice', 'poe'],
            'before Friday please',
            alice.aadObjectId,
            due,
          ],
        ],
      );
      assert.deepEqual(
        claim.contributors.map((p) => p.id),
        [jose.aadObjectId, bob.aadObjectId],
      );
      const event = claim.history.at(-1);
      assert.equal(event?.kind, 'uploadRequested');
      assert.equal(event?.by.id, alice.aadObjectId);
      assert.equal(event?.item, 'José María López, Bob Builder');
      assert.deepEqual(
        claim.outbox.filter((n) => n.kind === 'uploadRequested').map((n) => n.to.id),
        [jose.aadObjectId, bob.aadObjectId],
      );
    });

    it("ignores the bot's own mention anywhere in the message, also in the 1:1 chat", async () => {
      const before = (await stored(TYPES)).uploadRequests.length;
      const r = await ask(
        alice,
        alice.personal,
        `request <at>Co-op Claims</at> <at>${tom.name}</at> csr for ${TYPES}`,
      );
      assert.match(
        r.text,
        /Asked Tom Types for CSR \(certification statement and report\) on CLM-0003\./,
      );
      const added = (await stored(TYPES)).uploadRequests.slice(before);
      assert.deepEqual(
        added.map((q) => [q.to.id, q.types]),
        [[tom.aadObjectId, ['csr']]],
      );
    });

    const typeCases: [string, string[]][] = [
      ['invoice', ['invoice']],
      ['CSR', ['csr']],
      ['poe', ['poe']],
      ['proof of execution', ['poe']],
      ['other', ['other']],
      ['Invoice, csr and other', ['invoice', 'csr', 'other']],
      ['', ['invoice', 'poe']],
    ];
    it(`reads the document types: ${typeCases.map(([t]) => `"${t}"`).join(', ')}`, async () => {
      for (const [words, types] of typeCases) {
        const r = await ask(alice, group, `request <at>${tom.name}</at> ${words} for ${TYPES}`);
        assert.match(r.text, /Asked Tom Types for /, words);
        const last = (await stored(TYPES)).uploadRequests.at(-1);
        assert.deepEqual(last?.types, types, `"${words}"`);
      }
    });

    it('answers an unknown document type with a card saying what is wrong, and stores nothing', async () => {
      for (const words of ['receipts', 'invoice, selfie']) {
        const before = essence(await stored(TYPES));
        const requests = (await stored(TYPES)).uploadRequests.length;
        const r = await ask(alice, group, `request <at>${tom.name}</at> ${words} for ${TYPES}`);
        assert.equal(r.status, 200);
        assert.match(r.text, /Please check what you entered/, words);
        assert.match(r.text, /Type is not valid\./, words);
        assert.deepEqual(essence(await stored(TYPES)), before);
        assert.equal((await stored(TYPES)).uploadRequests.length, requests);
      }
    });

    it('answers with the usage when "for CLM-…" is missing', async () => {
      const before = essence(await stored(MAIN));
      for (const text of [`request <at>${bob.name}</at> invoice`, 'request', 'request for']) {
        const r = await ask(alice, group, text);
        assert.match(r.text, /Type: request @Name invoice, poe for CLM-0042/, text);
      }
      assert.deepEqual(essence(await stored(MAIN)), before);
    });

    it('asks for a colleague when nobody is mentioned, and refuses someone who is not in the chat', async () => {
      const before = essence(await stored(MAIN));
      const none = await ask(alice, group, `request invoice for ${MAIN}`);
      assert.match(none.text, /Colleague is required\./);
      const outsider = await ask(
        alice,
        group,
        `request <at>${fiona.name}</at> invoice for ${MAIN}`,
      );
      assert.match(outsider.text, /could not find that person/);
      assert.deepEqual(essence(await stored(MAIN)), before);
    });
  });

  describe('who may ask', () => {
    const cases: [string, () => [TeamsUser, Chat, TeamsUser], RegExp][] = [
      ['a user without a role', () => [otto, group, carol], /Claim CLM-0001 was not found/],
      [
        'a reviewer (the claim is not submitted)',
        () => [rita, group, carol],
        /Claim CLM-0001 was not found/,
      ],
      ['a colleague who was asked themselves', () => [bob, group, carol], /not allowed/],
      [
        'an incentives user of another tenant',
        () => [fred, fabrikamGroup, fiona],
        /Claim CLM-0001 was not found/,
      ],
    ];
    for (const [who, parties, answer] of cases) {
      it(`refuses a request by ${who}, and stores and sends nothing`, async () => {
        const [asker, chat, colleague] = parties();
        await settle();
        const before = await stored(MAIN);
        const seq = w.connector.seq;
        const r = await ask(asker, chat, `request <at>${colleague.name}</at> invoice for ${MAIN}`);
        assert.equal(r.status, 200);
        assert.match(r.text, answer);
        await settle();
        const after = await stored(MAIN);
        assert.deepEqual(essence(after), essence(before));
        assert.deepEqual(after.uploadRequests, before.uploadRequests);
        assert.deepEqual(after.contributors, before.contributors);
        assert.equal(after.outbox.length, before.outbox.length);
        // (Updates of claim cards posted earlier may still trail in: only new messages count.)
        const elsewhere = w.connector
          .since(seq)
          .filter((x) => x.conversationId !== chat.id && x.op !== 'update');
        assert.deepEqual(
          elsewhere.map((x) => x.conversationId),
          [],
          'nothing was sent outside the chat',
        );
      });
    }
  });

  describe('delivery', () => {
    it('sends the card through the stored 1:1 chat of a colleague who talked to the bot', async () => {
      const [card] = await waitUntil('the card in Bob’s chat', () =>
        uploadRequestCards(w.connector, bob.personal.id).length
          ? uploadRequestCards(w.connector, bob.personal.id)
          : undefined,
      );
      assert.equal(card.claim, MAIN);
      for (const text of [
        'Alice Baker asks you to upload documents',
        'Spring partner webinar',
        'Invoice, Proof of execution',
        'before Friday please',
        'Open claim',
        'Upload now',
      ]) {
        assert.ok(card.text.includes(text), `"${text}" on the card:\n${card.text}`);
      }
      assert.equal(
        w.connector.records.filter((x) => x.op === 'create' && x.conversationId === bob.personal.id)
          .length,
        0,
        'no new 1:1 chat was opened',
      );
      await waitUntil('delivered', async () =>
        (await outboxFor(MAIN, bob)).every((n) => n.state === 'delivered'),
      );
      // Upload now works for the colleague (who has no role of their own).
      const { verb, data } = press(card.card, 'Upload now');
      assert.equal(data.documentType, 'invoice');
      const r = await w.teams.invoke(bob, bob.personal, verb, data, card.activityId);
      assert.equal(r.invokeStatus, 200);
      assert.match(r.text, /CLM-0001/);
      assert.doesNotMatch(r.text, /not found|not allowed/);
    });

    it('opens the 1:1 chat of a colleague who never talked to the bot, keeps its reference and uses it next time', async () => {
      await waitUntil(
        'the card in José’s chat',
        () => uploadRequestCards(w.connector, jose.personal.id).length === 1,
      );
      const creates = () =>
        w.connector.records.filter(
          (x) => x.op === 'create' && x.conversationId === jose.personal.id,
        );
      assert.equal(creates().length, 1);
      const saved = await waitUntil('José’s stored chat', () =>
        w.app.services.conversations.get(contoso.id, jose.aadObjectId),
      );
      assert.equal(saved.conversationId, jose.personal.id);
      await ask(alice, group, `request <at>${jose.name}</at> other for ${MAIN}`);
      await waitUntil(
        'the second card',
        () => uploadRequestCards(w.connector, jose.personal.id).length === 2,
      );
      assert.equal(creates().length, 1, 'the stored chat was used, no second createConversation');
    });

    it('falls back to a mention where the request was made when the app is not installed, and delivers the card once the colleague talks to the bot', async () => {
      const fallbacks = () =>
        w.connector
          .delivered(group.id)
          .filter((x) =>
            ((x.activity.entities ?? []) as { type: string; mentioned?: { id: string } }[]).some(
              (e) => e.type === 'mention' && e.mentioned?.id === dave.id,
            ),
          );
      const from = w.connector.requests.length;
      await ask(alice, group, `request <at>${dave.name}</at> poe for ${MAIN}`);
      const [mention] = await waitUntil('the fallback mention', () =>
        fallbacks().length ? fallbacks() : undefined,
      );
      assert.match(String(mention.activity.text), /^<at>Dave Dunn<\/at> /);
      assert.match(
        String(mention.activity.text),
        /Alice Baker asked you to upload Proof of execution for CLM-0001/,
      );
      assert.ok(
        w.connector.requests
          .slice(from)
          .some(
            (q) =>
              q.method === 'POST' && /\/v3\/conversations\/?$/.test(q.path) && q.status === 403,
          ),
        'createConversation was tried and refused',
      );
      await waitUntil('awaiting install', async () =>
        (await outboxFor(MAIN, dave)).every((n) => n.state === 'awaitingInstall'),
      );
      assert.equal(uploadRequestCards(w.connector, dave.personal.id).length, 0);

      // Dave installs the app and says something to the bot for the first time.
      dave.appInstalled = true;
      await ask(dave, dave.personal, 'help');
      await waitUntil(
        'the card in Dave’s chat',
        () => uploadRequestCards(w.connector, dave.personal.id).length >= 1,
      );
      await ask(dave, dave.personal, 'help');
      await ask(dave, dave.personal, 'claims');
      await settle();
      await sleep(300);
      const cards = uploadRequestCards(w.connector, dave.personal.id);
      assert.deepEqual(
        cards.map((c) => c.claim),
        [MAIN],
        'exactly one card',
      );
      assert.equal(fallbacks().length, 1, 'exactly one fallback mention');
      assert.ok((await outboxFor(MAIN, dave)).every((n) => n.state === 'delivered'));
    });
  });

  describe('cost of remembering 1:1 chats', () => {
    it('does not rewrite the stored 1:1 chat, nor look for waiting notifications, on every message of a known user', async () => {
      // Every 1:1 message stores the chat reference and, when it is "new or changed", asks Cosmos
      // for notifications waiting for the user (a cross-partition query). Bob's chat is known and
      // unchanged, so three more messages should cost neither.
      const { conversations, claims } = w.app.services;
      const save = conversations.save.bind(conversations);
      const find = claims.withOpenNotifications.bind(claims);
      let writes = 0;
      let lookups = 0;
      conversations.save = async (entry) => {
        const changed = await save(entry);
        if (changed) writes += 1;
        return changed;
      };
      claims.withOpenNotifications = async (recipient) => {
        if (recipient) lookups += 1;
        return find(recipient);
      };
      try {
        for (let i = 0; i < 3; i++) await ask(bob, bob.personal, 'help');
      } finally {
        conversations.save = save;
        claims.withOpenNotifications = find;
      }
      assert.deepEqual({ writes, lookups }, { writes: 0, lookups: 0 });
    });
  });

  describe('fulfilment', () => {
    const fulfilledCards = () =>
      notificationCards(w.connector, alice.personal.id, 'Request fulfilled');
    const upload = (u: TeamsUser, text: string, name: string) =>
      w.teams.post(fileMessage(w.teams, u, text, name, files.url(name)));

    it('fulfils the request when the colleague sends the asked document, and tells the requester once', async () => {
      await ask(alice, group, `request <at>${carol.name}</at> csr for ${MAIN}`);
      await waitUntil(
        'Carol’s card',
        () => uploadRequestCards(w.connector, carol.personal.id).length === 1,
      );
      const before = fulfilledCards().length;
      const r = await upload(carol, `${MAIN} csr: statement from our agency`, 'statement.pdf');
      assert.match(r.text, /Added statement\.pdf to CLM-0001\./);
      const [request] = await requestsTo(MAIN, carol);
      assert.ok(request.fulfilledAt, 'the request is fulfilled');
      const doc = (await stored(MAIN)).documents.find((d) => d.fileName === 'statement.pdf');
      assert.equal(doc?.type, 'csr');
      assert.equal(doc?.uploadedBy.id, carol.aadObjectId);
      const [card] = await waitUntil('the requester’s card', () =>
        fulfilledCards().length > before ? fulfilledCards().slice(before) : undefined,
      );
      assert.equal(card.claim, MAIN);
      assert.ok(card.text.includes('Carol Chen uploaded what you asked for'), card.text);
      assert.match(card.text, /File: statement\\?\.pdf/);
      await settle();
      assert.equal(fulfilledCards().length, before + 1, 'told once');
    });

    it('does not fulfil a request with a document of another type', async () => {
      await ask(alice, group, `request <at>${carol.name}</at> invoice for ${MAIN}`);
      const before = fulfilledCards().length;
      const r = await upload(carol, `${MAIN} other: the lunch menu`, 'menu.pdf');
      assert.match(r.text, /Added menu\.pdf to CLM-0001\./);
      await settle();
      const open = (await requestsTo(MAIN, carol)).filter((q) => !q.fulfilledAt);
      assert.deepEqual(
        open.map((q) => q.types),
        [['invoice']],
      );
      assert.equal(fulfilledCards().length, before, 'the requester is not told');
      await upload(carol, `${MAIN} invoice: the venue`, 'venue.pdf');
      assert.ok((await requestsTo(MAIN, carol)).every((q) => q.fulfilledAt));
      await waitUntil('told now', () => fulfilledCards().length === before + 1);
    });

    it('keeps a request for an invoice and a PoE open until both have been sent', async () => {
      // Bob was asked for "invoice, poe". An invoice alone is not what was asked for: the request
      // stays open (on the card, and for reminders) and the requester is told once both are there.
      const before = fulfilledCards().length;
      await upload(bob, `${MAIN} invoice: the agency's invoice`, 'agency-invoice.pdf');
      await settle();
      const [afterInvoice] = await requestsTo(MAIN, bob);
      assert.equal(afterInvoice.fulfilledAt, undefined, 'still open: the PoE is missing');
      assert.equal(fulfilledCards().length, before, 'the requester is not told yet');
      await upload(bob, `${MAIN} poe: screenshots of the webinar`, 'screens.pdf');
      const [afterBoth] = await requestsTo(MAIN, bob);
      assert.ok(afterBoth.fulfilledAt, 'fulfilled once both are there');
      await waitUntil('told once', () => fulfilledCards().length === before + 1);
    });
  });

  describe('what a colleague asked to upload may do', () => {
    it('shows them that one claim and nothing else', async () => {
      const overview = await ask(bob, bob.personal, 'claims');
      assert.match(overview.text, /CLM-0001/);
      assert.doesNotMatch(overview.text, /CLM-0002|CLM-0003|Autumn event/);
      const own = await ask(bob, bob.personal, `claim ${MAIN}`);
      const buttons = buttonTitles(own.card ?? {});
      assert.ok(buttons.includes('Add document'), buttons.join(', '));
      assert.ok(buttons.includes('Comment'), buttons.join(', '));
      for (const hidden of ['Request upload', 'Submit claim']) {
        assert.ok(!buttons.includes(hidden), `no ${hidden}: ${buttons.join(', ')}`);
      }
      assertNotFound(await ask(bob, bob.personal, `claim ${OTHER}`), OTHER);
      assertNotFound(await ask(bob, bob.personal, `history ${OTHER}`), OTHER);
      assertNotFound(await ask(bob, group, `claim ${OTHER}`), OTHER);
    });

    it('lets them comment on and add documents to that claim, and touch no other claim', async () => {
      const other = essence(await stored(OTHER));
      const verbs: [string, Record<string, string>][] = [
        ['comment', { claim: OTHER, comment: 'sneaky' }],
        ['addMetric', { claim: OTHER, metricName: 'Leads', metricValue: '5' }],
        ['startUpload', { claim: OTHER, documentType: 'invoice' }],
        ['openClaim', { claim: OTHER }],
        ['history', { claim: OTHER }],
        ['submit', { claim: OTHER }],
      ];
      for (const [verb, data] of verbs) {
        const r = await w.teams.invoke(bob, bob.personal, verb, data);
        assertNotFound(r, OTHER);
      }
      const file = await w.teams.post(
        fileMessage(w.teams, bob, `${OTHER} invoice: not mine`, 'x.pdf', files.url('x.pdf')),
      );
      assertNotFound(file, OTHER);
      assert.deepEqual(essence(await stored(OTHER)), other);

      const commented = await w.teams.invoke(bob, bob.personal, 'comment', {
        claim: MAIN,
        comment: 'Invoice follows tomorrow',
      });
      assert.equal(commented.invokeStatus, 200);
      const last = (await stored(MAIN)).history.at(-1);
      assert.equal(last?.kind, 'commented');
      assert.equal(last?.by.id, bob.aadObjectId);
      const documents = (await stored(MAIN)).documents.length;
      await w.teams.post(
        fileMessage(
          w.teams,
          bob,
          `${MAIN} other: attendee list`,
          'attendees.pdf',
          files.url('a.pdf'),
        ),
      );
      assert.equal((await stored(MAIN)).documents.length, documents + 1);
    });

    it('does not let them change the information or the metrics (issue 4: "add documents and comments … nothing else")', async () => {
      const before = essence(await stored(MAIN));
      const metric = await w.teams.invoke(bob, bob.personal, 'addMetric', {
        claim: MAIN,
        metricName: 'Leads',
        metricValue: '5000',
      });
      assert.match(metric.text, /not allowed/);
      const edit = await w.teams.invoke(bob, bob.personal, 'editInformation', {
        claim: MAIN,
        title: 'Renamed by a colleague',
        activityType: 'webinar',
        activityStart: '2026-01-05',
        activityEnd: '2026-01-06',
        amount: '99999',
      });
      assert.match(edit.text, /not allowed/);
      assert.deepEqual(essence(await stored(MAIN)), before);
    });
  });
});
