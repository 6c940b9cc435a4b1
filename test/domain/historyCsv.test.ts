import assert from 'node:assert/strict';
import { reject } from '../../src/domain/claim';
import { HISTORY_COLUMNS, csvLine, historyCsvLine } from '../../src/domain/exports';
import { AFTER_ACTIVITY, doSubmit, owner, readyClaim, reviewer } from './claimFixtures';

describe('domain: history.csv says for whom a covering colleague acted (issues 29, 31)', () => {
  const claim = doSubmit(readyClaim(), owner);
  const cells = (line: string): string[] => line.trimEnd().split(',');

  it('has a column for the absent person, by name and id, after the columns it had', () => {
    assert.equal(csvLine(HISTORY_COLUMNS), 'seq,at,by,byId,event,item,note,for,forId\r\n');
  });

  it('an event done while covering names the absent person; an event of their own leaves it empty', () => {
    const isaiah = { id: 'u-isaiah', name: 'Isaiah Langer' };
    const covering = { ...reviewer, onBehalfOf: isaiah };
    const rejected = reject(claim, covering, 'No proof', AFTER_ACTIVITY);
    const [started, decided] = rejected.history.slice(-2).map(historyCsvLine).map(cells);
    for (const row of [started, decided]) {
      assert.equal(row.length, HISTORY_COLUMNS.length);
      assert.deepEqual(row.slice(-2), ['Isaiah Langer', 'u-isaiah']);
      assert.equal(row[2], reviewer.name);
    }
    assert.equal(decided[4], 'rejected');
    const own = cells(historyCsvLine(claim.history[0]));
    assert.deepEqual(own.slice(-2), ['', '']);
  });
});
