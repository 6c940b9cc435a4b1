import assert from 'node:assert/strict';
import { Workbook } from 'exceljs';
import fc from 'fast-check';
import { PAYMENT_METHODS } from '../../src/domain/claim';
import { Fund, LedgerEntry, ledgerOf, postEntry, totalsFrom } from '../../src/domain/fund';
import {
  FundRequest,
  REQUEST_STATUSES,
  RequestStatus,
  newFundRequest,
  reservationsOf,
} from '../../src/domain/fundRequest';
import { money } from '../../src/domain/money';
import { FULL_RATE, reimbursable, reimbursableOf } from '../../src/domain/reimbursement';
import { CLAIM_STATUSES, CLAIMED_STATUSES } from '../../src/domain/status';
import type { ClaimSummary } from '../../src/store/claims';
import { writeFundWorkbook } from '../../src/exports/fundWorkbook';
import { writePaymentWorkbook } from '../../src/exports/paymentWorkbook';
import { exportCapture } from '../../testkit/exportCapture';
import { actor } from './contract/claimFixtures';

const FUND: Fund = {
  id: 'fund-1',
  tenantId: 't',
  name: 'Half fund',
  periodStart: '2027-01-01',
  periodEnd: '2027-12-31',
  allocated: money(1_000_000_000_00, 'USD'),
  reimbursementRate: 5_000,
  createdBy: { id: 'a', name: 'Ada' },
  createdAt: '2027-01-01T00:00:00.000Z',
};
const BY = { id: 'p', name: 'Pat' };

/** The fund's own money rules for one run: the requests' shares follow them. */
const termsArb = fc.record({
  rate: fc.integer({ min: 1, max: FULL_RATE }),
  cap: fc.option(fc.integer({ min: 1, max: 800_000 }), { nil: undefined }),
});

/**
 * One random fund request on `fund`, made as the bot makes it (newFundRequest: its share of the fund
 * reserved), in any status; `before`: stored before shares were, reserving its planned amount.
 */
interface Asked {
  readonly minor: number;
  readonly status: RequestStatus;
  readonly before: boolean;
}
const requestArb: fc.Arbitrary<Asked> = fc.record({
  minor: fc.integer({ min: 1, max: 1_000_000 }),
  status: fc.constantFrom(...REQUEST_STATUSES),
  before: fc.boolean(),
});
function requestOn(fund: Fund, r: Asked, i: number): FundRequest {
  const made = newFundRequest({
    actor: actor(fund.tenantId, 'olga'),
    seq: i + 1,
    formId: `form-${i}`,
    input: {
      activity: `Roadshow ${i}`,
      activityType: 'event',
      plannedStart: '2027-03-01',
      plannedEnd: '2027-03-02',
      plannedAmount: (r.minor / 100).toFixed(2),
      fundId: fund.id,
    },
    fund,
    locale: 'en-US',
    now: '2027-01-01T00:00:00.000Z',
    admins: [],
  });
  const { reserves: _reserves, ...stored } = made;
  return { ...(r.before ? stored : made), status: r.status };
}

