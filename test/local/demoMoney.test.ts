import assert from 'node:assert/strict';
import type { RunningApp } from '../../src/app';
import { isPartlyPaid, owedOf } from '../../src/domain/claim';
import { reimbursableOf } from '../../src/domain/reimbursement';
import { DEMO_HALF_FUND_ID } from '../../src/demo/demoClaims';
import { DEMO_TENANT_ID } from '../../src/demo/seed';
import { sharedStack, startTestApp } from '../support/stack';

describe('the local demo seed shows the money rules (issue 32)', function () {
  this.timeout(60_000);
  let app: RunningApp;

  before(async () => {
    await sharedStack();
    app = await startTestApp(
      { DEMO_SEED: 'true' },
      { clock: () => new Date('2027-03-15T12:00:00Z') },
    );
  });
  after(async () => {
    await app?.stop();
  });

  const claimTitled = async (title: string) => {
    const page = await app.services.claims.list(DEMO_TENANT_ID, { kind: 'tenant' }, { size: 100 });
    const found = page.items.find((c) => c.title === title);
    assert.ok(found, title);
    const claim = await app.services.claims.get(DEMO_TENANT_ID, found.number);
    assert.ok(claim);
    return claim;
  };

  it('a fund that pays 50 %, with a claim of $1,800.00 that it pays $900.00 of', async () => {
    const fund = await app.services.funds.get(DEMO_TENANT_ID, DEMO_HALF_FUND_ID);
    assert.equal(fund?.reimbursementRate, 5_000);
    const claim = await claimTitled('Trade magazine print ads');
    assert.equal(claim.fundId, DEMO_HALF_FUND_ID);
    assert.deepEqual(reimbursableOf(claim), { minor: 90_000, currency: 'USD' });
  });

  it('a claim in EUR on a USD fund, with its exchange rate, who entered it and when', async () => {
    const claim = await claimTitled('Partner roadshow Utrecht');
    assert.deepEqual(claim.amount, { minor: 180_000, currency: 'EUR' });
    assert.deepEqual(
      { from: claim.exchange?.from, to: claim.exchange?.to, by: claim.exchange?.by.name },
      { from: 'EUR', to: 'USD', by: 'Adele Vance' },
    );
    assert.deepEqual(reimbursableOf(claim), { minor: 195_156, currency: 'USD' });
  });

  it('a partly paid claim: a credit memo of $2,000.00 of the $4,500.00 approved', async () => {
    const claim = await claimTitled('Azure migration webinar series');
    assert.equal(isPartlyPaid(claim), true);
    assert.equal(claim.payments?.[0]?.method, 'creditMemo');
    assert.deepEqual(owedOf(claim), { minor: 250_000, currency: 'USD' });
    assert.ok(claim.approvalReason, 'approved less, with a reason');
  });
});
