import assert from 'node:assert/strict';
import { Workbook } from 'exceljs';
import { exportCapture } from '../../testkit/exportCapture';
import { cardText, factValue } from '../support/teams';
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
import { day } from './world';

/** What Record payment and its answers say, in each language. */
const PAY: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'en-US': {
    record: 'Record payment',
    method: 'Payment method',
    amount: 'Amount paid',
    date: 'Payment date',
    reference: 'Payment reference',
    creditMemo: 'Credit memo',
    bankTransfer: 'Bank transfer',
    partly: 'Partly paid',
    partlyLine: '$400.00 of $1,000.00 paid, $600.00 still owed',
    over: 'That is more than is still owed on this claim: $600.00. Nothing was recorded.',
    paidStatus: 'Paid',
    approvedStatus: 'Approved',
    paid: 'Paid',
    sheet: 'Payments',
    header:
      'Claim,Title,Owner,Payment method,Amount paid,Payment date,Payment reference,Recorded by',
  },
  'nl-NL': {
    record: 'Betaling vastleggen',
    method: 'Betaalmethode',
    amount: 'Betaald bedrag',
    date: 'Betaaldatum',
    reference: 'Betalingskenmerk',
    creditMemo: 'Creditnota',
    bankTransfer: 'Bankoverschrijving',
    partly: 'Deels betaald',
    partlyLine: 'US$\u00a0400,00 van US$\u00a01.000,00 betaald, nog US$\u00a0600,00 open',
    over: 'Dat is meer dan er nog openstaat op deze claim: US$\u00a0600,00. Er is niets vastgelegd.',
    paidStatus: 'Betaald',
    approvedStatus: 'Goedgekeurd',
    paid: 'Betaald',
    sheet: 'Betalingen',
    header:
      'Claim,Titel,Eigenaar,Betaalmethode,Betaald bedrag,Betaaldatum,Betalingskenmerk,Vastgelegd door',
  },
};

describe('bot: payments add up — Partly paid, then Paid; no more than owed; export payments (issue 32)', () => {
  /** The workbooks the app exported, by blob name: read back without Blob storage. */
  const { store: exportsPort, saved: exported } = exportCapture();
  const world = moneyWorld({ app: { ports: { exports: exportsPort } } });

  LANGS.forEach((lang, i) => {
    it(`${lang.locale}: a credit memo, an overpayment refused, a bank transfer, then the payments workbook`, async () => {
      const w = world();
      const t = await moneyTenant(w, lang, w.bootstrapAdmins[i]);
      const p = PAY[lang.locale];
      const { labels: l, typed, usd } = lang;
      await addMoneyFund(w, t, { name: 'Full fund', allocated: '10000' });
      const { number } = await newClaim(w, t, 'Paid in two parts', typed('1000'));
      const started = await inReview(w, t, number);
      assert.equal(
        factValue((await clickIn(w, t, t.rita, started, l.approve)).card, l.status),
        p.approvedStatus,
      );

      const card = await say(w, t, t.pat, `claim ${number}`);
      const first = await clickIn(w, t, t.pat, card, p.record, {
        [p.method]: p.creditMemo,
        [p.amount]: typed('400'),
        [p.date]: day(-2),
        [p.reference]: 'CM-2027-7',
      });
      assert.equal(factValue(first.card, l.status), p.approvedStatus, 'still Approved');
      assert.equal(factValue(first.card, p.partly), p.partlyLine);
      assert.ok(factValue(first.card, p.paid)?.includes(p.creditMemo));
      const list = await say(w, t, t.olga, 'claims');
      assert.ok(
        cardText(list.card).includes(`${p.approvedStatus} · ${p.partly}`),
        cardText(list.card),
      );

      const over = await clickIn(w, t, t.pat, first, p.record, {
        [p.method]: p.bankTransfer,
        [p.amount]: typed('700'),
        [p.date]: day(-1),
        [p.reference]: 'BT-TOO-MUCH',
      });
      assert.ok(over.text.includes(p.over), over.text);
      const stored = await w.app.services.claims.get(t.tenant.id, number);
      assert.equal(stored?.payments?.length, 1, 'nothing recorded');

      // The form offers what is still owed.
      const rest = await clickIn(w, t, t.pat, first, p.record, {
        [p.method]: p.bankTransfer,
        [p.date]: day(-1),
        [p.reference]: 'BT-2027-19',
      });
      assert.equal(factValue(rest.card, l.status), p.paidStatus);
      assert.equal(factValue(rest.card, p.partly), undefined);
      await w.app.notifications.idle();
      const funds = await say(w, t, t.admin, 'funds');
      assert.equal(factValue(funds.card, p.paid), usd('1000'));

      const exportCard = await say(w, t, t.admin, 'export payments full FUND');
      assert.equal(factValue(exportCard.card, p.sheet), '2');
      assert.equal(factValue(exportCard.card, p.paid), usd('1000'));
      const blob = [...exported.keys()].find((k) => k.startsWith(`${t.tenant.id}/`));
      assert.ok(blob, 'the workbook was saved');
      const book = new Workbook();
      await book.xlsx.load(exported.get(blob) as unknown as ArrayBuffer);
      const sheet = book.getWorksheet(p.sheet);
      assert.ok(sheet);
      const rows: unknown[][] = [];
      sheet.eachRow((row) => rows.push(Array.from(row.values as unknown[]).slice(1)));
      assert.equal(rows[0].join(','), p.header);
      const payments = rows.slice(1, 3);
      assert.deepEqual(
        payments.map((r) => [r[0], r[3], r[4], r[6]]),
        [
          [number, p.creditMemo, 400, 'CM-2027-7'],
          [number, p.bankTransfer, 600, 'BT-2027-19'],
        ],
      );
      const total = rows[3];
      assert.equal(total[4], 1000, 'the total is the sum of the rows');
      assert.equal(
        total[4],
        payments.reduce((sum, r) => sum + Number(r[4]), 0),
      );
      assert.deepEqual(
        rows.slice(4).map((r) => [r[3], r[4]]),
        [
          [p.creditMemo, 400],
          [p.bankTransfer, 600],
        ],
        'a subtotal per payment method',
      );
      const olgas = await say(w, t, t.olga, `export payments Full fund`);
      assert.doesNotMatch(olgas.text, /exports\.test/, 'an owner gets no payments export');
    });
  });
});
