import assert from 'node:assert/strict';
import { createClaim as draftClaim } from '../../src/domain/claim';
import { money } from '../../src/domain/money';
import type { Actor, Role } from '../../src/domain/roles';
import type { ClaimStatus } from '../../src/domain/status';
import { TeamsUser, Tenant, TurnResult, actions, cardText } from '../support/teams';
import { NOT_ALLOWED, assertButtons, invokeRefused } from './reviewKit';
import { World, startWorld } from './world';

describe('bot: the review queue, page by page (issue 5)', () => {
  let w: World;
  /** A reviewer of another tenant (Contoso), who must never see Northwind's queue. */
  let rita: TeamsUser;
  let northwind: Tenant;
  /** Reviewers, an incentives user and a user without a role, all of Northwind. */
  let nina: TeamsUser;
  let nick: TeamsUser;
  let ned: TeamsUser;
  let nora: TeamsUser;
  /** Titles of Northwind's waiting claims in queue order, and the numbers of all its claims. */
  let queue: string[];
  const numbersByTitle = new Map<string, string>();
  const PAGE_GONE =
    /That page of the queue could not be opened, so here is the start of the queue\./;

  const titlesOn = (r: TurnResult): string[] =>
    cardText(r.card)
      .split('\n')
      .filter((line) => line.startsWith('Northwind claim '));
  const rowsOn = (r: TurnResult): number => [...cardText(r.card).matchAll(/^CLM-\d{4} $/gm)].length;
  const nextPageData = (r: TurnResult): unknown =>
    actions(r.card ?? {}).find((a) => a.action.title === 'Next page')?.action.data;

  const say = async (u: TeamsUser, text: string): Promise<TurnResult> => {
    await w.app.notifications.idle();
    return w.teams.send(u, u.personal, text);
  };

  async function giveRole(u: TeamsUser, role: Role, change: 'grant' | 'revoke' = 'grant') {
    await w.app.services.users.changeRole(
      u.tenantId,
      { id: u.aadObjectId, name: u.name, channelUserId: u.id },
      { role, change, by: 'test', at: new Date().toISOString() },
    );
  }

  /**
   * 45 waiting claims and 3 decided ones: statuses mixed, times falling as numbers rise, some
   * without a submission time (old data), some submitted at the same moment.
   */
  async function seedQueue(): Promise<string[]> {
    const owner: Actor = {
      tenantId: northwind.id,
      userId: 'northwind-owner',
      name: 'Nell Owner',
      roles: new Set(['incentivesUser']),
    };
    const at = (minute: number): string => new Date(Date.UTC(2026, 2, 1, 9, minute)).toISOString();
    const waiting: { title: string; rank: number; submittedAt: string; seq: number }[] = [];
    for (let i = 1; i <= 48; i++) {
      const status: ClaimStatus =
        i % 16 === 0
          ? 'approved'
          : i % 4 === 3
            ? 'underReview'
            : i % 7 === 6
              ? 'disputed'
              : 'submitted';
      const submittedAt = i % 10 === 4 ? undefined : at(i % 9 === 0 ? 0 : 60 - i);
      const title = `Northwind claim ${i}`;
      const claim = await w.app.services.claims.create(northwind.id, `northwind-${i}`, (seq) => ({
        ...draftClaim({
          actor: owner,
          seq,
          formId: `northwind-${i}`,
          fund: { id: 'northwind-fund', currency: 'USD' },
          info: {
            title,
            activityType: 'webinar',
            activityStart: '2026-02-01',
            activityEnd: '2026-02-10',
            amount: money(100_00, 'USD'),
            description: '',
            additionalInfo: '',
          },
          now: at(0),
        }),
        status,
        ...(submittedAt ? { submittedAt } : {}),
      }));
      numbersByTitle.set(title, claim.number);
      if (status !== 'approved') {
        const rank = status === 'submitted' ? 0 : 1;
        waiting.push({ title, rank, submittedAt: submittedAt ?? '', seq: claim.seq });
      }
    }
    waiting.sort(
      (a, b) =>
        a.rank - b.rank ||
        (a.submittedAt < b.submittedAt ? -1 : a.submittedAt > b.submittedAt ? 1 : 0) ||
        a.seq - b.seq,
    );
    assert.equal(waiting.length, 45);
    return waiting.map((c) => c.title);
  }

  before(async () => {
    w = await startWorld();
    rita = w.teams.user(w.teams.tenant('contoso'), 'Rita Reviewer');
    await giveRole(rita, 'reviewer');
    northwind = w.teams.tenant('northwind');
    nina = w.teams.user(northwind, 'Nina Reviewer');
    nick = w.teams.user(northwind, 'Nick Reviewer');
    ned = w.teams.user(northwind, 'Ned Incentives');
    nora = w.teams.user(northwind, 'Nora Nobody');
    await giveRole(nina, 'reviewer');
    await giveRole(nick, 'reviewer');
    await giveRole(ned, 'incentivesUser');
    queue = await seedQueue();
  });
  after(() => w?.stop());

  it('review shows 20 claims at a time with Next page, in queue order, to the last page', async () => {
    const first = await say(nina, 'review');
    assert.deepEqual(titlesOn(first), queue.slice(0, 20));
    assert.equal(rowsOn(first), 20, 'no claim of another tenant');
    assert.match(first.text, /Claims 1–20, more on the next page/);
    assertButtons(first, ['Next page'], ['First page']);

    const second = await w.teams.click(nina, nina.personal, first, 'Next page');
    assert.equal(second.invokeStatus, 200);
    assert.deepEqual(titlesOn(second), queue.slice(20, 40));
    assert.match(second.text, /Claims 21–40, more on the next page/);
    assertButtons(second, ['Next page', 'First page'], []);

    const last = await w.teams.click(nina, nina.personal, second, 'Next page');
    assert.deepEqual(titlesOn(last), queue.slice(40));
    assert.match(last.text, /Claims 41–45 of 45/);
    assertButtons(last, ['First page'], ['Next page']);

    const back = await w.teams.click(nina, nina.personal, last, 'First page');
    assert.deepEqual(titlesOn(back), queue.slice(0, 20));
    assert.doesNotMatch(back.text, PAGE_GONE);

    const opened = await w.teams.click(
      nina,
      nina.personal,
      second,
      'Open',
      {},
      numbersByTitle.get(queue[25]),
    );
    assert.match(opened.text, new RegExp(queue[25]));
  });

  it('says the same in Dutch', async () => {
    const first = await w.teams.send(nina, nina.personal, 'review', { locale: 'nl-NL' });
    assert.match(first.text, /Wachten op beoordeling/);
    assert.match(first.text, /Claims 1–20, meer op de volgende pagina/);
    assertButtons(first, ['Volgende pagina'], ['Eerste pagina']);
  });

  it('a forged or garbage continuation answers with the start of the queue and a notice, never an error', async () => {
    const token = (fields: unknown): string =>
      Buffer.from(JSON.stringify(fields)).toString('base64url');
    const valid = nextPageData(await say(nina, 'review')) as { after: string };
    const tampered = `${valid.after.slice(0, 5)}${valid.after.slice(6)}`;
    const forged: unknown[] = [
      'garbage',
      '',
      tampered,
      `${valid.after}==`,
      'x'.repeat(10_000),
      42,
      null,
      { rank: 0, submittedAt: '', seq: 1 },
      [valid.after],
      token([2, '', 1, 20]),
      token([-1, '', 1, 20]),
      token([0, '', 1, 0]),
      token([0, '', 1.5, 20]),
      token([0, 12, 1, 20]),
      token([0, 'x'.repeat(41), 1, 20]),
      token({ rank: 0, submittedAt: '', seq: 1, shown: 20 }),
      token([0, '', 1, 20, 'extra']),
      Buffer.from('[0,"",1').toString('base64url'),
    ];
    for (const after of forged) {
      const what = JSON.stringify(after).slice(0, 60);
      const r = await w.teams.invoke(nina, nina.personal, 'reviewPage', { after });
      assert.equal(r.status, 200, what);
      assert.equal(r.invokeStatus, 200, what);
      assert.match(r.text, PAGE_GONE, what);
      assert.deepEqual(titlesOn(r), queue.slice(0, 20), what);
    }
    for (const data of ['junk', [1], null]) {
      const r = await w.teams.invoke(nina, nina.personal, 'reviewPage', data);
      assert.equal(r.invokeStatus, 200, JSON.stringify(data));
      assert.deepEqual(titlesOn(r), queue.slice(0, 20), JSON.stringify(data));
    }
  });

  it("a continuation never shows another tenant's claims: the queue is always the presser's tenant", async () => {
    const data = nextPageData(await say(nina, 'review'));
    const r = await w.teams.invoke(rita, rita.personal, 'reviewPage', data);
    assert.equal(r.invokeStatus, 200);
    assert.doesNotMatch(r.text, /Northwind/);
  });

  it('a user who is not a reviewer is refused, whatever the card data says', async () => {
    const data = nextPageData(await say(nina, 'review'));
    for (const u of [ned, nora]) {
      assert.match((await say(u, 'review')).text, NOT_ALLOWED, u.name);
      for (const forged of [
        data,
        { after: 'garbage' },
        {},
        { ...(data as object), roles: ['reviewer'] },
      ]) {
        await invokeRefused(w, u, 'reviewPage', forged as Record<string, string>, NOT_ALLOWED);
      }
    }
    const held = await say(nick, 'review');
    await giveRole(nick, 'reviewer', 'revoke');
    const r = await w.teams.click(nick, nick.personal, held, 'Next page');
    assert.match(r.text, NOT_ALLOWED);
    assert.doesNotMatch(r.text, /Northwind claim/);
  });

  it('an empty queue says so, with no buttons', async () => {
    const tailspin = w.teams.tenant('tailspin');
    const tom = w.teams.user(tailspin, 'Tom Reviewer');
    await giveRole(tom, 'reviewer');
    const r = await say(tom, 'review');
    assert.match(r.text, /No claims are waiting for review\./);
    assert.equal(rowsOn(r), 0);
    assertButtons(r, [], ['Next page', 'First page']);
  });

  it('a next page whose claims were decided meanwhile says no more wait, and offers First page', async () => {
    const first = await say(nina, 'review');
    for (const title of queue.slice(20)) {
      const number = numbersByTitle.get(title) as string;
      await w.app.services.claims.update(northwind.id, number, `decide-${number}`, (c) => ({
        ...c,
        status: 'rejected',
      }));
    }
    const r = await w.teams.click(nina, nina.personal, first, 'Next page');
    assert.match(r.text, /No more claims are waiting for review\./);
    assert.equal(rowsOn(r), 0);
    assertButtons(r, ['First page'], ['Next page']);
  });
});
