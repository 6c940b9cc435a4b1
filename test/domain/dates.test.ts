import assert from 'node:assert/strict';
import { addDays, isoDay } from '../../src/domain/dates';

describe('domain/dates: addDays and isoDay', () => {
  it('crosses months, years and leap days in UTC', () => {
    assert.equal(addDays('2026-01-31', 1), '2026-02-01');
    assert.equal(addDays('2026-12-31', 1), '2027-01-01');
    assert.equal(addDays('2024-02-28', 1), '2024-02-29');
    assert.equal(addDays('2026-02-28', 1), '2026-03-01');
    assert.equal(addDays('2026-03-01', -1), '2026-02-28');
    assert.equal(addDays('2026-01-15', 45), '2026-03-01');
    assert.equal(addDays('2026-03-29', 0), '2026-03-29');
    assert.equal(addDays('2026-10-25', 7), '2026-11-01');
  });

  it('isoDay is the UTC calendar day', () => {
    assert.equal(isoDay(new Date('2026-03-01T23:59:59.999Z')), '2026-03-01');
    assert.equal(isoDay(new Date('2026-03-01T23:30:00-02:00')), '2026-03-02');
  });
});
