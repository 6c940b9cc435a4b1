import { randomUUID } from 'node:crypto';
import { startBalancer } from '../../testkit/balancer';
import { BenchUser, makeUser, message } from './activities';
import { Bench, SHARED_DATABASE } from './env';
import { BotProcess, MAIN_JS, allStarted, startBot } from './processes';
import { MeasureResult } from './report';
import { addFund, buildClaim, grant, storeClaims } from './seed';
import { median, ms, perSecond, summarize } from './stats';

/**
 * 10. Scale out (issue 23): the same `claims` turns sent to one instance alone (SCALE_OUT=false), to
 * one instance reading as several do (SCALE_OUT=true), and through a round-robin balancer to two
 * such instances; each instance a process of its own (`npm start`) on one database.
 */

const DATABASE = 'bench-scale';
const USERS = 20;
const CLAIMS_PER_USER = 6;
const READY_TIMEOUT_MS = 30_000;

interface Level {
  readonly rate: number;
  readonly p95: number;
  readonly requestsPerTurn: number;
}

const startInstance = (bench: Bench, database: string, scaleOut: boolean): Promise<BotProcess> =>
  startBot(
    ['--disable-warning=DEP0111', MAIN_JS],
    bench.env(database, { LOG_LEVEL: 'warn', SCALE_OUT: String(scaleOut) }),
    READY_TIMEOUT_MS,
  );

/**
 * The instance alone and two reading as several do, on one database: started together (quick
 * mode: the bots the sections share, left running; else `own`: this measure stops them).
 */
async function startInstances(bench: Bench) {
  const database = bench.quick ? SHARED_DATABASE : DATABASE;
  const users = await seed(bench, database);
  const own = !bench.quick;
  const [alone, ...instances] = await allStarted(
    [
      bench.sharedBot('default') ?? startInstance(bench, database, false),
      bench.sharedBot('scaleOut1') ?? startInstance(bench, database, true),
      bench.sharedBot('scaleOut2') ?? startInstance(bench, database, true),
    ],
    (i) => (own ? i.child.stop() : Promise.resolve()),
  );
  return { database, users, alone, instances, own };
}

async function seed(bench: Bench, database: string): Promise<BenchUser[]> {
  const tenantId = randomUUID();
  const users = Array.from({ length: USERS }, (_, i) => makeUser(tenantId, `Scale ${i + 1}`));
  await bench.teams.call('addUsers', [...users]);
  const db = await bench.db(database);
  await grant(db, users, 'incentivesUser');
  await addFund(db, tenantId, users[0]);
  await storeClaims(
    db,
    users.flatMap((u, i) =>
      Array.from({ length: CLAIMS_PER_USER }, (_, k) => buildClaim(u, i * CLAIMS_PER_USER + k + 1)),
    ),
  );
  return users;
}

export async function measureScale(bench: Bench): Promise<MeasureResult> {
  const runs = bench.quick ? 1 : 3;
  const phaseMs = bench.quick ? 150 : 4000;
  const { database, users, alone, instances, own } = await startInstances(bench);
  const balancer = await startBalancer({ upstreams: instances.map((i) => i.url) });
  try {
    const load = { bench, users, database, phaseMs };
    const single: Level[] = [];
    const one: Level[] = [];
    const two: Level[] = [];
    for (let run = 0; run < runs; run++) {
      single.push(await claimsPhase(load, 'scale: one instance alone', alone.url));
      one.push(await claimsPhase(load, 'scale: one instance', instances[0].url));
      two.push(await claimsPhase(load, 'scale: two instances', balancer.url));
    }
    return scaleResult({
      alone: medianLevel(single),
      one: medianLevel(one),
      two: medianLevel(two),
      phaseMs,
      runs,
    });
  } finally {
    await balancer.stop();
    if (own) for (const i of [alone, ...instances]) await i.child.stop();
  }
}

/** A phase of `claims` turns sent to `url` by every user at once. */
async function claimsPhase(
  o: { bench: Bench; users: readonly BenchUser[]; database: string; phaseMs: number },
  name: string,
  url: string,
): Promise<Level> {
  const { bench } = o;
  const r = await bench.load(
    name,
    {
      url: `${url}/api/messages`,
      users: o.users.map((u) => [message(bench.serviceUrl, u, u.personal, 'claims')]),
      concurrency: USERS,
    },
    o.phaseMs,
    o.database,
  );
  const requests = Object.values(r.storage?.operations ?? {}).reduce((a, b) => a + b, 0);
  return {
    rate: r.turnsPerSecond,
    p95: summarize(r.latencies).p95,
    requestsPerTurn: requests / Math.max(1, r.turns),
  };
}

/** The median of each figure over runs. */
const medianLevel = (levels: readonly Level[]): Level => ({
  rate: median(levels.map((l) => l.rate)),
  p95: median(levels.map((l) => l.p95)),
  requestsPerTurn: median(levels.map((l) => l.requestsPerTurn)),
});

/** Two instances against one, and one reading as several do against one alone. */
function scaleResult(o: {
  alone: Level;
  one: Level;
  two: Level;
  phaseMs: number;
  runs: number;
}): MeasureResult {
  const { alone: s, one: a, two: b, phaseMs, runs } = o;
  return {
    title: '10. Scale out (claims, 1 vs 2 instances)',
    rows: [
      {
        name: 'claims turns/s, 2 instances',
        figure: perSecond(b.rate),
        baseline: `1 instance ${perSecond(a.rate)}`,
        ratio: `${(b.rate / Math.max(1, a.rate)).toFixed(2)}×`,
        target: 'information',
      },
      {
        name: 'claims turns/s, 1 instance reading as several do',
        figure: perSecond(a.rate),
        baseline: `alone ${perSecond(s.rate)}`,
        ratio: `${(a.rate / Math.max(1, s.rate)).toFixed(2)}×`,
        target: 'information',
      },
    ],
    details: [
      `\`claims\` in personal chat by ${USERS} users at once (${CLAIMS_PER_USER} claims each), ` +
        `${phaseMs / 1000} s a phase, ${runs} run(s), medians. Each instance is a process of ` +
        'its own (`dist/src/main.js`) on one Cosmos DB emulator database; two instances sit ' +
        'behind the round-robin balancer of `testkit/balancer.ts`. With SCALE_OUT=true a turn ' +
        'reads the tenant record afresh (turns at the same moment share one read), and the roles ' +
        "and fund list it keeps are good while the record's stamps stay; 'alone' " +
        '(SCALE_OUT=false) lets a read serve the turns of the next second.',
      '',
      '| instances | SCALE_OUT | turns/s | p95 | storage requests/turn |',
      '|---|---|---|---|---|',
      `| 1 | false | ${perSecond(s.rate)} | ${ms(s.p95)} | ${s.requestsPerTurn.toFixed(1)} |`,
      `| 1 | true | ${perSecond(a.rate)} | ${ms(a.p95)} | ${a.requestsPerTurn.toFixed(1)} |`,
      `| 2 | true | ${perSecond(b.rate)} | ${ms(b.p95)} | ${b.requestsPerTurn.toFixed(1)} |`,
      '',
      'On this 2-core machine the load generator, the recording connector and the Cosmos ' +
        'emulator (one thread) share the cores with the instances, so the ratio says what a ' +
        'second instance adds here, not in Azure, where each instance has cores of its own and ' +
        'the database scales apart.',
    ],
  };
}
