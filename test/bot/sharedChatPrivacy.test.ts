import assert from 'node:assert/strict';
import type { Recorded } from '../../testkit/connector';
import { teamChannel } from '../support/chats';
import { Card, Chat, TeamsUser, Tenant, TurnResult, actions, cardText } from '../support/teams';
import { ConfiguredWorld, pdfBytes, recordedCard, sendFiles, startWorldWith } from './fileKit';
import { FileServer } from './fileServer';
import { addFund, createClaim, fileLinkStart, grant } from './world';

const FILE = 'summit-invoice.pdf';
const EXPLANATION = 'Catering for the closed partner summit';
const LINK_SENT = new RegExp(`The link to ${FILE.replace('.', '\\.')} is in your 1:1 chat with me`);

describe('bot: documents stay private in group chats and channels (issue 15)', () => {
  let w: ConfiguredWorld;
  let drive: FileServer;
  let tenant: Tenant;
  let admin: TeamsUser;
  let olga: TeamsUser;
  let bob: TeamsUser;
  let nora: TeamsUser;
  let ivy: TeamsUser;
  let group: Chat;
  let channel: Chat;
  let number: string;
  let documentId: string;
  /** The claim card Olga posted into the group chat. */
  let posted: TurnResult;

  /** How the app's file links begin: no card in a shared chat may hold one. */
  let links: string;

  /** Every trace of a file link or of the document (name, explanation) in some JSON. */
  function traces(json: unknown): string[] {
    const text = JSON.stringify(json ?? null);
    return ['sig=', links, FILE, EXPLANATION].filter((t) => text.includes(t));
  }

  const openUrls = (card: Card | undefined): string[] =>
    card
      ? actions(card)
          .filter((a) => a.action.type === 'Action.OpenUrl')
          .map((a) => String(a.action.url))
      : [];

  /**
   * What the bot sent after `since` anywhere but the owner's 1:1 chat, where her cards may be
   * updated in the background at any moment (an invoice total read, say) and rightly hold links.
   */
  const notToOlga = (since: number): Recorded[] =>
    w.connector.since(since).filter((x) => x.conversationId !== olga.personal.id);
  /** What the bot sent into a conversation after `since`. */
  const sentTo = (chat: Chat, since: number): Recorded[] => w.connector.since(since, chat.id);
  /** What went into shared chats: background updates of cards in 1:1 chats (`a:…`) rightly hold links. */
  const shared = (records: readonly Recorded[]): Recorded[] =>
    records.filter((x) => !x.conversationId.startsWith('a:'));

  const refreshIn = (u: TeamsUser, chat: Chat, card: TurnResult) =>
    w.teams.invoke(u, chat, 'refreshClaim', { claim: number }, card.cardActivityId);

  before(async () => {
    drive = await FileServer.start();
    // The Open links sent to the owner are followed: real signed links, from Azurite.
    w = await startWorldWith({ ALLOWED_DOWNLOAD_HOSTS: '127.0.0.1' }, { storage: 'emulators' });
    links = await fileLinkStart(w);
    tenant = w.teams.tenant('contoso');
    admin = w.teams.user(tenant, 'Ada Admin', { aadObjectId: w.bootstrapAdmins[0] });
    olga = w.teams.user(tenant, 'Olga Owner');
    bob = w.teams.user(tenant, 'Bob Bystander');
    nora = w.teams.user(tenant, 'Nora Norole');
    ivy = w.teams.user(tenant, 'Ivy Incentives', { appInstalled: false });
    group = w.teams.groupChat(tenant, [admin, olga, bob, nora, ivy]);
    channel = teamChannel(w.connector, tenant, [admin, olga, bob, nora]);
    await grant(w, admin, group, olga, 'incentives user');
    await grant(w, admin, group, bob, 'incentives user');
    await grant(w, admin, group, ivy, 'incentives admin');
    await addFund(w, admin);
    ({ number } = await createClaim(w, olga));
    const added = await sendFiles(
      w.teams,
      olga,
      olga.personal,
      `${number} invoice: ${EXPLANATION}`,
      [{ name: FILE, url: drive.serve(FILE, pdfBytes(20_000)) }],
    );
    assert.match(added.text, /Added summit-invoice\.pdf/);
    const claim = await w.app.services.claims.get(tenant.id, number);
    documentId = claim?.documents[0]?.id ?? '';
    assert.ok(documentId, 'the document is stored');
  });

  after(async () => {
    await w?.stop();
    await drive?.stop();
  });

  it("in the owner's own 1:1 chat the claim card keeps its signed, expiring Open link", async () => {
    const r = await w.teams.send(olga, olga.personal, `claim ${number}`);
    const [url] = openUrls(r.card);
    assert.ok(url?.includes('sig='), `a signed link: ${url}`);
    assert.ok(url.startsWith(links));
    assert.match(cardText(r.card), new RegExp(EXPLANATION));
  });

  it('the card posted in a group chat names no document and carries no link, for anyone', async () => {
    posted = await w.teams.send(olga, group, `claim ${number}`);
    assert.equal(posted.status, 200);
    assert.equal(sentTo(group, 0).filter((x) => x.activityId === posted.cardActivityId).length, 1);
    assert.deepEqual(traces(shared(posted.sent)), []);
    assert.match(
      cardText(posted.card),
      /Documents are shown only to people who may see this claim/,
    );
    assert.match(cardText(posted.card), new RegExp(number), 'the claim itself is on the card');
    // Universal Actions: the owner, and the member who posted it, get their own view.
    assert.ok(posted.card?.refresh?.userIds.includes(olga.id));
    assert.equal(posted.card?.refresh?.action?.verb, 'refreshClaim');
  });

  it('its refresh for a member without a role shows nothing of the claim', async () => {
    const r = await refreshIn(nora, group, posted);
    assert.equal(r.invokeStatus, 200);
    assert.match(r.text, new RegExp(`Claim ${number} was not found`));
    assert.deepEqual(traces(r.invokeCard), []);
    assert.deepEqual(traces(shared(r.sent)), []);
  });

  it("the owner's refresh in the group names the document with its explanation, without a link", async () => {
    const r = await refreshIn(olga, group, posted);
    assert.equal(r.invokeStatus, 200);
    const text = cardText(r.invokeCard);
    assert.ok(text.includes(FILE) && text.includes(EXPLANATION), text);
    assert.deepEqual(openUrls(r.invokeCard), []);
    assert.ok(!JSON.stringify(r.invokeCard).includes('sig='));
    const open = actions(r.invokeCard ?? {}).find((a) => a.action.title === 'Open');
    assert.equal(open?.action.type, 'Action.Execute');
    assert.deepEqual(open?.action.data, { claim: number, document: documentId });
  });

  it("the owner's Open in the group sends an expiring link to her 1:1 chat, and only there", async () => {
    const since = w.connector.seq;
    const refreshed = await refreshIn(olga, group, posted);
    const r = await w.teams.click(olga, group, refreshed, 'Open', {}, documentId);
    assert.equal(r.invokeStatus, 200);
    assert.match(cardText(r.invokeCard), LINK_SENT);
    assert.ok(cardText(r.invokeCard).includes(EXPLANATION), 'her own view of the claim');
    assert.deepEqual(openUrls(r.invokeCard), []);

    // New messages only: background updates of her cards posted there earlier may come and go.
    const inPersonal = sentTo(olga.personal, since).filter((x) => x.op !== 'update');
    assert.equal(inPersonal.length, 1, 'one message in her 1:1 chat');
    const [url] = openUrls(recordedCard(inPersonal[0]));
    assert.ok(url?.startsWith(links) && url.includes('sig='), url);
    const expires = Date.parse(new URL(url).searchParams.get('se') ?? '');
    assert.ok(expires > Date.now(), 'not expired');
    assert.ok(expires <= Date.now() + 15 * 60_000 + 5000, 'expires within 15 minutes');
    const file = await fetch(url);
    assert.equal(file.status, 200);
    assert.equal((await file.arrayBuffer()).byteLength, 20_000);
    assert.deepEqual(traces(notToOlga(since)), []);
  });

  it('a forged Open by a member without a role is refused, and no link goes anywhere', async () => {
    const since = w.connector.seq;
    const r = await w.teams.invoke(
      nora,
      group,
      'openDocument',
      { claim: number, document: documentId },
      posted.cardActivityId,
    );
    assert.equal(r.invokeStatus, 200);
    assert.match(r.text, new RegExp(`Claim ${number} was not found`));
    assert.deepEqual(traces(r.invokeCard), []);
    assert.deepEqual(traces(notToOlga(since)), []);
    assert.deepEqual(sentTo(nora.personal, since), []);
  });

  it('a forged Open by someone with a role who may not see the claim finds no claim', async () => {
    const since = w.connector.seq;
    const r = await w.teams.invoke(bob, group, 'openDocument', {
      claim: number,
      document: documentId,
    });
    assert.match(r.text, new RegExp(`Claim ${number} was not found`));
    assert.deepEqual(traces(r.invokeCard), []);
    assert.deepEqual(traces(notToOlga(since)), []);
  });

  it('an admin whose 1:1 chat cannot be opened is told so, and gets no link anywhere', async () => {
    const since = w.connector.seq;
    const r = await w.teams.invoke(ivy, group, 'openDocument', {
      claim: number,
      document: documentId,
    });
    assert.match(r.text, /I could not reach your 1:1 chat with me/);
    assert.ok(!JSON.stringify(r.invokeCard).includes('sig='));
    assert.ok(!JSON.stringify(notToOlga(since)).includes('sig='));
  });

  it("the owner's card action in the group answers her own view, without a link", async () => {
    const refreshed = await refreshIn(olga, group, posted);
    const r = await w.teams.click(olga, group, refreshed, 'Add metric', {
      Metric: 'Attendees',
      Value: '80',
    });
    assert.equal(r.invokeStatus, 200);
    assert.ok(cardText(r.invokeCard).includes('Attendees'));
    assert.ok(cardText(r.invokeCard).includes(FILE));
    assert.ok(!JSON.stringify(r.invokeCard).includes('sig='));
  });

  it('a change made elsewhere updates the posted group card in the background, without documents', async () => {
    const since = w.connector.seq;
    const r = await w.teams.invoke(olga, olga.personal, 'addMetric', {
      claim: number,
      metricName: 'Leads',
      metricValue: '12',
    });
    assert.equal(r.invokeStatus, 200);
    // An update from an earlier change may still be on its way: the one that matters shows Leads.
    const update = await w.connector.waitFor(
      (x) =>
        x.seq > since &&
        x.op === 'update' &&
        x.conversationId === group.id &&
        x.activityId === posted.cardActivityId &&
        cardText(recordedCard(x)).includes('Leads'),
    );
    assert.ok(update, 'the posted card was updated and shows the change');
    assert.deepEqual(traces(update.activity), []);
    await w.app.notifications.idle();
    assert.deepEqual(traces(sentTo(group, since)), []);
  });

  it('history in the group names no document', async () => {
    const since = w.connector.seq;
    const r = await w.teams.send(olga, group, `history ${number}`);
    assert.match(cardText(r.card), /added a document/);
    // What went into the group (not the background updates of Olga's own 1:1 cards meanwhile).
    assert.deepEqual(traces(sentTo(group, since)), []);
  });

  it('a channel is a shared chat too: no link and no document on the posted card or in updates', async () => {
    const r = await w.teams.send(admin, channel, `claim ${number}`);
    assert.equal(r.status, 200);
    assert.deepEqual(traces(shared(r.sent)), []);
    // The admin who posted it is not on the claim: the card refreshes to her own view as well.
    assert.ok(r.card?.refresh?.userIds.includes(admin.id));
    const own = await refreshIn(admin, channel, r);
    assert.ok(cardText(own.invokeCard).includes(FILE));
    assert.ok(!JSON.stringify(own.invokeCard).includes('sig='));
    const since = w.connector.seq;
    await w.teams.invoke(olga, olga.personal, 'comment', { claim: number, comment: 'Looks good' });
    const update = await w.connector.waitFor(
      (x) => x.seq > since && x.op === 'update' && x.conversationId === channel.id,
    );
    assert.ok(update, 'the channel card was updated');
    assert.deepEqual(traces(update.activity), []);
    assert.ok(recordedCard(update)?.refresh?.userIds.includes(admin.id), 'still hers to refresh');
  });
});
