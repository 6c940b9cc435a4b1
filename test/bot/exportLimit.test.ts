import assert from 'node:assert/strict';
import { Card, findAction } from '../support/teams';
import type { TurnResult } from '../support/teams';
import { World, ownerWithClaim, startWorld } from './world';
import type { TeamsUser } from '../support/teams';

/** Where the Download link of an export card points, without its signature. */
const archiveOf = (r: TurnResult): string =>
  String(findAction(r.card as Card, 'Download').action.url).split('?')[0];

/**
 * `export CLM-…` zips every document of the claim: asked for again while the claim is unchanged it
 * hands out the archive it made, and new archives are limited per user and per claim (issue 28).
 */
describe('bot: export CLM-… reuses a recent archive and is rate limited (issue 28)', () => {
  let w: World;
  let olga: TeamsUser;
  let number: string;
  const exportIt = () => w.teams.send(olga, olga.personal, `export ${number}`);
  const change = async (i: number) => {
    const r = await w.teams.invoke(olga, olga.personal, 'comment', {
      claim: number,
      comment: `Change ${i}`,
    });
    assert.equal(r.invokeStatus, 200);
  };

  before(async () => {
    w = await startWorld();
    ({ owner: olga, number } = await ownerWithClaim(w, 'Olga Owner'));
  });
  after(async () => {
    await w?.stop();
  });

  it('the same claim version exported again gets the same archive, not a new one', async () => {
    const first = await exportIt();
    const again = await exportIt();
    assert.equal(archiveOf(again), archiveOf(first));
  });

  it('a changed claim gets a new archive; past the limit the answer says to wait, and makes none', async () => {
    const seen = new Set<string>();
    let refused: TurnResult | undefined;
    for (let i = 1; i <= 4 && !refused; i++) {
      await change(i);
      const r = await exportIt();
      if (/many exports/.test(r.text)) refused = r;
      else seen.add(archiveOf(r));
    }
    assert.equal(seen.size, 2, 'two new archives (the first of the 3 a minute was made above)');
    assert.ok(refused, 'the fourth new archive in a minute is refused');
    assert.match(
      refused.text,
      /You have asked for many exports in a short time\. .*try again in 1 min/,
    );
    assert.equal(refused.text.includes('sig='), false, 'no link');
  });
});
