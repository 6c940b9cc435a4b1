import assert from 'node:assert/strict';
import {
  Claim,
  createClaim,
  grantExtension,
  remindSubmitDeadline,
  requestExtension,
  submitDeadline,
} from '../../src/domain/claim';
import { money } from '../../src/domain/money';
import type { Actor } from '../../src/domain/roles';

const owner: Actor = {
  tenantId: 't',
  userId: 'u-owner',
  name: 'Olga Owner',
  roles: new Set(['incentivesUser']),
};
const admin: Actor = {
  ...owner,
  userId: 'u-admin',
  name: 'Pat Admin',
  roles: new Set(['incentivesAdmin']),
};
const NOW = '2027-01-01T09:00:00.000Z';

const draft = (activityEnd: string): Claim =>
  createClaim({
    actor: owner,
    seq: 1,
    formId: 'f',
    fund: { id: 'fund', currency: 'USD' },
    info: {
      title: 'Webinar',
      activityType: 'webinar',
      activityStart: activityEnd,
      activityEnd,
      amount: money(100_00, 'USD'),
      description: '',
      additionalInfo: '',
    },
    now: NOW,
  });
const reminders = (c: Claim) => c.outbox.filter((n) => n.kind === 'submitDeadlineNear').length;

describe('domain/claim/deadline (issue 32)', () => {
  it('is 45 days after the activity, or the fund’s period end plus grace when that comes first', () => {
    const c = draft('2026-12-01');
    assert.equal(submitDeadline(c, undefined), '2027-01-15');
    assert.equal(submitDeadline(c, { periodEnd: '2026-12-20', graceDays: 10 }), '2026-12-30');
    assert.equal(submitDeadline(c, { periodEnd: '2026-12-31' }), '2027-01-15', 'default grace 45');
    assert.equal(submitDeadline({ ...c, extendedTo: '2027-03-01' }, undefined), '2027-03-01');
  });

  it('reminds once for the nearest mark passed when the pass comes late, and never twice', () => {
    // Deadline 2027-01-05: 4 days after NOW, past the 14- and 7-day marks.
    const once = remindSubmitDeadline(draft('2026-11-21'), undefined, NOW);
    assert.equal(reminders(once), 1);
    assert.deepEqual(once.deadlineReminders, { deadline: '2027-01-05', sent: [14, 7] });
    assert.equal(remindSubmitDeadline(once, undefined, NOW), once);
    const lastDay = remindSubmitDeadline(once, undefined, '2027-01-04T09:00:00.000Z');
    assert.equal(reminders(lastDay), 2);
    assert.equal(remindSubmitDeadline(lastDay, undefined, '2027-01-06T09:00:00.000Z'), lastDay);
  });

  it('starts the reminders anew for a granted deadline', () => {
    const asked = requestExtension(
      remindSubmitDeadline(draft('2026-11-21'), undefined, NOW),
      owner,
      'Late invoice',
      NOW,
      [],
    );
    const granted = grantExtension(asked, admin, '2027-01-20', NOW);
    assert.equal(granted.extendedTo, '2027-01-20');
    const again = remindSubmitDeadline(granted, undefined, '2027-01-10T09:00:00.000Z');
    assert.deepEqual(again.deadlineReminders, { deadline: '2027-01-20', sent: [14] });
    assert.throws(() => requestExtension(draft('2026-11-21'), admin, 'x', NOW, []), /NOT_ALLOWED/);
  });
});
