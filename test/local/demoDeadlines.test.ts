import assert from 'node:assert/strict';
import type { RunningApp } from '../../src/app';
import { daysUntil, remindSubmitDeadline, submitDeadline } from '../../src/domain/claim';
import { DEMO_TENANT_ID } from '../../src/demo/seed';
import { sharedStack, startTestApp } from '../support/stack';

const FIXED_NOW = new Date('2027-03-15T12:00:00Z');

/** Issue 32 in the demo tenant: a draft whose submit deadline is near. */
describe('the local demo seed: deadlines', function () {
  this.timeout(60_000);
  let app: RunningApp;

  before(async () => {
    await sharedStack();
    app = await startTestApp({ DEMO_SEED: 'true' }, { clock: () => FIXED_NOW });
    await app.invoices.idle();
  });
  after(async () => {
    await app?.stop();
  });

  it('has a draft due within a week, whose owner the next reminder pass reminds', async () => {
    const page = await app.services.claims.list(DEMO_TENANT_ID, { kind: 'tenant' }, { size: 100 });
    const found = page.items.find((c) => c.title === 'Partner roadshow Utrecht');
    const claim = found && (await app.services.claims.get(DEMO_TENANT_ID, found.number));
    assert.ok(claim);
    assert.equal(claim.status, 'editing');
    const fund = await app.services.funds.get(DEMO_TENANT_ID, claim.fundId);
    const deadline = submitDeadline(claim, fund);
    assert.equal(daysUntil('2027-03-15', deadline), 6);
    const reminded = remindSubmitDeadline(claim, fund, FIXED_NOW.toISOString());
    assert.equal(reminded.outbox.length, claim.outbox.length + 1);
  });
});
