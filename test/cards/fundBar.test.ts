import assert from 'node:assert/strict';
import { AdaptiveCard, FundTotalsView, renderClaimsOverview, renderFunds } from '../../cards';
import { fundView } from '../../src/bot/flows/overview';
import { ledgerKey, totalsFrom } from '../../src/domain/fund';
import { texts } from '../../src/i18n/i18n';
import { cardText } from '../support/teams';
import { fundViewWith, usdFund } from './fixtures';

const fund = usdFund('Events fund', '10000');

/** The fund's view with these sums (dollars) approved, pending and reserved. */
const viewWith = (approved: number, pending: number, reserved: number, locale = 'en-US') =>
  fundViewWith(fund, { approved, pending, reserved }, locale);

const en = texts('en-US');
const fundsCard = (v: FundTotalsView): AdaptiveCard =>
  renderFunds({
    t: en.messages.funds,
    labels: en.messages.overview,
    notice: null,
    funds: [v],
    canManage: false,
    formId: 'form-1',
    values: {},
  });
const overviewCard = (v: FundTotalsView): AdaptiveCard =>
  renderClaimsOverview({
    t: en.messages.overview,
    claims: [],
    funds: [v],
    next: null,
    canCreate: false,
  });

/** The fund bar's columns, as [width, style]: the columns of the card's only ColumnSet of 12 px. */
function barColumns(card: AdaptiveCard): [number, string][] {
  const found: [number, string][] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const n = node as Record<string, unknown>;
    if (n.type === 'Column' && n.minHeight === '12px')
      found.push([Number(n.width), String(n.style)]);
    Object.values(n).forEach(walk);
  };
  walk(card);
  return found;
}

describe("cards: a fund's use as a labelled bar (issue 29)", () => {
  it('labels each part of the bar with its amount and share, under a caption of the whole', () => {
    const v = viewWith(4000, 3000, 1000);
    assert.equal(v.usage, 'Used 80% of $10,000.00');
    assert.deepEqual(
      [v.approved, v.pending, v.reserved, v.remaining, v.allocated],
      ['$4,000.00 · 40%', '$3,000.00 · 30%', '$1,000.00 · 10%', '$2,000.00 · 20%', '$10,000.00'],
    );
    assert.equal(v.paid, '', 'nothing paid: no Paid line');
    assert.equal(v.barStyle, 'good');
    assert.deepEqual(
      [v.approvedWidth, v.pendingWidth, v.reservedWidth, v.freeWidth],
      [40, 30, 10, 20],
    );
  });

  it('turns amber above 80 % and red above 100 %, the used parts then sharing the whole bar', () => {
    assert.equal(viewWith(8000, 0, 0).barStyle, 'good');
    assert.equal(viewWith(8100, 0, 0).barStyle, 'warning');
    const over = viewWith(9000, 2000, 0);
    assert.equal(over.barStyle, 'attention');
    assert.equal(over.usage, 'Used 110% of $10,000.00');
    assert.match(over.remaining, / · 0%$/);
    assert.deepEqual(
      [over.approvedWidth, over.pendingWidth, over.reservedWidth, over.freeWidth],
      [82, 18, 0, 0],
    );
  });

  it('what fund requests reserve is labelled only for those who see fund requests', () => {
    const fundsTotals = totalsFrom(fund, {
      [ledgerKey(fund.id, 'USD')]: {
        currency: 'USD',
        claimed: 0,
        approved: 0,
        pending: 0,
        reserved: 7_777_77,
      },
    });
    const hidden = fundView(texts('en-US'), fund, fundsTotals, false);
    assert.equal(hidden.reserved, '');
    assert.equal(hidden.reservedStyle, 'default', 'its part of the bar stays unfilled');
    const text = cardText(overviewCard(hidden));
    assert.doesNotMatch(text, /7,777\.77|Reserved by requests/);
    assert.match(text, /^Remaining: \$2,222\.23 · 22%$/m);
    assert.equal(fundView(texts('en-US'), fund, fundsTotals).reservedStyle, 'good');
  });

  it('in Dutch too', () => {
    const v = viewWith(4000, 3000, 1000, 'nl-NL');
    assert.match(v.usage, /^80% gebruikt van .*10\.000,00$/);
    assert.match(v.approved, /4\.000,00 · 40%$/);
  });

  it('the funds card and the overview draw the same bar: one part per column, the same labels', () => {
    const v = viewWith(4000, 3000, 1000);
    for (const card of [fundsCard(v), overviewCard(v)]) {
      const text = cardText(card);
      for (const line of [
        'Approved',
        'Pending',
        'Reserved by requests',
        'Remaining',
        'Allocated',
      ]) {
        assert.match(text, new RegExp(`^${line}: \\$`, 'm'), line);
      }
      assert.doesNotMatch(
        text,
        /^Claimed$/m,
        'claimed (approved + pending) is not a part of the bar',
      );
      assert.deepEqual(barColumns(card), [
        [40, 'good'],
        [30, 'good'],
        [10, 'good'],
        [20, 'emphasis'],
      ]);
    }
  });
});
