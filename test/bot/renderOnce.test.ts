import assert from 'node:assert/strict';
import type { Recorded } from '../../testkit/connector';
import { TeamsUser, cardText } from '../support/teams';
import { World, ownerWithClaim, startWorld } from './world';

/**
 * Issue 30's Comment turn: a change made on a claim card in the user's 1:1 chat answers with the
 * claim card, and the user's other cards of that claim in the same chat show that very card, not a
 * second rendering of it (each rendering reads the fund, the viewer's roles and chat, and signs links).
 */
describe('bot: the other cards of a claim in the 1:1 chat show the answer to a change, rendered once', () => {
  let w: World;
  let olga: TeamsUser;
  let number: string;
  let fundReads = 0;

  before(async () => {
    w = await startWorld();
    ({ owner: olga, number } = await ownerWithClaim(w, 'Olga Owner'));
    const funds = w.app.services.funds;
    const get = funds.get.bind(funds);
    funds.get = (...args) => {
      fundReads++;
      return get(...args);
    };
  });
  after(() => w?.stop());

  it('a comment on one card updates the older card of the claim with the same card', async () => {
    const older = await w.teams.send(olga, olga.personal, `claim ${number}`);
    const newer = await w.teams.send(olga, olga.personal, `claim ${number}`);
    assert.ok(older.cardActivityId && newer.cardActivityId);
    await w.app.notifications.idle();
    const reads = fundReads;

    const answer = await w.teams.invoke(
      olga,
      olga.personal,
      'comment',
      { claim: number, comment: 'Agenda sent to the agency' },
      newer.cardActivityId,
    );
    assert.match(cardText(answer.card), /Agenda sent to the agency/);
    const isUpdate = (r: Recorded) => r.op === 'update' && r.activityId === older.cardActivityId;
    const update = await w.connector.waitFor(isUpdate);
    assert.ok(update, 'the older card is brought up to date');
    await w.app.notifications.idle();

    const [attachment] = update.activity.attachments as { content: unknown }[];
    assert.deepEqual(attachment.content, answer.invokeCard, 'the older card shows the answer');
    const rendered = fundReads - reads;
    // One rendering: the fund read for the card, and for what it has left (the claim can be submitted).
    assert.equal(rendered, 2, `the fund was read ${rendered} times`);
  });
});
