import assert from 'node:assert/strict';
import { totalOf } from '../../testkit/countingProxy';
import type { Claim } from '../../src/domain/claim';
import { CosmosClaimRepository } from '../../src/store/claims';
import { CosmosDb, openCosmos } from '../../src/store/cosmos';
import { factValue } from '../support/teams';
import type { TeamsUser, Tenant } from '../support/teams';
import { sharedStack } from '../support/stack';
import { CountedWorld, ownerWithClaim, startCountedWorld } from './world';

/**
 * A card action starts from the version of the claim this process last read or wrote, without
 * reading it again; another instance (a second repository on the same database) changes the claim
 * behind its back: nothing it wrote is lost, and a refusal is decided from the stored claim.
 */
describe('bot: card actions on a claim another instance changed', () => {
  let w: CountedWorld;
  let otherDb: CosmosDb;
  let other: CosmosClaimRepository;
  let tenant: Tenant;
  let alice: TeamsUser;
  let number: string;
  let changes = 0;

  const stored = async (): Promise<Claim> => {
    const claim = await w.app.services.claims.get(tenant.id, number);
    assert.ok(claim);
    return claim;
  };
  /** The claim changed by the other instance, as a user there would have. */
  const elsewhere = (change: (claim: Claim) => Claim) =>
    other.update(tenant.id, number, `elsewhere-${++changes}`, change);
  const addMetric = (name: string, value: string) =>
    w.teams.invoke(alice, alice.personal, 'addMetric', {
      claim: number,
      metricName: name,
      metricValue: value,
    });
  const claimRequests = () => w.claimRequests();

  before(async () => {
    const stack = await sharedStack();
    w = await startCountedWorld();
    ({ tenant, owner: alice, number } = await ownerWithClaim(w, 'Alice Baker'));
    otherDb = await openCosmos({
      endpoint: stack.cosmos.endpoint,
      key: stack.cosmos.key,
      database: w.config.cosmosDatabase,
    });
    other = new CosmosClaimRepository(otherDb);
  });
  after(async () => {
    otherDb?.close();
    await w?.stop();
  });

  it('adds a metric to the claim it just showed with one storage request: the write', async () => {
    await w.teams.send(alice, alice.personal, `claim ${number}`);
    const before = claimRequests();
    const r = await addMetric('Attendees', '120');
    const after = claimRequests();
    assert.equal(factValue(r.card, 'Attendees'), '120');
    const spent = Object.fromEntries(
      Object.entries(after).map(([k, v]) => [k, v - (before[k] ?? 0)] as const),
    );
    assert.equal(totalOf(spent), 1, JSON.stringify(spent));
    // One batch: the claim replaced and its applied-activity item created (issue 28).
    assert.equal(spent['claims.batch'], 1, JSON.stringify(spent));
  });

  it('keeps a metric the other instance added meanwhile', async () => {
    await elsewhere((c) => ({
      ...c,
      metrics: [...c.metrics, { id: 'm-elsewhere', name: 'Leads', value: 7 }],
    }));
    const r = await addMetric('Registrations', '300');
    assert.equal(factValue(r.card, 'Leads'), '7');
    assert.equal(factValue(r.card, 'Registrations'), '300');
    assert.deepEqual(
      (await stored()).metrics.map((m) => m.name),
      ['Attendees', 'Leads', 'Registrations'],
    );
  });

  it('refuses a change the stored claim no longer allows, showing the stored claim', async () => {
    await elsewhere((c) => ({ ...c, status: 'underReview' }));
    const before = await stored();
    const r = await addMetric('Clicks', '5');
    assert.equal(r.invokeStatus, 200);
    assert.match(r.text, /This cannot be done while the claim is Under review/);
    assert.match(r.text, /Under review/);
    assert.deepEqual((await stored()).metrics, before.metrics);
  });

  it('makes a change the stored claim allows again, though the version it saw refused it', async () => {
    await w.teams.send(alice, alice.personal, `claim ${number}`);
    await elsewhere((c) => ({ ...c, status: 'actionRequired' }));
    const r = await addMetric('Clicks', '5');
    assert.equal(factValue(r.card, 'Clicks'), '5');
    assert.ok((await stored()).metrics.some((m) => m.name === 'Clicks'));
  });

  it('answers "not found" once the other instance gave the claim to someone else', async () => {
    await w.teams.send(alice, alice.personal, `claim ${number}`);
    await elsewhere((c) => ({ ...c, owner: { id: 'someone-else', name: 'Someone Else' } }));
    const before = await stored();
    const r = await addMetric('Views', '9');
    assert.match(r.text, new RegExp(`Claim ${number}.*was not found`));
    assert.deepEqual((await stored()).metrics, before.metrics);
  });
});
