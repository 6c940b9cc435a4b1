import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

/** The house rules that keep the code base readable, checked on the TypeScript sources. */
const ROOT = resolve(__dirname, '..', '..');
const SRC = join(ROOT, 'src');
/** The most lines a file may have (one job per file), by folder. */
const MAX_FILE_LINES: Readonly<Record<string, number>> = {
  src: 400,
  testkit: 400,
  scripts: 400,
  test: 600,
};
const MAX_FUNCTION_LINES = 80;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Lines of a text as an editor numbers them (a final newline ends the last line). */
function lineCount(text: string): number {
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

/** Functions of any form in a TypeScript text longer than `max` lines, as `line (n lines)`. */
function longFunctions(name: string, text: string, max: number): string[] {
  const file = ts.createSourceFile(name, text, ts.ScriptTarget.Latest, false);
  const lineOf = (pos: number): number => file.getLineAndCharacterOfPosition(pos).line + 1;
  const long: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const lines = lineOf(node.getEnd()) - lineOf(node.getStart(file)) + 1;
      if (lines > max) long.push(`${lineOf(node.getStart(file))} (${lines} lines)`);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return long;
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

  for (const [dir, max] of Object.entries(MAX_FILE_LINES)) {
    it(`keeps every file in ${dir}/ at most ${max} lines (one job per file)`, () => {
      const long = sourceFiles(join(ROOT, dir))
        .map((f) => ({ file: rel(f), lines: lineCount(readFileSync(f, 'utf8')) }))
        .filter((f) => f.lines > max);
      assert.deepEqual(long, []);
    });
  }

  // test/ is left out: a describe block is one function however many tests it holds.
  for (const dir of ['src', 'testkit', 'scripts']) {
    it(`keeps every function in ${dir}/ at most ${MAX_FUNCTION_LINES} lines`, () => {
      const long = sourceFiles(join(ROOT, dir)).flatMap((f) =>
        longFunctions(f, readFileSync(f, 'utf8'), MAX_FUNCTION_LINES).map(
          (at) => `${rel(f)}:${at}`,
        ),
      );
      assert.deepEqual(long, []);
    });
  }

  it('measures files and functions as an editor numbers their lines (the checks themselves)', () => {
    assert.equal(lineCount('a\nb\n'), 2);
    assert.equal(lineCount('a\nb'), 2);
    const body = Array.from({ length: 79 }, (_, i) => `  const x${i} = ${i};`).join('\n');
    const fn = (lines: string) => `const ok = 1;\n/** Doc. */\nfunction f() {\n${lines}\n}\n`;
    assert.deepEqual(longFunctions('a.ts', fn(body), 81), []);
    assert.deepEqual(longFunctions('a.ts', fn(body), 80), ['3 (81 lines)']);
    const arrow = `export const g = () => {\n${body}\n};\nclass C {\n  m() {\n${body}\n  }\n}\n`;
    assert.deepEqual(longFunctions('a.ts', arrow, 80), ['1 (81 lines)', '83 (81 lines)']);
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
