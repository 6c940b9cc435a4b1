import assert from 'node:assert/strict';
import { texts } from '../../src/i18n/i18n';
import { cardText } from '../support/teams';
import { LANGS, addMoneyFund, moneyTenant, moneyWorld, newClaim, say } from './moneyKit';

/** What each language types and reads. */
const TYPED = {
  'en-US': {
    edit: 'edit fund Half fund rate 50 cap 400',
    again: 'edit fund Half fund rate 50',
    tooMuch: 'edit fund Half fund rate 150',
    usage: 'edit fund Half fund',
    saved:
      'Half fund now pays 50% reimbursed, at most $400.00 per claim of the claims and fund requests made from now on',
    unchanged: 'Half fund already pays 50% reimbursed, at most $400.00 per claim: nothing changed.',
    since: 'was 100% reimbursed',
    change: 'changed 100% reimbursed → 50% reimbursed, at most $400.00 per claim',
    rateRange: 'Reimbursement rate must be more than 0 % and at most 100 %.',
    usageText: 'Type edit fund <name> rate <percent> cap <amount or none>',
  },
  'nl-NL': {
    edit: 'fonds wijzigen Half fund percentage 50 maximum 400',
    again: 'fonds wijzigen Half fund percentage 50',
    tooMuch: 'fonds wijzigen Half fund percentage 150',
    usage: 'fonds wijzigen Half fund',
    saved:
      'Half fund vergoedt nu 50% vergoed, hoogstens US$\u00a0400,00 per claim van de claims en fondsaanvragen die vanaf nu worden gemaakt',
    unchanged:
      'Half fund vergoedt al 50% vergoed, hoogstens US$\u00a0400,00 per claim: er is niets gewijzigd.',
    since: 'was 100% vergoed',
    change: 'wijzigde 100% vergoed → 50% vergoed, hoogstens US$\u00a0400,00 per claim',
    rateRange: 'Vergoedingspercentage moet meer dan 0 % en hoogstens 100 % zijn.',
    usageText: 'Typ fonds wijzigen <naam> percentage <procent> maximum <bedrag of geen>',
  },
} as const;

/**
 * Issue 32: `edit fund` changes a fund's Reimbursement rate and Cap per claim for the claims (and
 * fund requests) made from then on; those made before keep their terms; the change is kept in the
 * fund's history and shown on the funds card; only Incentives admins may make it.
 */
describe('bot: edit fund changes a fund’s rate and cap for future claims (issue 32)', () => {
  const world = moneyWorld();

  LANGS.forEach((lang, i) => {
    it(`${lang.locale}: claims made before keep their terms; those made after take the new ones; history shown`, async () => {
      const w = world();
      const t = await moneyTenant(w, lang, w.bootstrapAdmins[i]);
      const typed = TYPED[lang.locale];
      await addMoneyFund(w, t, { name: 'Half fund', allocated: '10000' });
      const before = await newClaim(w, t, 'Made before', lang.typed('1000'));

      const refused = await say(w, t, t.olga, typed.edit);
      const notAllowed = texts(lang.locale).t('errors.NOT_ALLOWED');
      assert.ok(`${refused.text} ${cardText(refused.card)}`.includes(notAllowed), refused.text);
      const [unchanged] = await w.app.services.funds.list(t.tenant.id);
      assert.equal(unchanged.reimbursementRate, undefined, 'an incentives user changes nothing');

      const wrong = await say(w, t, t.admin, typed.tooMuch);
      assert.ok(cardText(wrong.card).includes(typed.rateRange), cardText(wrong.card));
      const usage = await say(w, t, t.admin, typed.usage);
      assert.ok(usage.text.includes(typed.usageText), usage.text);

      const saved = await say(w, t, t.admin, typed.edit);
      const shown = cardText(saved.card);
      assert.ok(shown.includes(typed.saved), shown);
      assert.ok(shown.includes(typed.change), 'the change in the history');
      assert.ok(shown.includes(typed.since), 'the fund’s line says what it was');
      const again = await say(w, t, t.admin, typed.again);
      assert.ok(cardText(again.card).includes(typed.unchanged), cardText(again.card));

      const [fund] = await w.app.services.funds.list(t.tenant.id);
      assert.deepEqual(
        { rate: fund.reimbursementRate, cap: fund.capPerClaim, changes: fund.termsChanges?.length },
        { rate: 5000, cap: { minor: 400_00, currency: 'USD' }, changes: 1 },
      );
      const after = await newClaim(w, t, 'Made after', lang.typed('1000'));
      const stored = async (n: string) => (await w.app.services.claims.get(t.tenant.id, n))?.terms;
      assert.deepEqual(await stored(before.number), { currency: 'USD', rate: 10_000 });
      assert.deepEqual(await stored(after.number), {
        currency: 'USD',
        rate: 5000,
        capPerClaim: { minor: 400_00, currency: 'USD' },
      });
    });
  });
});
