import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';

/**
 * Where the main thread's (the bots') CPU time goes while `work` runs: a sampling CPU profile,
 * each sample charged to the most specific part of the stack it was taken in — the Cosmos SDK
 * (storage requests), card templating, botbuilder (adapter and connector client), restify, the
 * app's own code — else garbage collection or Node itself (HTTP parsing, streams, timers). With
 * BENCH_CPU_PROFILES naming a folder, each profile is also written there (for Chrome DevTools).
 */

interface ProfileNode {
  readonly id: number;
  readonly hitCount?: number;
  readonly children?: readonly number[];
  readonly callFrame: { readonly functionName: string; readonly url: string };
}

export interface CpuShares {
  /** Share of busy samples per part, largest first. */
  readonly shares: readonly (readonly [string, number])[];
  /** Share of all samples that were busy (not idle). */
  readonly busy: number;
  /** The app's own functions with the most busy samples (self time): `file function`. */
  readonly appFunctions: readonly (readonly [string, number])[];
}

const SAMPLING_INTERVAL_US = 500;
const TOP_APP_FUNCTIONS = 5;
const MIN_APP_SHARE = 0.01;
const APP = 'app code';

/** Parts of the stack, most specific first: a sample goes to the first one on its stack. */
const PARTS: readonly (readonly [string, RegExp])[] = [
  ['Cosmos DB SDK', /node_modules\/@azure\/cosmos\//],
  [
    'card templating',
    /node_modules\/(adaptivecards-templating|adaptive-expressions)\/|\/dist\/cards\//,
  ],
  ['botbuilder', /node_modules\/(botbuilder[^/]*|botframework-[^/]+)\//],
  ['restify', /node_modules\/restify\//],
  [APP, /\/dist\/src\//],
];

const appFunction = (frame: ProfileNode['callFrame']): string =>
  `${frame.url.replace(/.*\/dist\//, '').replace(/\.js$/, '')} ${frame.functionName || '(anonymous)'}`;

export async function profileCpu(work: () => Promise<unknown>): Promise<CpuShares> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: SAMPLING_INTERVAL_US });
    await session.post('Profiler.start');
    await work();
    const { profile } = (await session.post('Profiler.stop')) as {
      profile: { nodes: ProfileNode[] };
    };
    const folder = process.env.BENCH_CPU_PROFILES;
    if (folder)
      writeFileSync(path.join(folder, `${Date.now()}.cpuprofile`), JSON.stringify(profile));
    const parent = new Map<number, ProfileNode>();
    for (const node of profile.nodes) {
      for (const child of node.children ?? []) parent.set(child, node);
    }
    const parts = new Map<string, number>();
    const app = new Map<string, number>();
    let all = 0;
    let busy = 0;
    for (const node of profile.nodes) {
      const hits = node.hitCount ?? 0;
      all += hits;
      const name = node.callFrame.functionName;
      if (!hits || name === '(idle)') continue;
      busy += hits;
      const stack: string[] = [];
      for (let n: ProfileNode | undefined = node; n; n = parent.get(n.id))
        stack.push(n.callFrame.url);
      const part =
        PARTS.find(([, re]) => stack.some((url) => re.test(url)))?.[0] ??
        (name === '(garbage collector)' ? 'garbage collection' : 'Node.js (HTTP, streams, timers)');
      parts.set(part, (parts.get(part) ?? 0) + hits);
      if (/\/dist\/(src|cards)\//.test(node.callFrame.url)) {
        const fn = appFunction(node.callFrame);
        app.set(fn, (app.get(fn) ?? 0) + hits);
      }
    }
    const share = (entries: Iterable<[string, number]>) =>
      [...entries]
        .map(([k, hits]) => [k, hits / Math.max(1, busy)] as const)
        .sort((a, b) => b[1] - a[1]);
    return {
      shares: share(parts.entries()),
      busy: busy / Math.max(1, all),
      appFunctions: share(app.entries())
        .filter(([, v]) => v >= MIN_APP_SHARE)
        .slice(0, TOP_APP_FUNCTIONS),
    };
  } finally {
    session.disconnect();
  }
}

/** `Cosmos DB SDK 41%, botbuilder 20%, ...` */
export function sharesText(cpu: CpuShares, top = PARTS.length + 2): string {
  return cpu.shares
    .slice(0, top)
    .map(([part, share]) => `${part} ${Math.round(share * 100)}%`)
    .join(', ');
}

/** `` `src/domain/money formatMoney` 3%, ... `` */
export function appFunctionsText(cpu: CpuShares): string {
  return cpu.appFunctions.map(([f, share]) => `\`${f}\` ${Math.round(share * 100)}%`).join(', ');
}
