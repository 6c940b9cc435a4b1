import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** The house rules that keep the code base readable, checked on the TypeScript sources. */
const ROOT = resolve(__dirname, '..', '..');
const SRC = join(ROOT, 'src');
const MAX_LINES = 400;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Relative imports of a file, resolved to source files (`./x` → x.ts or x/index.ts). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/^(?:import|export)[^'"]*from\s+'(\.[^']+)'/gm)].map((m) => m[1]);
  return specs.flatMap((spec) => {
    const base = resolve(dirname(file), spec);
    for (const candidate of [`${base}.ts`, join(base, 'index.ts')]) {
      try {
        if (statSync(candidate).isFile()) return [candidate];
      } catch {
        // not this one
      }
    }
    return [];
  });
}

/** The first import cycle found, as a list of files, or undefined. */
function findCycle(
  files: readonly string[],
  edges: (file: string) => string[] = importsOf,
): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string): string[] | undefined => {
    if (state.get(file) === 'done') return undefined;
    if (state.get(file) === 'visiting') return [...stack.slice(stack.indexOf(file)), file];
    state.set(file, 'visiting');
    stack.push(file);
    for (const next of edges(file)) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(file, 'done');
    return undefined;
  };
  for (const file of files) {
    const cycle = visit(file);
    if (cycle) return cycle;
  }
  return undefined;
}

describe('the house rules', () => {
  const files = sourceFiles(SRC);
  const rel = (f: string): string => relative(ROOT, f);

  it('finds the sources', () => {
    assert.ok(files.length > 50, `only ${files.length} files under src/`);
  });

  it(`keeps every source file under ${MAX_LINES} lines (one job per file)`, () => {
    const long = files
      .map((f) => ({ file: rel(f), lines: readFileSync(f, 'utf8').split('\n').length }))
      .filter((f) => f.lines > MAX_LINES);
    assert.deepEqual(long, []);
  });

  it('has no import cycle in src/ (type-only imports included)', () => {
    const cycle = findCycle(files);
    assert.equal(cycle?.map(rel).join(' → '), undefined);
  });

  it('finds a cycle where there is one (the check itself)', () => {
    const graph: Record<string, string[]> = { a: ['b'], b: ['c'], c: ['a'], d: ['a'] };
    assert.deepEqual(
      findCycle(['d'], (f) => graph[f]),
      ['a', 'b', 'c', 'a'],
    );
    assert.equal(
      findCycle(['a'], (f) => (f === 'a' ? ['b'] : [])),
      undefined,
    );
  });

  it('keeps the domain free of I/O and of the Teams SDK', () => {
    const forbidden =
      /from '(botbuilder[^']*|@azure\/[^']+|restify|node:fs[^']*|node:http[^']*|node:net)'/;
    const offenders = files
      .filter((f) => f.startsWith(join(SRC, 'domain')))
      .filter((f) => forbidden.test(readFileSync(f, 'utf8')))
      .map(rel);
    assert.deepEqual(offenders, []);
  });

  it('shares code between tests and tools only through testkit/', () => {
    const crossing = (dir: string, forbidden: readonly string[]): string[] =>
      sourceFiles(join(ROOT, dir)).flatMap((f) =>
        importsOf(f)
          .filter((target) => forbidden.some((d) => target.startsWith(join(ROOT, d) + '/')))
          .map((target) => `${rel(f)} → ${rel(target)}`),
      );
    assert.deepEqual(
      [
        ...crossing('test', ['scripts']),
        ...crossing('scripts', ['test']),
        ...crossing('testkit', ['test', 'scripts']),
        ...crossing('src', ['test', 'scripts', 'testkit']),
      ],
      [],
    );
  });

  it('keeps botbuilder in the Teams edge (src/bot)', () => {
    const offenders = files
      .filter((f) => !f.startsWith(join(SRC, 'bot') + '/'))
      .filter((f) => /from '(botbuilder|botframework)[^']*'/.test(readFileSync(f, 'utf8')))
      .map(rel);
    assert.deepEqual(offenders, []);
  });
});
