import assert from 'node:assert/strict';
import { ExportProgress } from '../../src/bot/flows/exportProgress';
import { csvCell, csvLine } from '../../src/domain/exports';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('exports: progress and history.csv', () => {
  it('shows how far an export has come every two seconds, only when it moved, and stops', async () => {
    const shown: string[] = [];
    const progress = new ExportProgress(
      { show: (text) => shown.push(text) > 0, expect: () => undefined },
      (done) => `${done} of 200`,
    );
    progress.update(40);
    await sleep(2_300);
    assert.deepEqual(shown, ['40 of 200']);
    await sleep(2_100);
    assert.deepEqual(shown, ['40 of 200'], 'nothing new, nothing shown');
    progress.update(120);
    progress.stop();
    await sleep(2_100);
    assert.deepEqual(shown, ['40 of 200'], 'nothing after stop');
  });

  it('writes CSV cells a spreadsheet reads as text: quotes, separators and formulas', () => {
    assert.equal(csvCell('plain'), 'plain');
    assert.equal(csvCell('a, "b"'), '"a, ""b"""');
    assert.equal(csvCell('two\nlines'), '"two\nlines"');
    assert.equal(csvCell('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
    assert.equal(csvCell('+1'), "'+1");
    assert.equal(csvCell('@SUM(A1)'), "'@SUM(A1)");
    assert.equal(csvCell(-5), '-5', 'numbers are numbers');
    assert.equal(csvLine([1, 'a', '']), '1,a,\r\n');
  });
});
