import assert from 'node:assert/strict';
import * as claimRights from '../../src/domain/claim/permissions';
import type { Actor } from '../../src/domain/roles';
import { cardText } from '../support/teams';
import { ReviewTeam, approveAs, reviewTeam, underReview } from './policyKit';
import { World, startWorld } from './world';

/** The functions of the domain that decide what a viewer of a claim may see and do. */
const DECIDING = ['authorize', 'permissions', 'canView'] as const;
type Deciding = (typeof DECIDING)[number];

/**
 * Counts the calls of the deciding functions made for one user, through the module's exports (as
 * every other module calls them), while `during` runs.
 */
async function countCalls(
  userId: string,
  during: () => Promise<unknown>,
): Promise<Record<Deciding, number>> {
  const exports = claimRights as unknown as Record<
    Deciding,
    (actor: Actor, ...rest: unknown[]) => unknown
  >;
  const calls: Record<Deciding, number> = { authorize: 0, permissions: 0, canView: 0 };
  const originals = DECIDING.map((name) => [name, exports[name]] as const);
  for (const [name, original] of originals) {
    exports[name] = (actor, ...rest) => {
      if (actor.userId === userId) calls[name]++;
      return original(actor, ...rest);
    };
  }
  try {
    await during();
  } finally {
    for (const [name, original] of originals) exports[name] = original;
  }
  return calls;
}

describe('bot: an Approve click decides visibility and permission once', () => {
  let w: World;
  let team: ReviewTeam;

  before(async () => {
    w = await startWorld();
    team = await reviewTeam(w, ['Rita Reviewer']);
  });
  after(() => w?.stop());

  it('one check of the stored claim, one permissions() for the card it answers with', async () => {
    const [rita] = team.reviewers;
    const number = await underReview(w, team, rita);
    await w.app.notifications.idle();
    const calls = await countCalls(rita.aadObjectId, async () => {
      const answer = await approveAs(w, rita, number);
      assert.match(cardText(answer.card), /Approved/);
    });
    assert.deepEqual(calls, { authorize: 1, permissions: 1, canView: 0 });
  });

  it('in a group chat, its answer and the card everybody sees share that one permissions()', async () => {
    const [rita] = team.reviewers;
    const number = await underReview(w, team, rita);
    await w.app.notifications.idle();
    const calls = await countCalls(rita.aadObjectId, async () => {
      const answer = await w.teams.invoke(rita, team.group, 'approve', {
        claim: number,
        approvedAmount: '1,250.00',
        approveNote: 'fine',
      });
      assert.match(cardText(answer.card), /Approved/);
    });
    assert.deepEqual(calls, { authorize: 1, permissions: 1, canView: 0 });
  });
});
