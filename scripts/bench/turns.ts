import { Bench, Phase, PhaseResult } from './env';
import { profileCpu } from './profile';
import { MeasureResult } from './report';
import { CommandRuns, TurnsPlan, USERS, figures } from './turnFigures';
import { turnsResult } from './turnsReport';
import { Command, ProbedTurn, TurnsWorld, probe } from './world';

/**
 * 1. Turn latency: each command with 20 users at once, each user sending the next activity as
 * soon as the previous one is answered, right after the echo bot answered the same activities the
 * same way; storage round trips counted on turns sent one at a time.
 */

export async function measureTurns(
  bench: Bench,
  world: TurnsWorld,
  only?: ReadonlySet<string>,
): Promise<MeasureResult> {
  const plan: TurnsPlan = {
    bench,
    world,
    commands: world.commands.filter((c) => !only || only.has(c.before ?? c.name)),
    runs: bench.quick ? 1 : 3,
    phaseMs: bench.quick ? 150 : 4000,
    probeCount: bench.quick ? 2 : 5,
    users: world.users.slice(0, USERS),
  };
  await warmUp(plan);
  const results = await probeCommands(plan);
  await loadRuns(plan, results);
  await profileCommands(plan, results);
  return turnsResult(plan, results);
}

/** A load phase: every load user sending `c`'s activities to `url`, all at once. */
const phase = (plan: TurnsPlan, c: Command, url: string): Phase => ({
  url,
  users: plan.users.map((u) => c.activities(u)),
  concurrency: USERS,
});

/** The echo bot answering a command's `targetEcho` activities, all load users at once. */
const targetEchoPhase = (
  plan: TurnsPlan,
  targetEcho: NonNullable<Command['targetEcho']>,
): Phase => ({
  url: plan.bench.echoUrl,
  users: plan.users.map((u) => targetEcho(u)),
  concurrency: USERS,
});

/** A load phase of the app, from the command's starting state. */
async function appLoad(
  plan: TurnsPlan,
  c: Command,
  o: { name: string; ms: number; database?: string },
): Promise<PhaseResult> {
  await c.reset?.();
  return plan.bench.load(o.name, phase(plan, c, c.app.url), o.ms, o.database);
}

/** Quick mode: each phase's own warm-up window is all the warming there is. */
async function warmUp(plan: TurnsPlan): Promise<void> {
  const { bench } = plan;
  for (const c of bench.quick ? [] : plan.commands) {
    await bench.load(`warm-up echo ${c.name}`, phase(plan, c, bench.echoUrl), 300);
    if (c.targetEcho) await bench.load('warm-up echo', targetEchoPhase(plan, c.targetEcho), 300);
    await appLoad(plan, c, { name: `warm-up ${c.name}`, ms: 300 });
  }
}

/** Each command's turns sent one at a time, by a user of its own; its runs still empty. */
async function probeCommands(plan: TurnsPlan): Promise<CommandRuns[]> {
  const results: CommandRuns[] = [];
  for (const [index, c] of plan.commands.entries()) {
    // A user the load phases do not use: their first turn shows what a user's first turn of the
    // day costs (caches cold), the ones after it the steady state the target is about.
    const u = plan.world.users[USERS + index];
    const activities = c.activities(u);
    const turns: ProbedTurn[] = [];
    for (let i = 0; i <= plan.probeCount; i++) {
      const activity = activities[i % activities.length];
      turns.push(await probe(plan.bench, c.app, activity, c.expect(u), c.name));
    }
    const [first, ...probes] = turns;
    results.push({ command: c, first, probes, app: [], echo: [], targetEcho: [] });
  }
  return results;
}

/** Each run: every command's echo phase(s), then its own, one command after the other. */
async function loadRuns(plan: TurnsPlan, results: readonly CommandRuns[]): Promise<void> {
  const { bench, phaseMs } = plan;
  for (let run = 0; run < plan.runs; run++) {
    for (const r of results) {
      const c = r.command;
      const echo = await bench.load(`echo ${c.name}`, phase(plan, c, bench.echoUrl), phaseMs);
      r.echo.push(figures(echo));
      if (c.targetEcho) {
        const target = targetEchoPhase(plan, c.targetEcho);
        r.targetEcho.push(figures(await bench.load(`target echo ${c.name}`, target, phaseMs)));
      }
      const app = await appLoad(plan, c, { name: c.name, ms: phaseMs, database: c.app.database });
      r.app.push(figures(app));
    }
  }
}

/** Profiles take time: full mode only (quick mode's reasons then go without the breakdown). */
async function profileCommands(plan: TurnsPlan, results: readonly CommandRuns[]): Promise<void> {
  const { bench } = plan;
  for (const r of bench.quick ? [] : results) {
    const c = r.command;
    await c.reset?.();
    r.cpu = await profileCpu(() =>
      bench.load(`profiled ${c.name}`, phase(plan, c, c.app.url), plan.phaseMs),
    );
  }
}
