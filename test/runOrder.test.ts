import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

/**
 * .mocharc.json names the test files folder by folder, the longest-running folders first, so that
 * the files run side by side do not end the run on one long file alone, and the browser suites one
 * by one between them, so that no more than two browsers start at once beside lint and the
 * benchmark: no test file may be left out by that list, or run twice.
 */
const ROOT = resolve(__dirname, '..', '..');

function testFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return testFiles(path);
    return path.endsWith('.test.ts') ? [relative(ROOT, path)] : [];
  });
}

/** A spec glob of .mocharc.json (`*` within a folder, `**\/` any folders) as a RegExp on a path. */
function globRegExp(glob: string): RegExp {
  const source = glob
    .split('**/')
    .map((part) =>
      part
        .split('*')
        .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^/]*'),
    )
    .join('(?:.*/)?');
  return new RegExp(`^${source}$`);
}

describe('the test run: every test file runs once', () => {
  it('.mocharc.json spec matches each test file exactly once', () => {
    const { spec } = JSON.parse(readFileSync(join(ROOT, '.mocharc.json'), 'utf8')) as {
      spec: string[];
    };
    const globs = spec.map(globRegExp);
    const files = testFiles(join(ROOT, 'test'));
    assert.ok(files.length > 100, `${files.length} test files found`);
    const wrong = files.flatMap((file) => {
      const built = `dist/${file.replace(/\.ts$/, '.js')}`;
      const matches = globs.filter((g) => g.test(built)).length;
      return matches === 1 ? [] : [`${file}: ${matches} times`];
    });
    assert.deepEqual(wrong, []);
  });
});
