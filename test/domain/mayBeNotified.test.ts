import assert from 'node:assert/strict';
import {
  Claim,
  createClaim,
  mayBeNotified,
  readClaimInformation,
  requestUploads,
} from '../../src/domain/claim';
import type { Actor, Role } from '../../src/domain/roles';
import type { ClaimStatus } from '../../src/domain/status';

const TENANT = 'tenant-a';
const NOW = '2026-03-01T09:00:00.000Z';

const actor = (userId: string, roles: Role[], tenantId = TENANT): Actor => ({
  tenantId,
  userId,
  name: `Name of ${userId}`,
  roles: new Set(roles),
});
const owner = actor('u-owner', ['incentivesUser']);
const colleague = actor('u-colleague', []);

/** Owner's claim in `status`, with `colleague` asked to upload an invoice. */
function claimIn(status: ClaimStatus): Claim {
  const info = readClaimInformation(
    {
      title: 'Spring webinar',
      activityType: 'webinar',
      activityStart: '2026-02-01',
      activityEnd: '2026-02-10',
      amount: '1,500.00',
      description: '',
    },
    'USD',
    'en-US',
  );
  const draft = createClaim({
    actor: owner,
    seq: 1,
    formId: 'form-1',
    fund: { id: 'fund-1', currency: 'USD' },
    info,
    now: NOW,
  });
  const to = [{ id: colleague.userId, name: colleague.name }];
  const asked = requestUploads(draft, owner, { to, types: ['invoice'], note: '' }, NOW);
  return { ...asked, status };
}

/** Issue 28: who a notification may still reach when it is sent (the dispatcher asks this). */
describe('domain: mayBeNotified', () => {
  it('an owner while she may make claims; after her role is revoked, nothing', () => {
    for (const kind of ['approved', 'rejected', 'informationRequested', 'paid'] as const) {
      assert.equal(mayBeNotified(owner, claimIn('approved'), kind), true, kind);
      assert.equal(mayBeNotified(actor(owner.userId, []), claimIn('approved'), kind), false, kind);
    }
  });

  it('a reviewer while a reviewer; revoked, nothing', () => {
    assert.equal(
      mayBeNotified(actor('u-r', ['reviewer']), claimIn('submitted'), 'submitted'),
      true,
    );
    assert.equal(mayBeNotified(actor('u-r', []), claimIn('submitted'), 'submitted'), false);
  });

  it('a colleague asked to upload: everything until the decision, then only the decision itself', () => {
    assert.equal(mayBeNotified(colleague, claimIn('actionRequired'), 'informationRequested'), true);
    for (const status of ['approved', 'rejected'] as const) {
      assert.equal(mayBeNotified(colleague, claimIn(status), status), true, status);
    }
    assert.equal(mayBeNotified(colleague, claimIn('paid'), 'paid'), false);
    assert.equal(mayBeNotified(colleague, claimIn('approved'), 'itemFeedback'), false);
  });

  it('a cancelled request reaches the colleague it was for, and nobody else without a role', () => {
    const claim = { ...claimIn('editing'), contributors: [] };
    assert.equal(mayBeNotified(colleague, claim, 'uploadRequestCancelled'), true);
    assert.equal(mayBeNotified(actor('u-nobody', []), claim, 'uploadRequestCancelled'), false);
    const elsewhere = actor(colleague.userId, [], 'tenant-b');
    assert.equal(mayBeNotified(elsewhere, claim, 'uploadRequestCancelled'), false);
  });
});
