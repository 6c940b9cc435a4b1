import assert from 'node:assert/strict';
import { Claim, addDocument } from '../../src/domain/claim';
import {
  Card,
  TeamsUser,
  Tenant,
  TurnResult,
  actions,
  buttonTitles,
  cardBytes,
  cardText,
  press,
} from '../support/teams';
import { World, actorOf, grant, ownerWithClaim, startWorld } from './world';

const COUNT = 100;
const PAGE = 8;
const name = (i: number): string => `doc-${String(i).padStart(3, '0')}.pdf`;

/** Every file name a documents page lists, in its order. */
const namesOn = (card: Card | undefined): string[] =>
  [...cardText(card).matchAll(/^(doc-\d{3}\.pdf)$/gm)].map((m) => m[1]);

describe('bot: every document of a claim is reachable (issue 16)', function () {
  this.timeout(120_000);
  let w: World;
  let tenant: Tenant;
  let owner: TeamsUser;
  let rita: TeamsUser;
  let nora: TeamsUser;
  let number: string;
  let claim: Claim;

  before(async () => {
    w = await startWorld();
    ({ tenant, owner, number } = await ownerWithClaim(w, 'Olivia Owner'));
    const admin = w.teams.user(tenant, 'Ada Admin', { aadObjectId: w.bootstrapAdmins[0] });
    rita = w.teams.user(tenant, 'Rita Reviewer');
    nora = w.teams.user(tenant, 'Nora Nobody');
    await grant(w, admin, w.teams.groupChat(tenant, [admin, rita]), rita, 'reviewer');
    const actor = actorOf(owner);
    // A hundred documents filed directly in the store (uploads through Teams are tested elsewhere).
    for (let i = 1; i <= COUNT; i++) {
      claim = await w.app.services.claims.update(tenant.id, number, `seed-doc-${i}`, (c) =>
        addDocument(
          c,
          actor,
          {
            id: `d-${i}`,
            type: i % 4 === 0 ? 'poe' : 'invoice',
            fileName: name(i),
            blobName: `${tenant.id}/${number}/d-${i}/${name(i)}`,
            size: 1000 + i,
            contentType: 'application/pdf',
            sha256: '0'.repeat(64),
            explanation: `Explanation number ${i}`,
          },
          new Date(Date.now() + i).toISOString(),
        ),
      );
    }
    assert.equal(claim.documents.length, COUNT);
  });
  after(() => w?.stop());

  const documents = async (user: TeamsUser, page: unknown = 0): Promise<TurnResult> =>
    w.teams.invoke(user, user.personal, 'documentsPage', { claim: number, page });

  it('the claim card shows the newest documents and a Documents button', async () => {
    const r = await w.teams.send(owner, owner.personal, `claim ${number}`);
    assert.ok(buttonTitles(r.card ?? {}).includes('Documents'));
    assert.match(cardText(r.card), /\+ 97 more under Documents/);
    assert.ok(cardBytes(r.card ?? {}) < 28_000, `${cardBytes(r.card ?? {})} bytes`);
  });

  it('pages through all 100 documents, newest first, each once, with Open links and Details', async () => {
    const seen: string[] = [];
    let r = await w.teams.click(
      owner,
      owner.personal,
      await w.teams.send(owner, owner.personal, `claim ${number}`),
      'Documents',
    );
    for (let page = 0; ; page++) {
      const names = namesOn(r.card);
      assert.ok(names.length > 0 && names.length <= PAGE, `page ${page}: ${names.length}`);
      assert.match(
        cardText(r.card),
        new RegExp(`${page * PAGE + 1}–${page * PAGE + names.length} of ${COUNT}`),
      );
      const opens = actions(r.card ?? {}).filter((a) => a.action.type === 'Action.OpenUrl');
      assert.equal(opens.length, names.length, 'an Open link per document in the 1:1 chat');
      assert.equal(
        actions(r.card ?? {}).filter((a) => a.action.title === 'Details').length,
        names.length,
      );
      assert.equal(buttonTitles(r.card ?? {}).includes('Previous page'), page > 0);
      assert.ok(cardBytes(r.card ?? {}) < 28_000);
      seen.push(...names);
      if (!buttonTitles(r.card ?? {}).includes('Next page')) break;
      r = await w.teams.click(owner, owner.personal, r, 'Next page');
    }
    assert.equal(seen.length, COUNT);
    assert.equal(new Set(seen).size, COUNT);
    assert.deepEqual(
      seen,
      Array.from({ length: COUNT }, (_, i) => name(COUNT - i)),
    );
    const back = await w.teams.click(owner, owner.personal, r, 'Previous page');
    assert.deepEqual(namesOn(back.card), seen.slice(-PAGE - (COUNT % PAGE), -(COUNT % PAGE)));
  });

  it('an old document can be opened in detail and its explanation edited', async () => {
    const last = await documents(owner, 12);
    const details = press(last.card ?? {}, 'Details', {}, 'd-2"');
    assert.equal(details.verb, 'documentDetails');
    const card = await w.teams.invoke(owner, owner.personal, details.verb, details.data);
    assert.match(cardText(card.card), /^doc-002\.pdf$/m);
    assert.match(cardText(card.card), /Explanation number 2/);
    const saved = await w.teams.click(owner, owner.personal, card, 'Save explanation', {
      'New explanation': 'Venue invoice, second day',
    });
    assert.equal(saved.invokeStatus, 200);
    const stored = await w.app.services.claims.get(tenant.id, number);
    assert.equal(
      stored?.documents.find((d) => d.id === 'd-2')?.explanation,
      'Venue invoice, second day',
    );
  });

  it('a page number from a forged card is brought within the pages', async () => {
    assert.deepEqual(namesOn((await documents(owner, 9999)).card), [
      name(4),
      name(3),
      name(2),
      name(1),
    ]);
    assert.deepEqual(
      namesOn((await documents(owner, 'x')).card),
      namesOn((await documents(owner, 0)).card),
    );
    assert.deepEqual(
      namesOn((await documents(owner, -3)).card),
      namesOn((await documents(owner, 0)).card),
    );
  });

  it('someone who may not see the claim gets "not found", from the list and from a document', async () => {
    for (const r of [
      await documents(nora),
      await w.teams.invoke(nora, nora.personal, 'documentDetails', {
        claim: number,
        document: 'd-1',
      }),
    ]) {
      assert.equal(r.invokeStatus, 200);
      assert.match(r.text, /was not found/);
      assert.doesNotMatch(r.text, /doc-\d{3}/);
    }
  });

  it('a comment over 1,000 characters is refused with the limit named, and nothing is recorded', async () => {
    const before = (await w.app.services.claims.get(tenant.id, number))?.history.at(-1)?.seq;
    const r = await w.teams.invoke(owner, owner.personal, 'comment', {
      claim: number,
      comment: 'x'.repeat(1001),
    });
    assert.equal(r.invokeStatus, 200);
    assert.match(r.text, /Comment is too long \(at most 1000 characters\)/);
    assert.equal((await w.app.services.claims.get(tenant.id, number))?.history.at(-1)?.seq, before);
  });

  describe('typeahead search of the document pick-lists (application/search)', () => {
    const search = async (user: TeamsUser, value: unknown) => {
      const base = w.teams.invokeActivity(user, user.personal, 'unused', {});
      const r = await w.teams.post({ ...base, name: 'application/search', value });
      const body = r.body as {
        statusCode: number;
        type: string;
        value: { results: { title: string; value: string }[] };
      };
      assert.equal(r.status, 200);
      assert.equal(body.type, 'application/vnd.microsoft.search.searchResponse');
      return body.value.results;
    };
    const query = (text: string, extra: Record<string, unknown> = {}) => ({
      kind: 'search',
      queryText: text,
      dataset: `claimDocuments ${number}`,
      ...extra,
    });

    it('the claim card pick-lists search every document (Data.Query)', async () => {
      const r = await w.teams.send(owner, owner.personal, `claim ${number}`);
      const json = JSON.stringify(r.card);
      assert.match(json, new RegExp(`"dataset":"claimDocuments ${number}"`));
    });

    it('finds an old document by name, type or explanation words', async () => {
      assert.deepEqual(await search(owner, query('doc-003')), [
        { title: 'doc-003.pdf (Invoice)', value: 'd-3' },
      ]);
      assert.deepEqual(
        (await search(owner, query('NUMBER 77'))).map((x) => x.value),
        ['d-77'],
      );
      assert.equal((await search(owner, query('proof'))).length, 15, 'by type: 25 PoEs, 15 shown');
      assert.equal(
        (await search(rita, query('proof'))).length,
        0,
        'the claim is in Editing: reviewers do not see it',
      );
    });

    it('pages with skip and count at most 15', async () => {
      const first = await search(owner, query('', { queryOptions: { skip: 0, top: 50 } }));
      const second = await search(owner, query('', { queryOptions: { skip: 15, top: 15 } }));
      assert.equal(first.length, 15);
      assert.deepEqual(first[0], { title: 'doc-100.pdf (Proof of execution)', value: 'd-100' });
      assert.equal(second[0].value, 'd-85');
    });

    it('finds nothing for someone who may not see the claim, another dataset or a malformed value', async () => {
      assert.deepEqual(await search(nora, query('doc')), []);
      assert.deepEqual(
        await search(owner, query('doc', { dataset: 'graph.microsoft.com/users' })),
        [],
      );
      assert.deepEqual(await search(owner, 'not an object'), []);
      assert.deepEqual(
        await search(owner, query('doc', { dataset: 'claimDocuments CLM-9999' })),
        [],
      );
    });
  });
});
