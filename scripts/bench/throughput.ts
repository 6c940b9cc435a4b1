import { Bench, PhaseResult } from './env';
import { CpuShares, appFunctionsText, profileCpu, sharesText } from './profile';
import { MeasureResult, Row } from './report';
import { median, ms, percent, perSecond, summarize } from './stats';
import { Command, TurnsWorld } from './world';

/**
 * 3. Throughput: `claims` and the echo bot side by side at 5, 10, 20 and 40 users at once (quick
 * mode: 20, without the CPU profiles); the figure is the most turns per second reached at a level
 * whose p95 stayed under a second.
 */

const LEVELS = [5, 10, 20, 40];
const P95_LIMIT_MS = 1000;
const MIN_SHARE = 0.5;

const PROFILED_USERS = 20;

interface Level {
  readonly users: number;
  readonly rate: number;
  readonly p95: number;
  /** Bot-thread time per turn (ms). */
  readonly cpu: number;
}

/** The best rate among levels with p95 under the limit (0 when none). */
const bestRate = (levels: readonly Level[]): number =>
  Math.max(0, ...levels.filter((l) => l.p95 < P95_LIMIT_MS).map((l) => l.rate));

/** Where and how the levels are measured. */
interface ThroughputPlan {
  readonly bench: Bench;
  readonly world: TurnsWorld;
  readonly claims: Command;
  readonly phaseMs: number;
  readonly levels: readonly number[];
}

/** The levels of every run, the app's and the echo bot's, and (full mode) their profiles. */
interface ThroughputRuns {
  readonly app: Level[][];
  readonly echo: Level[][];
  readonly appCpu: CpuShares | undefined;
  readonly echoCpu: CpuShares | undefined;
}

export async function measureThroughput(bench: Bench, world: TurnsWorld): Promise<MeasureResult> {
  const runs = bench.quick ? 1 : 3;
  const phaseMs = bench.quick ? 150 : 3000;
  const levels = bench.quick ? [PROFILED_USERS] : LEVELS;
  const claims = world.commands.find((c) => c.name === 'claims');
  if (!claims) throw new Error('no claims command');
  const plan: ThroughputPlan = { bench, world, claims, phaseMs, levels };
  const app: Level[][] = [];
  const echo: Level[][] = [];
  for (let run = 0; run < runs; run++) {
    const { appRun, echoRun } = await loadLevels(plan);
    app.push(appRun);
    echo.push(echoRun);
  }
  // Profiles take time: full mode only.
  const echoCpu = bench.quick ? undefined : await profileCpu(profiled(plan, bench.echoUrl));
  const appCpu = bench.quick ? undefined : await profileCpu(profiled(plan, claims.app.url));
  const measured = { app, echo, appCpu, echoCpu };
  return {
    title: '3. Throughput (claims, p95 < 1 s)',
    rows: [throughputRow(levels, measured)],
    details: throughputDetails({ ...measured, levels, phaseMs, runs }),
  };
}

/** `users` users at once sending `claims` to `url`. */
const phaseAt = (plan: ThroughputPlan, url: string, users: number) => ({
  url,
  users: plan.world.users.slice(0, users).map((u) => plan.claims.activities(u)),
  concurrency: users,
});

const levelOf = (users: number, r: PhaseResult): Level => ({
  users,
  rate: r.turnsPerSecond,
  p95: summarize(r.latencies).p95,
  cpu: r.botCpuMsPerTurn,
});

/** One run: at every level, the echo bot and then `claims`. */
async function loadLevels(plan: ThroughputPlan) {
  const { bench, phaseMs } = plan;
  const appRun: Level[] = [];
  const echoRun: Level[] = [];
  for (const users of plan.levels) {
    const echoPhase = phaseAt(plan, bench.echoUrl, users);
    const e = await bench.load(`throughput echo ${users}`, echoPhase, phaseMs);
    const appPhase = phaseAt(plan, plan.claims.app.url, users);
    const a = await bench.load(`throughput claims ${users}`, appPhase, phaseMs);
    echoRun.push(levelOf(users, e));
    appRun.push(levelOf(users, a));
  }
  return { appRun, echoRun };
}

