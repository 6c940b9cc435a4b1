import assert from 'node:assert/strict';
import { fundView } from '../../src/bot/flows/overview';
import { ledgerKey, totalsFrom } from '../../src/domain/fund';
import { texts } from '../../src/i18n/i18n';
import { usdFund } from './fixtures';

const fund = usdFund('Events fund', '10000');

/** The fund's view with these sums (dollars) approved, pending and reserved. */
const viewWith = (approved: number, pending: number, reserved: number, locale = 'en-US') =>
  fundView(
    texts(locale),
    fund,
    totalsFrom(fund, {
      [ledgerKey(fund.id, 'USD')]: {
        currency: 'USD',
        claimed: (approved + pending) * 100,
        approved: approved * 100,
        pending: pending * 100,
        reserved: reserved * 100,
      },
    }),
  );

describe("cards: a fund's use as a labelled bar (issue 29)", () => {
  it('says what the bar shows, part by part, with the remaining share', () => {
    const v = viewWith(4000, 3000, 1000);
    assert.equal(v.usage, 'Used 80%: approved 40%, pending 30%, reserved 10%; 20% remaining');
    assert.equal(v.barStyle, 'good');
    assert.deepEqual([v.usedWidth, v.freeWidth], [80, 20]);
  });

  it('turns amber above 80 % and red above 100 %', () => {
    assert.equal(viewWith(8100, 0, 0).barStyle, 'warning');
    const over = viewWith(9000, 2000, 0);
    assert.equal(over.barStyle, 'attention');
    assert.match(over.usage, /^Used 110%.*; 0% remaining$/);
    assert.deepEqual([over.usedWidth, over.freeWidth], [100, 0]);
  });

  it('in Dutch too', () => {
    assert.match(viewWith(4000, 3000, 1000, 'nl-NL').usage, /^80% gebruikt: goedgekeurd 40%/);
  });
});
