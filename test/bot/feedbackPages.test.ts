import assert from 'node:assert/strict';
import { Card, TeamsUser, TurnResult, buttonTitles, cardText } from '../support/teams';
import { World, grant, ownerWithClaim, seedReady, startWorld } from './world';

/**
 * Reviewer feedback is part of the record (issue 28, hole 6): every piece stays, however many a
 * document gets, and the document's Details shows it a page at a time.
 */
describe('bot: every piece of reviewer feedback is kept, paged in Details (issue 28, hole 6)', () => {
  let w: World;
  let rita: TeamsUser;
  let olga: TeamsUser;
  let number: string;
  const poe = () => `seed-poe-${number}`;
  /** The feedback lines a Details card shows, in order. */
  const lines = (r: TurnResult): string[] =>
    cardText(r.card)
      .split('\n')
      .filter((l) => /Rita Reviewer: piece \d+/.test(l))
      .map((l) => /piece \d+/.exec(l)?.[0] ?? '');

  before(async () => {
    w = await startWorld();
    let tenant;
    ({ tenant, owner: olga, number } = await ownerWithClaim(w, 'Olga Owner'));
    const admin = w.teams.user(tenant, 'Ada Admin', { aadObjectId: w.bootstrapAdmins[0] });
    rita = w.teams.user(tenant, 'Rita Reviewer');
    await grant(w, admin, w.teams.groupChat(tenant, [admin, rita]), rita, 'reviewer');
    await seedReady(w, olga, number);
    await w.teams.invoke(olga, olga.personal, 'submit', { claim: number });
    await w.teams.invoke(rita, rita.personal, 'startReview', { claim: number });
    for (let i = 1; i <= 12; i++) {
      const r = await w.teams.invoke(rita, rita.personal, 'commentOnItem', {
        claim: number,
        item: poe(),
        feedback: `piece ${i}`,
      });
      assert.equal(r.invokeStatus, 200);
    }
  });
  after(async () => {
    await w?.stop();
  });

  it('the 11th and 12th piece delete nothing: Details shows the newest 10, Older feedback the first 2', async () => {
    const details = await w.teams.invoke(olga, olga.personal, 'documentDetails', {
      claim: number,
      document: poe(),
      page: 0,
    });
    assert.deepEqual(
      lines(details),
      Array.from({ length: 10 }, (_, i) => `piece ${i + 3}`),
    );
    assert.ok(buttonTitles(details.card as Card).includes('Older feedback'));
    const older = await w.teams.click(olga, olga.personal, details, 'Older feedback');
    assert.deepEqual(lines(older), ['piece 1', 'piece 2']);
    assert.equal(buttonTitles(older.card as Card).includes('Older feedback'), false);
  });
});