/** One random claim of the fund, as lists read it: any status, currency, rate, cap and payments. */
const claimArb = (seq: number) =>
  fc
    .record({
      status: fc.constantFrom(...CLAIM_STATUSES),
      minor: fc.integer({ min: 1, max: 5_000_000 }),
      eur: fc.boolean(),
      scaled: fc.integer({ min: 500_000, max: 2_000_000 }),
      rate: fc.integer({ min: 1, max: FULL_RATE }),
      cap: fc.option(fc.integer({ min: 1, max: 3_000_000 }), { nil: undefined }),
      approvedShare: fc.integer({ min: 0, max: 100 }),
      paidShares: fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 4 }),
    })
    .map((r): ClaimSummary => {
      const terms = {
        currency: 'USD',
        rate: r.rate,
        ...(r.cap ? { capPerClaim: money(r.cap, 'USD') } : {}),
      };
      const base = {
        number: `CLM-${String(seq).padStart(4, '0')}`,
        seq,
        title: `Claim ${seq}`,
        status: r.status,
        amount: money(r.minor, r.eur ? 'EUR' : 'USD'),
        terms,
        ...(r.eur
          ? {
              exchange: {
                from: 'EUR',
                to: 'USD',
                scaled: r.scaled,
                date: '2027-02-01',
                by: BY,
                at: '2027-02-01T00:00:00.000Z',
              },
            }
          : {}),
        fundId: FUND.id,
        ownerName: 'Olga',
      };
      const due = reimbursableOf(base)?.minor ?? 0;
      if (!['approved', 'paid', 'disputed', 'rejected'].includes(r.status)) return base;
      const approved = Math.floor((due * r.approvedShare) / 100);
      let left = r.status === 'paid' ? approved : Math.floor(approved / 2);
      // A Paid claim was paid in full: by its payments, at least one.
      const shares = r.status === 'paid' && !r.paidShares.length ? [100] : r.paidShares;
      const payments = ['approved', 'paid'].includes(r.status)
        ? shares.map((share, i) => {
            const part =
              i === shares.length - 1 && r.status === 'paid'
                ? left
                : Math.min(left, Math.floor((approved * share) / 100));
            left -= part;
            return {
              method: PAYMENT_METHODS[i % PAYMENT_METHODS.length],
              amount: money(part, 'USD'),
              date: '2027-03-01',
              reference: `PAY-${seq}-${i}`,
              by: BY,
              at: '2027-03-01T00:00:00.000Z',
            };
          })
        : [];
      return {
        ...base,
        approvedAmount: money(approved, 'USD'),
        payments: payments.filter((p) => p.amount.minor > 0),
      };
    });

async function rowsOf(bytes: Buffer | undefined, sheetName: string): Promise<unknown[][]> {
  assert.ok(bytes);
  const book = new Workbook();
  await book.xlsx.load(bytes as unknown as ArrayBuffer);
  const rows: unknown[][] = [];
  book
    .getWorksheet(sheetName)
    ?.eachRow((row) => rows.push(Array.from(row.values as unknown[]).slice(1)));
  return rows;
}

async function* each<T>(items: readonly T[]): AsyncIterable<T> {
  yield* items;
}

/** Minor units of a workbook's major-unit value (two decimals for USD). */
const minor = (value: unknown): number => Math.round(Number(value ?? 0) * 100);

const SUMMARY_COLUMNS = {
  label: 'Activity type',
  approved: 'Approved',
  pending: 'Pending',
  pipeline: 'Pipeline',
  revenue: 'Revenue won',
  returnPipeline: 'Pipeline per approved',
  returnRevenue: 'Revenue per approved',
};

describe('store: claims, funds, the ledger and both XLSX exports agree for 1,000 random claims and requests (issue 32)', () => {
  it('totals are the sums of the rows; allocated − approved − pending − reserved = remaining', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.tuple(...Array.from({ length: 1_000 }, (_, i) => claimArb(i + 1))),
        termsArb,
        fc.array(requestArb, { minLength: 1, maxLength: 50 }),
        agree,
      ),
      { numRuns: 3 },
    );
  });
});

/**
 * The ledger, the funds totals and both workbooks of these claims and of requests on a fund with
 * these terms agree; approved requests reserve their share (rate, then cap) or, stored before
 * shares were, their planned amount.
 */
