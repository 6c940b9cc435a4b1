import assert from 'node:assert/strict';
import { Card, Chat, TeamsUser, Tenant, TurnResult, cardText } from '../support/teams';
import { World, addFund, createClaim, fileLinkStart, grant, seedReady, startWorld } from './world';

interface SearchResult {
  readonly type: string;
  readonly text?: string;
  readonly attachmentLayout?: string;
  readonly attachments?: readonly {
    readonly contentType: string;
    readonly content: Card;
    readonly preview: { readonly contentType: string; readonly content: Card };
  }[];
}

describe('bot: message extension search, searchClaims (issue 21)', () => {
  let w: World;
  let tenant: Tenant;
  let admin: TeamsUser;
  let olga: TeamsUser;
  let bob: TeamsUser;
  let nora: TeamsUser;
  let group: Chat;
  /** Olga's claims, oldest first, and Bob's. */
  let webinar: string;
  let summit: string;
  let ads: string;
  let bobs: string;

  /** The `composeExtension/query` invoke Teams posts as the user types in the compose box. */
  async function invokeSearch(
    u: TeamsUser,
    chat: Chat,
    value: unknown,
    locale?: string,
  ): Promise<{ r: TurnResult; result: SearchResult }> {
    const r = await w.teams.post({
      ...w.teams.envelope(u, chat, 'invoke', locale ? { locale } : {}),
      name: 'composeExtension/query',
      value,
    });
    assert.equal(r.status, 200, `HTTP ${r.status}: ${JSON.stringify(r.body)}`);
    const result = (r.body as { composeExtension?: SearchResult } | undefined)?.composeExtension;
    assert.ok(result, `no composeExtension in ${JSON.stringify(r.body)}`);
    return { r, result };
  }

  const query = (text: string, queryOptions: object = { skip: 0, count: 25 }) => ({
    commandId: 'searchClaims',
    parameters: [{ name: 'query', value: text }],
    queryOptions,
  });

  /** The claim numbers found, in order (a message instead of results fails). */
  async function numbersFound(u: TeamsUser, value: unknown, chat: Chat = group): Promise<string[]> {
    const { result } = await invokeSearch(u, chat, value);
    assert.equal(result.type, 'result', `a message instead of results: ${result.text}`);
    return (result.attachments ?? []).map((a) => /CLM-\d{4}/.exec(cardText(a.content))?.[0] ?? '');
  }

  /** A search answered with a message: its text. */
  async function message(u: TeamsUser, value: unknown, locale?: string): Promise<string> {
    const { result } = await invokeSearch(u, group, value, locale);
    assert.equal(result.type, 'message', JSON.stringify(result).slice(0, 300));
    assert.equal(result.attachments, undefined);
    return result.text ?? '';
  }

  before(async () => {
    w = await startWorld();
    tenant = w.teams.tenant('contoso');
    admin = w.teams.user(tenant, 'Ada Admin', { aadObjectId: w.bootstrapAdmins[0] });
    olga = w.teams.user(tenant, 'Olga Owner');
    bob = w.teams.user(tenant, 'Bob Other');
    nora = w.teams.user(tenant, 'Nora Norole');
    group = w.teams.groupChat(tenant, [admin, olga, bob, nora]);
    await grant(w, admin, group, olga, 'incentives user');
    await grant(w, admin, group, bob, 'incentives user');
    await addFund(w, admin);
    ({ number: webinar } = await createClaim(w, olga, { Title: 'Spring partner webinar' }));
    ({ number: summit } = await createClaim(w, olga, { Title: 'Autumn security summit' }));
    ({ number: ads } = await createClaim(w, olga, { Title: 'Spring digital ads' }));
    ({ number: bobs } = await createClaim(w, bob, { Title: 'Spring roadshow' }));
    await seedReady(w, olga, webinar);
  });

  after(async () => {
    await w?.stop();
  });

  it('opening the search (initialRun) lists the claims the user may see, newest first', async () => {
    const initialRun = {
      commandId: 'searchClaims',
      parameters: [{ name: 'initialRun', value: 'true' }],
      queryOptions: { skip: 0, count: 25 },
    };
    assert.deepEqual(await numbersFound(olga, initialRun), [ads, summit, webinar]);
    assert.deepEqual(await numbersFound(olga, query('')), [ads, summit, webinar]);
    assert.deepEqual(await numbersFound(bob, initialRun), [bobs]);
    assert.deepEqual(await numbersFound(admin, initialRun), [bobs, ads, summit, webinar]);
  });

  it('each result has a preview with number, title, status and amount, and the claim card', async () => {
    const { result } = await invokeSearch(olga, group, query(summit));
    const [hit] = result.attachments ?? [];
    assert.equal(result.attachmentLayout, 'list');
    assert.equal(hit.contentType, 'application/vnd.microsoft.card.adaptive');
    assert.equal(hit.preview.contentType, 'application/vnd.microsoft.card.thumbnail');
    assert.equal(hit.preview.content.title, `${summit} · Autumn security summit`);
    assert.equal(hit.preview.content.text, 'Editing · $1,250.00');
    assert.match(cardText(hit.content), /Autumn security summit/);
  });

  it('finds a claim by its number, in any case and without the CLM- prefix', async () => {
    assert.deepEqual(await numbersFound(olga, query(summit)), [summit]);
    assert.deepEqual(await numbersFound(olga, query(summit.toLowerCase())), [summit]);
    assert.deepEqual(await numbersFound(olga, query(` ${String(Number(summit.slice(4)))} `)), [
      summit,
    ]);
  });

  it('finds claims by words of their title, every word, in any case and order', async () => {
    assert.deepEqual(await numbersFound(olga, query('spring')), [ads, webinar]);
    assert.deepEqual(await numbersFound(olga, query('WEBINAR spring')), [webinar]);
    assert.deepEqual(await numbersFound(olga, query('webinar summit')), []);
    assert.deepEqual(await numbersFound(olga, query('roadshow')), [], "not Bob's claim");
  });

  it('a claim the user may not see is not found by its number either', async () => {
    assert.deepEqual(await numbersFound(olga, query(bobs)), []);
    assert.deepEqual(await numbersFound(bob, query(webinar)), []);
    assert.deepEqual(await numbersFound(admin, query(bobs)), [bobs], 'admins see every claim');
  });

  it('pages by queryOptions.skip and count', async () => {
    const page = (skip: number, count: number) => numbersFound(olga, query('', { skip, count }));
    assert.deepEqual(await page(0, 2), [ads, summit]);
    assert.deepEqual(await page(2, 2), [webinar]);
    assert.deepEqual(await page(3, 2), []);
    assert.deepEqual(await page(1, 1), [summit]);
    assert.deepEqual(await numbersFound(olga, query('', {})), [ads, summit, webinar], 'defaults');
  });

  it('the card to insert carries no file link and names no document, and refreshes per user', async () => {
    const { r, result } = await invokeSearch(olga, group, query(webinar));
    const [hit] = result.attachments ?? [];
    const json = JSON.stringify(r.body);
    const links = await fileLinkStart(w);
    assert.ok(links);
    for (const trace of ['sig=', links, `invoice-${webinar}.pdf`, 'The invoice']) {
      assert.ok(!json.includes(trace), `the answer holds ${trace}`);
    }
    assert.match(
      cardText(hit.content),
      /Documents are shown only to people who may see this claim/,
    );
    assert.equal(hit.content.refresh?.action?.verb, 'refreshClaim');
    assert.deepEqual(hit.content.refresh?.action?.data, { claim: webinar });
    assert.ok(hit.content.refresh?.userIds.includes(olga.id), 'the owner gets her own view');
    // The admin who shares Olga's claim gets hers too (she may see it: an admin).
    const shared = await invokeSearch(admin, group, query(webinar));
    assert.ok(shared.result.attachments?.[0].content.refresh?.userIds.includes(admin.id));
    // Nothing is posted by the search itself: the user sends the card.
    assert.deepEqual(r.sent, []);
  });

  it("the owner's refresh of the inserted card names the documents, still without a link", async () => {
    const own = await w.teams.invoke(olga, group, 'refreshClaim', { claim: webinar });
    assert.equal(own.invokeStatus, 200);
    assert.ok(cardText(own.invokeCard).includes(`invoice-${webinar}.pdf`));
    assert.ok(!JSON.stringify(own.invokeCard).includes('sig='));
  });

  it('a card shared into the chat with the bot is no command: the bot says nothing', async () => {
    const { result } = await invokeSearch(olga, olga.personal, query(summit));
    const [hit] = result.attachments ?? [];
    // What the client sends when the user sends the inserted card (as the Agents Playground does).
    const shared = await w.teams.post({
      ...w.teams.message(
        olga,
        olga.personal,
        '<span class="inline-compose-card" itemid="0" itemtype="http://schema.skype.com/InputExtension"></span>',
      ),
      attachments: [{ contentType: hit.contentType, content: hit.content }],
    });
    assert.equal(shared.status, 200);
    // Background updates of older cards (an invoice read) may come meanwhile: no answer is sent.
    const answers = shared.sent.filter(
      (x) => x.conversationId === olga.personal.id && (x.op === 'send' || x.op === 'reply'),
    );
    assert.deepEqual(answers, []);
    const typed = await w.teams.send(olga, olga.personal, 'hello');
    assert.match(typed.text, /I don't know "hello"/, 'a message without a card is still answered');
  });

  it('a user with no role is told why, and gets no result', async () => {
    assert.match(await message(nora, query('')), /You have no role in Co-op Claims yet/);
    assert.match(await message(nora, query(webinar)), /You have no role/);
  });

  it("a user of another tenant finds none of this tenant's claims", async () => {
    const fabrikam = w.teams.tenant('fabrikam');
    // A bootstrap admin without a tenant is a global admin in every tenant, fabrikam too.
    const other = w.teams.user(fabrikam, 'Fay Admin', { aadObjectId: w.bootstrapAdmins[0] });
    const chat = w.teams.groupChat(fabrikam, [other]);
    assert.deepEqual(await numbersFound(other, query(webinar), chat), []);
    assert.deepEqual(await numbersFound(other, query('spring'), chat), []);
    assert.deepEqual(await numbersFound(other, query(''), chat), []);
    const stranger = w.teams.user(fabrikam, 'Sam Stranger');
    const { result } = await invokeSearch(stranger, chat, query(webinar));
    assert.equal(result.type, 'message');
    assert.match(result.text ?? '', /You have no role/);
  });

  it('bad or missing parameters get a clear message, never a 500', async () => {
    const cases: [unknown, RegExp][] = [
      [{ ...query('x'), commandId: 'findInvoices' }, /has no search "findInvoices"/],
      [{ parameters: [{ name: 'query', value: 'x' }] }, /has no search ""/],
      ['searchClaims', /has no search ""/],
      [null, /has no search ""/],
      [{ commandId: 'searchClaims' }, /Please check what you entered: Search is required\./],
      [
        { commandId: 'searchClaims', parameters: [{ name: 'text', value: 'x' }] },
        /Search is required\./,
      ],
      [{ ...query('x'), parameters: [{ name: 'query', value: 42 }] }, /Search is not valid\./],
      [query('w'.repeat(101)), /Search is too long \(at most 100 characters\)\./],
      [query('x', { skip: -1, count: 25 }), /Result page is not valid\./],
      [query('x', { skip: 0, count: 'all' }), /Result page is not valid\./],
    ];
    for (const [value, expected] of cases) {
      assert.match(await message(olga, value), expected, JSON.stringify(value));
    }
  });

  it('speaks Dutch to a Dutch client', async () => {
    const text = await message(olga, { ...query('x'), commandId: 'nope' }, 'nl-NL');
    assert.match(text, /Co-op Claims kent geen zoekopdracht "nope"/);
    const hits = await invokeSearch(olga, group, query(summit), 'nl-NL');
    assert.match(
      String(hits.result.attachments?.[0].preview.content.text),
      /^Bewerken · US\$\s1\.250,00$/,
    );
  });
});
