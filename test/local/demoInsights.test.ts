import assert from 'node:assert/strict';
import { DEMO_TENANT_ID, DEMO_USERS } from '../../src/demo/seed';
import { ofType } from '../bot/cardNodes';
import { World, startWorld } from '../bot/world';

/** Issue 33: on a first run the demo tenant's `insights` is full: results on its decided claims. */
describe('the local demo seed: insights is full on a first run', function () {
  this.timeout(60_000);
  let w: World;

  before(async () => {
    w = await startWorld({ storage: 'emulators', env: { DEMO_SEED: 'true' } });
  });
  after(async () => {
    // The bot reads the seeded invoices in the background: let it finish before stopping.
    await w?.app.invoices.idle();
    await w?.stop();
  });

  it('shows Megan all three funds, pipeline per activity type and a return on spend', async () => {
    const tenant = { id: DEMO_TENANT_ID, name: 'demo' };
    const megan = w.teams.user(tenant, DEMO_USERS[0].name, { aadObjectId: DEMO_USERS[0].id });
    const r = await w.teams.send(megan, megan.personal, 'insights');
    assert.equal(ofType(r.card, 'Chart.Donut').length, 3);
    const pipeline = ofType(r.card, 'Chart.HorizontalBar')[0]?.data as { x: string; y: number }[];
    assert.deepEqual(
      pipeline.filter((b) => b.y > 0).map((b) => b.x),
      ['Webinar', 'Event'],
    );
    const returns = ofType(r.card, 'FactSet').flatMap((f) =>
      (f.facts as { title: string; value: string }[]).filter(
        (x) => x.title === 'Pipeline ÷ approved',
      ),
    );
    // The two funds with approved claims show a return; the 50 % fund has only a draft: "—".
    assert.deepEqual(
      returns.map((x) => x.value === '—').sort(),
      [false, false, true],
      JSON.stringify(returns),
    );
  });
});
