import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { measureCards } from './cards';
import { Bench } from './env';
import { measureExports } from './exports';
import { measureFanout } from './fanout';
import { measureFiles } from './files';
import { measureGrowth } from './growth';
import { measureHistory } from './history';
import { measureMoney } from './money';
import { measureInsights } from './insights';
import { measureInvoices } from './invoices';
import { MeasureResult, machine, markdown, textTable } from './report';
import { measureScale } from './scale';
import { measureSdks } from './sdks';
import { measureStart } from './start';
import { measureThroughput } from './throughput';
import { measureTurns } from './turns';
import { buildTurnsWorld } from './world';

/**
 * `npm run bench` (full) / `npm run bench -- --quick` (CI): starts the local stack, drives the bot
 * over HTTP as Teams does, prints the results and writes BENCHMARKS.md. Exits 0 whatever the
 * targets say; 1 only when the benchmark itself broke (a failed turn, a lost notification).
 */

const USAGE =
  'usage: node dist/scripts/bench/index.js [--quick] [--only 1,2,...] [--turns Comment,...] [--out FILE]';

interface Options {
  readonly quick: boolean;
  readonly only: ReadonlySet<number> | undefined;
  /** Section 1 measures only the turns named here (all when not given). */
  readonly turns: ReadonlySet<string> | undefined;
  readonly out: string;
}

function parseArgs(args: readonly string[]): Options {
  let quick = false;
  let only: Set<number> | undefined;
  let turns: Set<string> | undefined;
  let out = path.resolve('BENCHMARKS.md');
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--quick') quick = true;
    else if (args[i] === '--only' && args[i + 1]) only = new Set(args[++i].split(',').map(Number));
    else if (args[i] === '--turns' && args[i + 1]) turns = new Set(args[++i].split(','));
    else if (args[i] === '--out' && args[i + 1]) out = path.resolve(args[++i]);
    else throw new Error(USAGE);
  }
  return { quick, only, turns, out };
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const loadAtStart = os.loadavg()[0];
  const wanted = (n: number): boolean => !options.only || options.only.has(n);
  const log = (text: string): void =>
    console.error(`[bench ${((Date.now() - started) / 1000).toFixed(1)} s] ${text}`);
  const results: MeasureResult[] = [];
  const bench = await Bench.start(options.quick);
  /** Runs a measure; if it throws, that breaks the benchmark but the other measures still run. */
  const measure = async (go: boolean, name: string, run: () => Promise<MeasureResult[]>) => {
    if (!go) return;
    log(name);
    try {
      results.push(...(await run()));
    } catch (e) {
      bench.breaks.push(`${name}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    } finally {
      await bench.stopApps();
    }
  };
  try {
    // 1 and 3 share their set-up.
    await measure(wanted(1) || wanted(3), '1. turn latency, 3. throughput', async () => {
      // BENCH_BEFORE: a built checkout of older code, whose Comment turn is measured beside.
      const before = process.env.BENCH_BEFORE;
      const world = await buildTurnsWorld({
        bench,
        app: await bench.startApp('bench-turns'),
        createApp: await bench.startApp('bench-create'),
        userCount: 40,
        before: before && wanted(1) ? await bench.startApp('bench-before', before) : undefined,
      });
      return [
        ...(wanted(1) ? [await measureTurns(bench, world, options.turns)] : []),
        ...(wanted(3) ? [await measureThroughput(bench, world)] : []),
      ];
    });
    await measure(wanted(2), '2. growth', async () => [await measureGrowth(bench)]);
    await measure(wanted(4), '4. files', async () => [await measureFiles(bench)]);
    await measure(wanted(5), '5. fan-out', async () => [await measureFanout(bench)]);
    await measure(wanted(6), '6. cards', async () => [await measureCards(bench)]);
    await measure(wanted(7), '7. start', async () => [await measureStart(bench)]);
    await measure(wanted(8), '8. invoices', async () => [await measureInvoices(bench)]);
    await measure(wanted(9), '9. history', async () => [await measureHistory(bench)]);
    await measure(wanted(10), '10. scale out', async () => [await measureScale(bench)]);
    await measure(wanted(11), '11. money', async () => [await measureMoney(bench)]);
    await measure(wanted(12), '12. exports', async () => [await measureExports(bench)]);
    await measure(wanted(13), '13. SDKs', async () => [await measureSdks(bench)]);
    await measure(wanted(14), '14. insights', async () => [await measureInsights(bench)]);
  } finally {
    await bench.stop();
  }
  results.sort((a, b) => a.title.localeCompare(b.title));
  const seconds = (Date.now() - started) / 1000;
  console.log(textTable(results));
  writeFileSync(
    options.out,
    markdown(results, machine(loadAtStart), {
      quick: options.quick,
      date: new Date(),
      seconds,
      breaks: bench.breaks,
      notes: bench.notes,
    }),
  );
  log(`wrote ${options.out}`);
  if (bench.breaks.length) {
    console.error(`\nThe benchmark broke:\n- ${bench.breaks.join('\n- ')}`);
    process.exitCode = 1;
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
