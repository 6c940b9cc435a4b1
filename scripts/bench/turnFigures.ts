import { totalOf } from '../../testkit/countingProxy';
import type { BenchUser } from './activities';
import { Bench, Busy, PhaseResult } from './env';
import { CpuShares } from './profile';
import { Summary, median, summarize } from './stats';
import { Command, ProbedTurn, TurnsWorld } from './world';

/** What section 1 (turn latency) measured: each command's probed turns and load phases. */

/** Users sending at once in every load phase of section 1. */
export const USERS = 20;

/** What section 1 measures, how long and how often. */
export interface TurnsPlan {
  readonly bench: Bench;
  readonly world: TurnsWorld;
  readonly commands: readonly Command[];
  readonly runs: number;
  readonly phaseMs: number;
  readonly probeCount: number;
  /** The users of the load phases. */
  readonly users: readonly BenchUser[];
}

/** What one phase of a command (or of the echo bot with its activities) showed. */
export interface PhaseFigures {
  readonly latency: Summary;
  readonly rate: number;
  readonly busy: Busy;
  readonly cpuMs: number;
  /** Storage requests and ETag conflicts (412) per turn answered. */
  readonly requests: number;
  readonly conflicts: number;
}

export interface CommandRuns {
  readonly command: Command;
  /** A user's first turn (caches cold), then turns after it. */
  readonly first: ProbedTurn;
  readonly probes: readonly ProbedTurn[];
  readonly app: PhaseFigures[];
  readonly echo: PhaseFigures[];
  /** The echo bot on the command's `targetEcho` activities, right before `app` in each run. */
  readonly targetEcho: PhaseFigures[];
  /** Where the bot thread's CPU went in one more (profiled) phase. */
  cpu?: CpuShares;
}

export function figures(p: PhaseResult): PhaseFigures {
  const statuses = p.storage?.statuses ?? {};
  const conflicts = Object.entries(statuses)
    .filter(([k]) => k.endsWith(' 412'))
    .reduce((sum, [, v]) => sum + v, 0);
  const turns = Math.max(1, p.turns);
  return {
    latency: summarize(p.latencies),
    rate: p.turnsPerSecond,
    busy: p.busy,
    cpuMs: p.botCpuMsPerTurn,
    requests: totalOf(p.storage?.operations ?? {}) / turns,
    conflicts: conflicts / turns,
  };
}

/** The median over runs of one figure. */
export const med = (runs: readonly PhaseFigures[], f: (p: PhaseFigures) => number): number =>
  median(runs.map(f));
