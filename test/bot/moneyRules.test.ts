import assert from 'node:assert/strict';
import { cardText, factAmount, factValue } from '../support/teams';
import {
  LANGS,
  addMoneyFund,
  clickIn,
  inReview,
  moneyTenant,
  moneyWorld,
  newClaim,
  say,
} from './moneyKit';

describe('bot: a fund pays a rate of each claim up to a cap; approving less needs a reason (issue 32)', () => {
  const world = moneyWorld();

  LANGS.forEach((lang, i) => {
    it(`${lang.locale}: 50 % and a cap shape the reimbursable amount, the fund's sums and the approval`, async () => {
      const w = world();
      const t = await moneyTenant(w, lang, w.bootstrapAdmins[i]);
      const { labels: l, says, usd, typed } = lang;

      const wrong = await addMoneyFund(w, t, {
        name: 'Too generous',
        allocated: '100',
        rate: '150',
      });
      assert.ok(wrong.text.includes(says.rateRange), wrong.text);
      const funds = await addMoneyFund(w, t, {
        name: 'Half fund',
        allocated: '10000',
        rate: '50',
        cap: '400',
      });
      assert.ok(cardText(funds.card).includes(says.terms), cardText(funds.card));
      const [fund] = await w.app.services.funds.list(t.tenant.id);
      assert.deepEqual(
        { rate: fund.reimbursementRate, cap: fund.capPerClaim },
        { rate: 5000, cap: { minor: 400_00, currency: 'USD' } },
      );

      const small = await newClaim(w, t, 'Half of it', typed('600'));
      assert.equal(factValue(small.card.card, l.claimedCost), usd('600'));
      assert.equal(factValue(small.card.card, l.reimbursable), says.rateOf);
      const big = await newClaim(w, t, 'Capped', typed('1250'));
      assert.equal(factValue(big.card.card, l.claimedCost), usd('1250'));
      assert.equal(factValue(big.card.card, l.reimbursable), says.capped);

      const smallCard = await inReview(w, t, small.number);
      const bigCard = await inReview(w, t, big.number);
      await w.app.notifications.idle();
      let sums = await say(w, t, t.admin, 'funds');
      assert.equal(factAmount(sums.card, l.pending), usd('700'), 'the fund holds 300 + 400');

      // Approve offers the reimbursable amount; less needs a reason, more is refused.
      const noReason = await clickIn(w, t, t.rita, smallCard, l.approve, {
        [l.approvedAmount]: typed('250'),
      });
      assert.ok(noReason.text.includes(says.reasonRequired), noReason.text);
      assert.equal(factValue(noReason.card, l.status), says.underReview);
      const over = await clickIn(w, t, t.rita, smallCard, l.approve, {
        [l.approvedAmount]: typed('300.01'),
      });
      assert.ok(over.text.includes(says.overReimbursable), over.text);
      const reason = 'The printed flyers are not eligible';
      const approved = await clickIn(w, t, t.rita, smallCard, l.approve, {
        [l.approvedAmount]: typed('250'),
        [l.reason]: reason,
      });
      assert.equal(factValue(approved.card, l.status), says.approvedStatus);
      assert.equal(factValue(approved.card, l.reasonFact), reason);
      const whole = await clickIn(w, t, t.rita, bigCard, l.approve);
      assert.equal(factValue(whole.card, l.approved), usd('400'), 'the prefilled amount');
      assert.equal(factValue(whole.card, l.reasonFact), undefined, 'no reason for all of it');

      const owners = await say(w, t, t.olga, `claim ${small.number}`);
      assert.equal(factValue(owners.card, l.reasonFact), reason, 'the owner reads the reason');
      const history = await say(w, t, t.olga, `history ${small.number}`);
      assert.ok(cardText(history.card).includes(reason), 'history keeps the reason');
      const stored = await w.app.services.claims.get(t.tenant.id, small.number);
      assert.equal(stored?.approvalReason, reason);
      assert.equal(stored?.history.at(-1)?.item, reason, "history.csv's item column");

      await w.app.notifications.idle();
      sums = await say(w, t, t.admin, 'funds');
      assert.equal(factAmount(sums.card, l.approved), usd('650'));
      assert.equal(factAmount(sums.card, l.pending), usd('0'));
      assert.equal(factAmount(sums.card, l.remaining), usd('9350'));
    });
  });
});
