import assert from 'node:assert/strict';
import {
  ACTIVITY_TYPES,
  ActivityType,
  Claim,
  MetricKind,
  createClaim,
} from '../../src/domain/claim';
import type { Fund } from '../../src/domain/fund';
import { money } from '../../src/domain/money';
import { CLAIM_STATUSES, ClaimStatus } from '../../src/domain/status';
import type { TeamsUser, Tenant } from '../support/teams';
import { Node, ofType } from './cardNodes';
import { World, actorOf, startWorld } from './world';

/**
 * The independent check of issue 33: 1,000 random claims (random funds, types, statuses, amounts and
 * results, each changed twice, so the running sums see moves between funds, types and statuses) are
 * filed in the store; their figures are computed here from the claims themselves, with nothing of
 * the app's sums, and compared with what `insights` shows.
 */
const CLAIMS = 1000;
const DAY = 86_400_000;

/** A small seeded generator (mulberry32): the same claims every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('bot: insights against an independent count of 1,000 random claims (issue 33)', function () {
  this.timeout(120_000);
  let w: World;
  let tenant: Tenant;
  let admin: TeamsUser;
  let owner: TeamsUser;
  const funds: Fund[] = [];
  const numbers: string[] = [];
  const next = random(33);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];
  const today = new Date().toISOString().slice(0, 10);

  const fund = (id: string, name: string, currency: string): Fund => ({
    id,
    tenantId: tenant.id,
    name,
    periodStart: '2026-01-01',
    periodEnd: '2027-12-31',
    allocated: money(1_000_000_000_00, currency),
    createdBy: { id: 'setup', name: 'Setup' },
    createdAt: new Date().toISOString(),
  });

  /** A random state of a claim, in its fund's currency (moves only between funds of one currency). */
  function randomly(c: Claim): Claim {
    const currency = c.amount.currency;
    const inCurrency = funds.filter((f) => f.allocated.currency === currency);
    const status = pick(CLAIM_STATUSES);
    const amount = 1 + Math.floor(next() * 5_000_00);
    const results = (['leads', 'opportunities', 'pipeline', 'revenue'] as MetricKind[]).filter(
      () => next() < 0.6,
    );
    return {
      ...c,
      fundId: pick(inCurrency).id,
      activityType: pick(ACTIVITY_TYPES),
      status,
      amount: money(amount, currency),
      approvedAmount: next() < 0.8 ? money(Math.floor(amount * next()), currency) : undefined,
      submittedAt:
        status === 'editing'
          ? undefined
          : new Date(Date.now() - Math.floor(next() * 40) * DAY).toISOString(),
      metrics: [
        { id: 'free', name: 'Attendees', value: Math.floor(next() * 500) },
        ...results.map((kind, i) => ({
          id: `r${i}`,
          kind,
          name: kind,
          value: Math.floor(next() * 50_000_00),
        })),
      ],
    };
  }

  before(async () => {
    w = await startWorld();
    tenant = w.teams.tenant('contoso');
    admin = w.teams.user(tenant, 'Ada Admin', { aadObjectId: w.bootstrapAdmins[0] });
    owner = w.teams.user(tenant, 'Olga Owner');
    funds.push(fund('f-usd-1', 'Events USD', 'USD'), fund('f-usd-2', 'Digital USD', 'USD'));
    funds.push(fund('f-eur', 'Benelux EUR', 'EUR'));
    for (const f of funds) await w.app.services.funds.create(f);
    const claims = w.app.services.claims;
    const by = actorOf(owner);
    for (let i = 0; i < CLAIMS; i++) {
      const f = pick(funds);
      const info = {
        title: `Claim ${i}`,
        activityType: 'webinar' as ActivityType,
        activityStart: '2026-09-01',
        activityEnd: '2026-09-02',
        amount: money(100_00, f.allocated.currency),
        description: '',
        additionalInfo: '',
      };
      const made = await claims.create(tenant.id, `form-${i}`, (seq) =>
        createClaim({
          actor: by,
          seq,
          formId: `form-${i}`,
          fund: { id: f.id, currency: f.allocated.currency },
          info,
          now: new Date().toISOString(),
        }),
      );
      await claims.update(tenant.id, made.number, `a-${i}`, randomly);
      await claims.update(tenant.id, made.number, `b-${i}`, randomly);
      numbers.push(made.number);
    }
  });
  after(async () => {
    await w?.stop();
  });

  it('shows per fund, per activity type and for waiting claims what the claims add up to', async () => {
    const stored = await Promise.all(numbers.map((n) => w.app.services.claims.get(tenant.id, n)));
    const claims = stored.filter((c): c is Claim => Boolean(c));
    assert.equal(claims.length, CLAIMS);

    // Counted here, from the claims alone.
    const approvedStatus = (s: ClaimStatus) => s === 'approved' || s === 'paid';
    const pendingStatus = (s: ClaimStatus) =>
      ['submitted', 'underReview', 'actionRequired', 'disputed'].includes(s);
    const waitingStatus = (s: ClaimStatus) => ['submitted', 'underReview', 'disputed'].includes(s);
    const result = (c: Claim, kind: MetricKind) =>
      approvedStatus(c.status) ? (c.metrics.find((m) => m.kind === kind)?.value ?? 0) : 0;
    const fmt = (minor: number, currency: string) =>
      new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(minor / 100);
    const ratio = (a: number, b: number) =>
      b > 0
        ? `${new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(a / b)}×`
        : '—';

    const r = await w.teams.send(admin, admin.personal, 'insights');
    assert.ok(r.card, r.text);

    // Donuts: approved, pending, reserved, remaining per fund (fallback texts, exact).
    const donuts = ofType(r.card, 'Chart.Donut');
    assert.equal(donuts.length, funds.length);
    for (const f of funds) {
      const donut = donuts.find((d) => d.title === f.name);
      assert.ok(donut, `a donut for ${f.name}`);
      const mine = claims.filter((c) => c.fundId === f.id);
      const approved = mine
        .filter((c) => approvedStatus(c.status))
        .reduce((n, c) => n + (c.approvedAmount?.minor ?? 0), 0);
      const pending = mine
        .filter((c) => pendingStatus(c.status))
        .reduce((n, c) => n + c.amount.minor, 0);
      const remaining = f.allocated.minor - approved - pending;
      const c = f.allocated.currency;
      const facts = ofType(donut.fallback, 'FactSet')[0] ?? donut.fallback;
      assert.deepEqual(
        ((facts as Node).facts as { value: string }[]).map((x) => x.value),
        [fmt(approved, c), fmt(pending, c), fmt(0, c), fmt(remaining, c)],
        f.name,
      );
      assert.deepEqual(
        (donut.data as { value: number }[]).map((x) => x.value),
        [approved, pending, 0, remaining].map((m) => Math.round(m / 100)),
      );
    }

    // Per currency and activity type: spend, pipeline, return on spend.
    const tables = ofType(r.card, 'Table');
    const bars = ofType(r.card, 'Chart.VerticalBar');
    const currencies = ofType(r.card, 'TextBlock').flatMap((t) => {
      const m = /^Activity types \((\w+)\)$/.exec(String(t.text));
      return m ? [m[1]] : [];
    });
    assert.deepEqual([...currencies].sort(), ['EUR', 'USD']);
    for (const [i, currency] of currencies.entries()) {
      const inCurrency = claims.filter((c) => c.amount.currency === currency);
      const rows = ACTIVITY_TYPES.map((t) => {
        const ofT = inCurrency.filter((c) => c.activityType === t);
        const sum = (f: (c: Claim) => number) => ofT.reduce((n, c) => n + f(c), 0);
        const approved = sum((c) =>
          approvedStatus(c.status) ? (c.approvedAmount?.minor ?? 0) : 0,
        );
        const pipeline = sum((c) => result(c, 'pipeline'));
        const revenue = sum((c) => result(c, 'revenue'));
        return {
          spend: `${fmt(approved, currency)} approved, ${fmt(
            sum((c) => (pendingStatus(c.status) ? c.amount.minor : 0)),
            currency,
          )} pending`,
          bar: Math.round(approved / 100),
          returns: [ratio(pipeline, approved), ratio(revenue, approved)],
        };
      });
      const spendFacts = ofType(bars[i].fallback, 'FactSet')[0] ?? bars[i].fallback;
      assert.deepEqual(
        ((spendFacts as Node).facts as { value: string }[]).map((x) => x.value),
        rows.map((x) => x.spend),
        currency,
      );
      assert.deepEqual(
        (bars[i].data as { y: number }[]).map((x) => x.y),
        rows.map((x) => x.bar),
      );
      const shown = (tables[i].rows as Node[])
        .slice(1)
        .map((row) =>
          (row.cells as Node[]).slice(1).map((cell) => (cell.items as Node[])[0].text as string),
        );
      assert.deepEqual(
        shown,
        rows.map((x) => x.returns),
        `${currency} return on spend`,
      );
    }

    // Claims waiting for a review and their mean age.
    const waiting = claims.filter((c) => waitingStatus(c.status) && c.submittedAt);
    const dayOf = (iso: string) => Math.floor(Date.parse(iso) / DAY);
    const mean =
      dayOf(`${today}T00:00:00.000Z`) -
      waiting.reduce((n, c) => n + dayOf(c.submittedAt as string), 0) / waiting.length;
    const gauge = ofType(r.card, 'Chart.Gauge')[0];
    assert.equal(gauge.value, Math.round(mean));
    assert.equal(
      gauge.subLabel,
      `${new Intl.NumberFormat('en-US').format(waiting.length)} waiting, on average ${Math.round(mean)} days`,
    );
  });
});
