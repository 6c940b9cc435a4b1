import assert from 'node:assert/strict';
import { ledgerKey, totalsFrom } from '../../src/domain/fund';
import { texts } from '../../src/i18n/i18n';
import { factValue } from '../support/teams';
import { LANGS, MoneyTenant, addMoneyFund, moneyTenant, moneyWorld } from './moneyKit';
import { World, day } from './world';

/** The request card's fact of what it reserves, in each language. */
const RESERVES = {
  'en-US': 'Reimbursable amount (what it reserves)',
  'nl-NL': 'Vergoedbaar bedrag (wat het reserveert)',
};

/**
 * Issue 32: a fund request reserves the fund's reimbursable share of its planned cost (the rate,
 * then the cap per claim, as a claim's), not the planned cost; a request stored before keeps what
 * it reserved, and gives back exactly that.
 */
describe('bot: fund requests reserve the fund’s reimbursable share (issue 32)', () => {
  const world = moneyWorld();

  /** Olga asks for `planned` (typed in the locale) from the fund; the request's number. */
  async function request(w: World, t: MoneyTenant, fundId: string, planned: string) {
    const sent = await w.teams.invoke(
      t.olga,
      t.olga.personal,
      'createFundRequest',
      {
        formId: `form-${Math.random()}`.replace('.', ''),
        activity: `Roadshow ${planned}`,
        activityType: 'event',
        plannedStart: day(5),
        plannedEnd: day(6),
        plannedAmount: t.lang.typed(planned),
        fundId,
      },
      undefined,
      { locale: t.lang.locale },
    );
    const number = /REQ-\d{4}/.exec(sent.text)?.[0];
    assert.ok(number, sent.text);
    return number;
  }
  const decide = (w: World, t: MoneyTenant, verb: string, number: string) =>
    w.teams.invoke(
      t.pat,
      t.pat.personal,
      verb,
      { request: number, reason: 'Cancelled' },
      undefined,
      {
        locale: t.lang.locale,
      },
    );
  const reservedOn = async (w: World, t: MoneyTenant) => {
    const [fund] = await w.app.services.funds.list(t.tenant.id);
    const ledger = await w.app.services.claims.fundLedger(t.tenant.id);
    return {
      reserved: ledger[ledgerKey(fund.id, 'USD')]?.reserved ?? 0,
      remaining: totalsFrom(fund, ledger).remaining.minor,
    };
  };

  LANGS.forEach((lang, i) => {
    it(`${lang.locale}: 50 % with a cap: a request reserves its share, shown on its card; withdrawn, it gives that back`, async () => {
      const w = world();
      const t = await moneyTenant(w, lang, w.bootstrapAdmins[i]);
      const say = texts(lang.locale);
      await addMoneyFund(w, t, { name: 'Half fund', allocated: '10000', rate: '50', cap: '1200' });
      const [fund] = await w.app.services.funds.list(t.tenant.id);

      const half = await request(w, t, fund.id, '2000');
      const approved = await decide(w, t, 'approveRequest', half);
      const share = say.money({ minor: 1000_00, currency: 'USD' });
      assert.ok(approved.text.includes(share), approved.text);
      assert.equal(factValue(approved.card, RESERVES[lang.locale]), share);
      assert.deepEqual(await reservedOn(w, t), { reserved: 1000_00, remaining: 9000_00 });

      const capped = await request(w, t, fund.id, '3000');
      await decide(w, t, 'approveRequest', capped);
      assert.deepEqual(await reservedOn(w, t), { reserved: 2200_00, remaining: 7800_00 });

      const withdrawn = await decide(w, t, 'withdrawRequest', capped);
      assert.ok(withdrawn.text.includes(say.money({ minor: 1200_00, currency: 'USD' })));
      assert.deepEqual(await reservedOn(w, t), { reserved: 1000_00, remaining: 9000_00 });
    });
  });

  it('a request stored before shares were reserved keeps reserving its planned amount', async () => {
    const w = world();
    const t = await moneyTenant(w, LANGS[0], w.bootstrapAdmins[0]);
    await addMoneyFund(w, t, { name: 'Half fund', allocated: '10000', rate: '50' });
    const [fund] = await w.app.services.funds.list(t.tenant.id);
    const number = await request(w, t, fund.id, '2000');
    // As stored before: no share of its own.
    await w.app.services.fundRequests.update(t.tenant.id, number, 'as-before', (r) => {
      const { reserves: _reserves, ...before } = r;
      return before;
    });
    const approved = await decide(w, t, 'approveRequest', number);
    assert.equal(factValue(approved.card, RESERVES['en-US']), '$2,000.00');
    assert.deepEqual(await reservedOn(w, t), { reserved: 2000_00, remaining: 8000_00 });
    await decide(w, t, 'withdrawRequest', number);
    assert.deepEqual(await reservedOn(w, t), { reserved: 0, remaining: 10000_00 });
  });
});
