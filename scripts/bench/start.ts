import { startAzurite } from '../../src/local/azurite';
import { Bench } from './env';
import { MAIN_JS, freePort, memoryOf, processTree, spawnNode, waitFor200 } from './processes';
import { MeasureResult } from './report';
import { bytes, median, ratio, seconds } from './stats';

/**
 * 7. Start: `node dist/src/main.js` with the embedded stack (LOCAL_DATA_DIR=memory) from spawn to
 * `/readyz` 200, against a bare Node HTTP server started the same way; then the resident memory of
 * the whole local stack (the bot process and its Azurite child). Quick mode starts each once and
 * leaves out Azurite started alone.
 */

const MAX_START_MS = 5000;
/** Slower is a figure (judged against MAX_START_MS); never ready within this is a break. */
const READY_TIMEOUT_MS = 180_000;
const SETTLE_MS = 500;
const BARE_SERVER =
  "require('node:http').createServer((q, s) => s.end('ok')).listen(+process.env.PORT, '127.0.0.1')";

interface Start {
  readonly ms: number;
  readonly bareMs: number;
  /** Azurite alone, started as src/local/azurite.ts starts it, until it serves (full mode). */
  readonly azuriteMs?: number;
  readonly rss: number;
  readonly processes: number;
  readonly bareRss: number;
}

async function startOnce(
  args: readonly string[],
  env: Record<string, string>,
): Promise<{ ms: number; rss: number; processes: number }> {
  const port = await freePort();
  const started = performance.now();
  const child = spawnNode(args, { ...env, PORT: String(port), HOST: '127.0.0.1' });
  try {
    await waitFor200(`http://127.0.0.1:${port}/readyz`, child, READY_TIMEOUT_MS);
    const ms = performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const tree = processTree(child.pid);
    return {
      ms,
      rss: tree.reduce((sum, pid) => sum + memoryOf(pid).rss, 0),
      processes: tree.length,
    };
  } finally {
    await child.stop();
  }
}

/** Azurite alone, started as src/local/azurite.ts starts it: ms until it serves. */
async function azuriteStart(): Promise<number> {
  const started = performance.now();
  const azurite = await startAzurite({});
  const ms = performance.now() - started;
  await azurite.stop();
  return ms;
}

export async function measureStart(bench: Bench): Promise<MeasureResult> {
  const runs = bench.quick ? 1 : 3;
  const starts: Start[] = [];
  for (let run = 0; run < runs; run++) {
    const bare = await startOnce(['-e', BARE_SERVER], {});
    const bot = await startOnce([MAIN_JS], { LOCAL_DATA_DIR: 'memory' });
    const azuriteMs = bench.quick ? undefined : await azuriteStart();
    starts.push({ ...bot, bareMs: bare.ms, bareRss: bare.rss, azuriteMs });
  }
  const azuriteMs = starts.flatMap((s) => (s.azuriteMs === undefined ? [] : [s.azuriteMs]));
  const startMs = median(starts.map((s) => s.ms));
  const bareMs = median(starts.map((s) => s.bareMs));
  const rss = median(starts.map((s) => s.rss));
  return {
    title: '7. Start (spawn to /readyz 200)',
    rows: [
      {
        name: 'start to ready',
        figure: seconds(startMs),
        baseline: `bare node ${seconds(bareMs)}`,
        ratio: ratio(median(starts.map((s) => s.ms / s.bareMs))),
        target: `≤ ${seconds(MAX_START_MS)}`,
        pass: startMs <= MAX_START_MS,
        why:
          `From spawn to /readyz 200 takes ${seconds(startMs)}, ${ratio(startMs / bareMs)} a ` +
          `bare Node server's start (${seconds(bareMs)} here; the machine's load shows in both). ` +
          'Azurite alone — a second Node process with blob, queue and table services — ' +
          (azuriteMs.length
            ? `takes ${seconds(median(azuriteMs))} until it serves`
            : 'takes its time too (measured in full mode)') +
          ', and the bot waits for it before creating the database, its containers, the blob container and the demo ' +
          'data one request after another. Starting only the blob service, and Azurite before ' +
          "loading the bot's modules, would close most of it.",
      },
      {
        name: 'local stack memory',
        figure: bytes(rss),
        baseline: `bare node ${bytes(median(starts.map((s) => s.bareRss)))}`,
        ratio: ratio(rss / median(starts.map((s) => s.bareRss))),
        target: '',
      },
    ],
    details: [
      '`node dist/src/main.js` with `LOCAL_DATA_DIR=memory` (the bot starts the Cosmos emulator ' +
        'in its process and Azurite as a child; demo data on), a free port chosen beforehand; ' +
        `time from spawn until \`GET /readyz\` answers 200 (polled every 20 ms), ${runs} run(s), ` +
        'each right after a bare Node HTTP server started and polled the same way. Memory: the ' +
        `sum of VmRSS over the bot's process tree ${SETTLE_MS} ms after ready.`,
      '',
      '| run | start to ready | bare node | Azurite alone | processes | stack RSS |',
      '|---|---|---|---|---|---|',
      ...starts.map(
        (s, i) =>
          `| ${i + 1} | ${seconds(s.ms)} | ${seconds(s.bareMs)} | ${s.azuriteMs === undefined ? '—' : seconds(s.azuriteMs)} | ${s.processes} | ${bytes(s.rss)} |`,
      ),
    ],
  };
}