async function agree(
  claims: readonly ClaimSummary[],
  terms: { rate: number; cap?: number },
  asked: readonly Asked[],
): Promise<void> {
  const fund: Fund = {
    ...FUND,
    reimbursementRate: terms.rate,
    ...(terms.cap ? { capPerClaim: money(terms.cap, 'USD') } : {}),
  };
  const requests = asked.map((r, i) => requestOn(fund, r, i));
  const reservations: LedgerEntry[] = reservationsOf(requests);
  const ledger = reservations.reduce(postEntry, ledgerOf(claims));
  const totals = totalsFrom(fund, ledger);
  const share = (minor: number) =>
    reimbursable(money(minor, 'USD'), {
      rate: terms.rate,
      ...(terms.cap ? { capPerClaim: money(terms.cap, 'USD') } : {}),
    }).minor;
  const reserved = asked
    .filter((r) => r.status === 'approved')
    .reduce((sum, r) => sum + (r.before ? r.minor : share(r.minor)), 0);
  const { store, saved } = exportCapture();
  const texts = {
    sheet: 'Claims',
    columns: {
      number: 'Claim',
      title: 'Title',
      owner: 'Owner',
      status: 'Status',
      claimed: 'Claimed',
      approved: 'Approved',
      paid: 'Paid',
      leads: 'Leads',
      opportunities: 'Opportunities',
      pipeline: 'Pipeline',
      revenue: 'Revenue won',
    },
    status: (s: string) => s,
    totals: 'Total',
    allocated: 'Allocated',
    pending: 'Pending',
    reserved: 'Reserved by requests',
    remaining: 'Remaining',
    leftOut: 'left out',
  };
  const listed = await writeFundWorkbook({
    store,
    blobName: 'fund',
    fileName: 'f.xlsx',
    fund,
    totals,
    claims: each(claims),
    texts,
    results: new Map(),
    summary: { sheet: 'Summary', columns: SUMMARY_COLUMNS, rows: [] },
  });
  assert.equal(listed, 1_000);
  const rows = await rowsOf(saved.get('fund'), 'Claims');
  const claimRows = rows.slice(1, 1 + listed);
  const sum = (pick: (r: unknown[]) => unknown, only = (_: unknown[]) => true) =>
    claimRows.filter(only).reduce((s, r) => s + minor(pick(r)), 0);
  const claimedRow = (r: unknown[]) => (CLAIMED_STATUSES as readonly unknown[]).includes(r[3]);
  const byLabel = new Map(rows.slice(1 + listed).map((r) => [r[0], r]));
  const total = byLabel.get('Total') as unknown[];
  assert.equal(
    minor(total[4]),
    sum((r) => r[4], claimedRow),
    'claimed = the claimed rows',
  );
  assert.equal(minor(total[4]), totals.claimed.minor);
  assert.equal(
    minor(total[5]),
    sum((r) => r[5]),
    'approved = its column',
  );
  assert.equal(minor(total[5]), totals.approved.minor);
  assert.equal(
    minor(total[6]),
    sum((r) => r[6]),
    'paid = its column',
  );
  assert.equal(minor(total[6]), totals.paid.minor);
  const named = (label: string) => minor((byLabel.get(label) as unknown[])[4]);
  assert.equal(named('Reserved by requests'), reserved, 'what the approved requests reserve');
  assert.equal(totals.reserved.minor, reserved);
  assert.equal(
    named('Allocated') - minor(total[5]) - named('Pending') - named('Reserved by requests'),
    named('Remaining'),
    'allocated − approved − pending − reserved = remaining',
  );

  await paymentsAgree(claims, totals.paid.minor);
}

/** The payments workbook: its total and subtotals are the sums of its rows, and the fund's Paid. */
async function paymentsAgree(claims: readonly ClaimSummary[], fundPaid: number): Promise<void> {
  const { store, saved } = exportCapture();
  const payments = await writePaymentWorkbook({
    store,
    blobName: 'payments',
    fileName: 'p.xlsx',
    fund: FUND,
    claims: each(claims),
    texts: {
      sheet: 'Payments',
      columns: {
        number: 'Claim',
        title: 'Title',
        owner: 'Owner',
        method: 'Method',
        amount: 'Amount',
        date: 'Date',
        reference: 'Reference',
        recordedBy: 'By',
      },
      method: (m) => m,
      total: 'Total',
    },
  });
  const paymentRows = await rowsOf(saved.get('payments'), 'Payments');
  const paid = paymentRows.slice(1, 1 + payments).reduce((s, r) => s + minor(r[4]), 0);
  const paymentTotal = paymentRows[1 + payments];
  assert.equal(paymentTotal[0], 'Total');
  assert.equal(minor(paymentTotal[4]), paid, 'the payments total = the sum of its rows');
  assert.equal(paid, fundPaid, 'and the funds card Paid');
  const perMethod = paymentRows.slice(2 + payments).reduce((s, r) => s + minor(r[4]), 0);
  assert.equal(perMethod, paid, 'the subtotals per method add up to it too');
}
