import assert from 'node:assert/strict';
import type { Claim } from '../../src/domain/claim';
import { demoAppInTests } from './demoKit';

describe('the local demo seed: a flagged duplicate invoice (issue 32)', function () {
  this.timeout(60_000);
  const demo = demoAppInTests();

  it("the roadshow holds the webinar series' invoice: each claim finds the other", async () => {
    const claims = await demo.claims();
    const byTitle = (title: string): Claim => {
      const claim = claims.find((c) => c.title === title);
      assert.ok(claim, title);
      return claim;
    };
    const series = byTitle('Azure migration webinar series');
    const roadshow = byTitle('Partner roadshow Utrecht');
    const numbers = async (c: Claim) => [
      ...new Set((await demo.app().services.claims.duplicatesOf(c)).map((h) => h.number)),
    ];
    assert.deepEqual(await numbers(roadshow), [series.number]);
    assert.deepEqual(await numbers(series), [roadshow.number]);
  });
});
