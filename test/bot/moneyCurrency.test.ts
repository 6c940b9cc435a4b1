import assert from 'node:assert/strict';
import { factAmount, factValue } from '../support/teams';
import { LANGS, addMoneyFund, clickIn, moneyTenant, moneyWorld, newClaim, say } from './moneyKit';
import { seedReady } from './world';

/** A claim in EUR on a USD fund, in each language. */
const FX: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'en-US': {
    currency: "Currency (empty: the fund's)",
    edit: 'Edit information',
    rate: 'Exchange rate: 1 EUR in USD (when the claim is not in USD)',
    typedRate: '1.0842',
    eur: '€1,000.00',
    unknown: 'Known once the exchange rate is entered',
    missing: "An exchange rate from EUR to USD, the fund's currency (Edit information)",
    fact: 'Exchange rate',
    line: '1 EUR = 1.0842 USD on ',
    submit: 'Submit claim',
  },
  'nl-NL': {
    currency: 'Valuta (leeg: die van het fonds)',
    edit: 'Gegevens bewerken',
    rate: 'Wisselkoers: 1 EUR in USD (als de claim niet in USD is)',
    typedRate: '1,0842',
    eur: '€\u00a01.000,00',
    unknown: 'Bekend zodra de wisselkoers is ingevuld',
    missing: 'Een wisselkoers van EUR naar USD, de valuta van het fonds (Gegevens bewerken)',
    fact: 'Wisselkoers',
    line: '1 EUR = 1,0842 USD op ',
    submit: 'Claim indienen',
  },
};

describe('bot: a claim in another currency than its fund needs an exchange rate at submit (issue 32)', () => {
  const world = moneyWorld();

  LANGS.forEach((lang, i) => {
    it(`${lang.locale}: EUR on a USD fund — the rate is recorded with its day and who entered it; totals in USD`, async () => {
      const w = world();
      const t = await moneyTenant(w, lang, w.bootstrapAdmins[i]);
      const x = FX[lang.locale];
      const { labels: l, typed, usd } = lang;
      await addMoneyFund(w, t, { name: 'Dollar fund', allocated: '10000' });
      const { card, number } = await newClaim(w, t, 'Munich roadshow', typed('1000'), {
        [x.currency]: 'eur',
      });
      assert.equal(factValue(card.card, l.claimedCost), x.eur);
      assert.equal(factValue(card.card, l.reimbursable), x.unknown);

      await seedReady(w, t.olga, number);
      const ready = await say(w, t, t.olga, `claim ${number}`);
      const refused = await clickIn(w, t, t.olga, ready, x.submit);
      assert.ok(refused.text.includes(x.missing), refused.text);
      assert.equal((await w.app.services.claims.get(t.tenant.id, number))?.status, 'editing');

      const rated = await clickIn(w, t, t.olga, refused, x.edit, { [x.rate]: x.typedRate });
      assert.ok(factValue(rated.card, x.fact)?.startsWith(x.line), factValue(rated.card, x.fact));
      assert.ok(factValue(rated.card, x.fact)?.endsWith(t.olga.name));
      assert.equal(factValue(rated.card, l.claimedCost), x.eur, 'the claimed cost stays in EUR');
      assert.equal(factValue(rated.card, l.reimbursable), usd('1084.20'));
      const stored = await w.app.services.claims.get(t.tenant.id, number);
      assert.deepEqual(
        {
          scaled: stored?.exchange?.scaled,
          by: stored?.exchange?.by.id,
          day: stored?.exchange?.date,
        },
        { scaled: 1_084_200, by: t.olga.aadObjectId, day: new Date().toISOString().slice(0, 10) },
      );

      const submitted = await clickIn(w, t, t.olga, rated, x.submit);
      assert.equal(submitted.invokeStatus, 200);
      assert.equal((await w.app.services.claims.get(t.tenant.id, number))?.status, 'submitted');
      await w.app.notifications.idle();
      const funds = await say(w, t, t.admin, 'funds');
      assert.equal(factAmount(funds.card, l.pending), usd('1084.20'), 'the fund holds dollars');

      await w.teams.invoke(t.rita, t.rita.personal, 'startReview', { claim: number });
      const review = await say(w, t, t.rita, `claim ${number}`);
      const approved = await clickIn(w, t, t.rita, review, l.approve);
      assert.equal(factValue(approved.card, l.approved), usd('1084.20'));
      await w.app.notifications.idle();
      const after = await say(w, t, t.admin, 'funds');
      assert.equal(factAmount(after.card, l.approved), usd('1084.20'));
      assert.equal(factAmount(after.card, l.remaining), usd('8915.80'));
    });
  });
});
