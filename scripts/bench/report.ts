import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** One line of the results table. */
export interface Row {
  readonly name: string;
  readonly figure: string;
  readonly baseline: string;
  readonly ratio: string;
  readonly target: string;
  /** undefined: information, no target. */
  readonly pass?: boolean;
  /** For a MISS: why, and what would close it. */
  readonly why?: string;
}

export interface MeasureResult {
  readonly title: string;
  readonly rows: readonly Row[];
  /** Markdown: how it was measured and the evidence behind the rows. */
  readonly details: readonly string[];
}

const verdict = (row: Row): string => (row.pass === undefined ? '' : row.pass ? 'PASS' : 'MISS');

function pad(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((c, i) => c.padEnd(widths[i])).join('  ');
}

/** The results as a plain-text table for the terminal. */
export function textTable(results: readonly MeasureResult[]): string {
  const header = ['measure', 'figure', 'baseline', 'ratio', 'target', ''];
  const lines: string[][] = [];
  for (const r of results) {
    for (const row of r.rows) {
      lines.push([
        `${r.title.split(' ')[0]} ${row.name}`,
        row.figure,
        row.baseline,
        row.ratio,
        row.target,
        verdict(row),
      ]);
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  return [pad(header, widths), ...lines.map((l) => pad(l, widths))].join('\n');
}

const cell = (text: string): string => text.replace(/\|/g, '\\|');

export interface Machine {
  /** The commit measured, and whether src/ or cards/ had uncommitted changes. */
  readonly commit: string;
  /** Load average (1 min) when the run started and ended: other work on the machine. */
  readonly load: readonly [number, number];
  readonly cpu: string;
  readonly cores: number;
  readonly memory: string;
  readonly node: string;
  readonly os: string;
  readonly packages: Readonly<Record<string, string>>;
}

const PACKAGES = ['botbuilder', '@azure/cosmos', '@azure/storage-blob', 'restify', 'azurite'];

function commit(): string {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8' }).trim();
    const dirty = git('status', '--porcelain', '--', 'src', 'cards') !== '';
    return `${git('rev-parse', '--short', 'HEAD')}${dirty ? ' with uncommitted changes to src/ or cards/' : ''}`;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

export function machine(loadAtStart: number): Machine {
  const packages: Record<string, string> = {};
  for (const name of PACKAGES) {
    const file = path.join(path.dirname(require.resolve(`${name}/package.json`)), 'package.json');
    packages[name] = (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  }
  return {
    commit: commit(),
    load: [loadAtStart, os.loadavg()[0]],
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memory: `${Math.round(os.totalmem() / 1024 ** 3)} GB`,
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    packages,
  };
}

/** BENCHMARKS.md: machine, the table, what was missed and why, then the evidence per measure. */
export function markdown(
  results: readonly MeasureResult[],
  m: Machine,
  run: {
    readonly quick: boolean;
    readonly date: Date;
    readonly seconds: number;
    /** What broke the benchmark itself in this run. */
    readonly breaks: readonly string[];
    readonly notes: readonly string[];
  },
): string {
  const out: string[] = [
    '# Benchmarks',
    '',
    `Written by \`npm run bench${run.quick ? ' -- --quick' : ''}\` on ${run.date.toISOString()} ` +
      `for commit ${m.commit} ` +
      `(${run.quick ? 'quick mode: one run of each, shorter phases, smaller sizes' : 'full mode: medians of 3 runs'}; ` +
      `${Math.round(run.seconds)} s).`,
    '',
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memory} memory, ${m.os}, Node ${m.node}; load ` +
      `average ${m.load[0].toFixed(1)} at the start of the run, ${m.load[1].toFixed(1)} at its end. ` +
      `Packages: ${Object.entries(m.packages)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}.`,
    '',
    'Other work runs on this machine at the same time, so every figure sits next to a baseline ' +
      'measured side by side in the same run, and the ratio is what the targets judge (absolute ' +
      'targets — sizes, MB, seconds — are judged as they are). Nothing here is a timed test.',
    '',
    '| measure | figure | baseline | ratio | target | result |',
    '|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    for (const row of r.rows) {
      out.push(
        `| ${cell(`${r.title.split(' ')[0]} ${row.name}`)} | ${cell(row.figure)} | ${cell(row.baseline)} | ${cell(row.ratio)} | ${cell(row.target)} | ${verdict(row)} |`,
      );
    }
  }
  const misses = results.flatMap((r) =>
    r.rows
      .filter((row) => row.pass === false)
      .map((row) => `- **${r.title.split(' ')[0]} ${row.name}**: ${row.why ?? ''}`),
  );
  if (run.breaks.length) {
    out.push(
      '',
      '## The benchmark broke',
      '',
      'These make the figures above unreliable (and the run exit 1):',
      '',
      ...run.breaks.map((b) => `- ${b.split('\n')[0]}`),
    );
  }
  out.push('', '## Missed targets', '', ...(misses.length ? misses : ['None.']));
  if (run.notes.length) out.push('', '## Notes', '', ...run.notes.map((n) => `- ${n}`));
  for (const r of results) out.push('', `## ${r.title}`, '', ...r.details);
  return `${out.join('\n')}\n`;
}
