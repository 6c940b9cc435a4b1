import { randomUUID } from 'node:crypto';
import { BenchUser, makeUser, message } from './activities';
import { Bench } from './env';
import { MeasureResult } from './report';
import { addFund, buildClaim, grant, storeClaims } from './seed';
import { Summary, median, medianSummary, ms, ratio, summarize } from './stats';

/**
 * 14. Insights (issue 33): `insights` and the `claims` overview, as 20 Incentives admins at once in a
 * tenant of 10,000 claims (500 in quick mode), measured in turn within each run. `insights` reads
 * the running sums beside the fund ledger (the tenant's record), never the claims.
 */

const ADMINS = 20;
const OWNERS = 100;
const MAX_RATIO = 2;

export async function measureInsights(bench: Bench): Promise<MeasureResult> {
  const claims = bench.quick ? 500 : 10_000;
  const runs = bench.quick ? 1 : 3;
  const phaseMs = bench.quick ? 150 : 3000;
  const app = await bench.startApp(`bench-insights-${claims}`);
  const tenantId = randomUUID();
  const owners = Array.from({ length: OWNERS }, (_, i) => makeUser(tenantId, `Owner ${i + 1}`));
  const admins = Array.from({ length: ADMINS }, (_, i) => makeUser(tenantId, `Admin ${i + 1}`));
  await bench.teams.call('addUsers', [...owners, ...admins]);
  await grant(app.db, owners, 'incentivesUser');
  await grant(app.db, admins, 'incentivesAdmin');
  await addFund(app.db, tenantId, owners[0]);
  await storeClaims(
    app.db,
    Array.from({ length: claims }, (_, i) => buildClaim(owners[i % OWNERS], i + 1)),
  );
  const phase = (text: string) => ({
    url: app.url,
    users: admins.map((u: BenchUser) => [message(bench.serviceUrl, u, u.personal, text)]),
    concurrency: ADMINS,
  });
  await bench.load('warm-up insights', phase('insights'), 300);
  await bench.load('warm-up claims', phase('claims'), 300);
  const seen: Record<'claims' | 'insights', Summary[]> = { claims: [], insights: [] };
  let timeouts = 0;
  for (let run = 0; run < runs; run++) {
    for (const kind of ['claims', 'insights'] as const) {
      const r = await bench.load(`${kind} at ${claims}`, phase(kind), phaseMs);
      seen[kind].push(summarize(r.latencies));
      timeouts += r.timeouts;
    }
  }
  const times = median(seen.insights.map((s, i) => s.p95 / seen.claims[i].p95));
  const insights = medianSummary(seen.insights);
  const overview = medianSummary(seen.claims);
  const at = claims.toLocaleString('en-US');
  return {
    title: `14. Insights (${at} claims)`,
    rows: [
      {
        name: `insights p95 at ${at} claims`,
        figure: ms(insights.p95),
        baseline: `claims ${ms(overview.p95)}, same run`,
        ratio: ratio(times),
        target: `≤ ${MAX_RATIO}× the claims overview`,
        pass: times <= MAX_RATIO && timeouts === 0,
        why:
          `insights p50 ${ms(insights.p50)}, claims p50 ${ms(overview.p50)}; ${timeouts} turns ` +
          'unanswered after 15 s. insights reads the tenant record (fund sums and their sums per ' +
          'activity type, kept beside them by every claim change) and the funds: no claim query.',
      },
    ],
    details: [
      `${ADMINS} Incentives admins at once (they see the whole tenant) in a tenant of ${OWNERS} ` +
        `claim owners and ${at} claims built as section 2 builds them; each phase ` +
        `${phaseMs / 1000} s, ${runs} run(s), the two commands in turn within each run; ratio = ` +
        'median over runs of p95(insights) / p95(claims).',
    ],
  };
}