/** One more phase at `PROFILED_USERS` users, to be profiled. */
const profiled = (plan: ThroughputPlan, url: string) => () =>
  plan.bench.load('profiled', phaseAt(plan, url, PROFILED_USERS), plan.phaseMs);

/** The medians over runs of level `i`. */
const at = (levels: Level[][], i: number) => ({
  rate: median(levels.map((run) => run[i].rate)),
  p95: median(levels.map((run) => run[i].p95)),
  cpu: median(levels.map((run) => run[i].cpu)),
});

function throughputRow(levels: readonly number[], o: ThroughputRuns): Row {
  const { app, echo, appCpu } = o;
  const shares = app.map((run, i) => bestRate(run) / bestRate(echo[i]));
  const share = median(shares);
  const appBest = median(app.map(bestRate));
  const echoBest = median(echo.map(bestRate));
  const level20 = levels.indexOf(PROFILED_USERS);
  const appCpuMs = at(app, level20).cpu;
  const echoCpuMs = at(echo, level20).cpu;
  return {
    name: 'claims turns/s',
    figure: perSecond(appBest),
    baseline: `echo ${perSecond(echoBest)}`,
    ratio: percent(share),
    target: `≥ ${percent(MIN_SHARE)} of echo`,
    pass: share >= MIN_SHARE,
    why:
      `\`claims\` reaches ${percent(share)} of the echo bot's turns per second because each ` +
      `turn costs the bot thread ${ms(appCpuMs)} of CPU against the echo bot's ${ms(echoCpuMs)} ` +
      `(at ${PROFILED_USERS} users)` +
      (appCpu ? `; the profile charges it to ${sharesText(appCpu, 4)}. ` : '. ') +
      'The Cosmos SDK share is the storage requests measure 1 counts — each one built, ' +
      'signed, sent and parsed on the bot thread — so cutting round trips per turn (measure ' +
      "1's storage rows say which) is one lever, the app's own formatting and rendering " +
      '(named in the details) the other.',
  };
}

function throughputDetails(
  o: ThroughputRuns & { levels: readonly number[]; phaseMs: number; runs: number },
): string[] {
  const { app, echo, appCpu, echoCpu, levels, phaseMs, runs } = o;
  return [
    `\`claims\` (personal chat, the world of measure 1) and the echo bot with the same activities, ` +
      `each level ${phaseMs / 1000} s, ${runs} run(s), echo right before the app at every level. ` +
      'Turns/s counts turns answered within the timed window; medians over runs.',
    '',
    '| users at once | claims turns/s | claims p95 | claims bot CPU/turn | echo turns/s | echo p95 | echo bot CPU/turn | share |',
    '|---|---|---|---|---|---|---|---|',
    ...levels.map((users, i) => {
      const a = at(app, i);
      const e = at(echo, i);
      return `| ${users} | ${perSecond(a.rate)} | ${ms(a.p95)} | ${ms(a.cpu)} | ${perSecond(e.rate)} | ${ms(e.p95)} | ${ms(e.cpu)} | ${percent(a.rate / e.rate)} |`;
    }),
    '',
    ...cpuLines(appCpu, echoCpu),
  ];
}

/** What bot CPU/turn is, and (full mode) where it goes by the profiles. */
function cpuLines(appCpu: CpuShares | undefined, echoCpu: CpuShares | undefined): string[] {
  return [
    'Bot CPU/turn: CPU time of the main thread (where the bots run, /proc) over the turns ' +
      'answered.' +
      (appCpu && echoCpu
        ? ` Where it goes, from a CPU profile of one more phase at ${PROFILED_USERS} users ` +
          '(share of busy samples, each charged to the most specific part of its stack):'
        : ''),
    ...(appCpu && echoCpu
      ? [
          '',
          `- \`claims\` (main thread busy ${percent(appCpu.busy)}): ${sharesText(appCpu)}; the ` +
            `app's own functions with the most self time: ${appFunctionsText(appCpu)}`,
          `- echo (main thread busy ${percent(echoCpu.busy)}): ${sharesText(echoCpu)}`,
        ]
      : []),
  ];
}
