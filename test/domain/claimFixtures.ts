/** The actors, claims and helpers the domain/claim suites share. */
import assert from 'node:assert/strict';
import {
  Claim,
  ClaimDocument,
  ClaimInformation,
  addDocument,
  addMetric,
  createClaim,
  person,
  readClaimInformation,
  submit,
} from '../../src/domain/claim';
import { AppError, ErrorCode } from '../../src/domain/errors';
import { Money, money } from '../../src/domain/money';
import { Actor, Role } from '../../src/domain/roles';
import { ClaimStatus } from '../../src/domain/status';

export const TENANT = 'tenant-a';
export const OTHER_TENANT = 'tenant-b';

export const actor = (userId: string, roles: Role[], tenantId = TENANT): Actor => ({
  tenantId,
  userId,
  name: `Name of ${userId}`,
  roles: new Set(roles),
});

export const owner = actor('u-owner', ['incentivesUser']);
export const contributor = actor('u-contributor', []);
export const incentivesAdmin = actor('u-incentives-admin', ['incentivesAdmin']);
export const globalAdmin = actor('u-global-admin', ['globalAdmin']);
export const reviewer = actor('u-reviewer', ['reviewer']);
export const secondReviewer = actor('u-reviewer-2', ['reviewer']);
export const noRole = actor('u-nobody', []);
export const otherTenantAdmin = actor('u-global-admin', ['globalAdmin'], OTHER_TENANT);
export const otherTenantOwner = actor('u-owner', ['incentivesUser'], OTHER_TENANT);

export const FUND = { id: 'fund-1', currency: 'USD' };
export const T0 = '2026-03-01T09:00:00.000Z';
export const T1 = '2026-03-02T09:00:00.000Z';
export const AFTER_ACTIVITY = '2026-04-01T10:00:00.000Z';
export const PLENTY: Money = money(1_000_000_00, 'USD');

export const INFO: ClaimInformation = readClaimInformation(
  {
    title: 'Spring webinar',
    activityType: 'webinar',
    activityStart: '2026-03-01',
    activityEnd: '2026-03-10',
    amount: '1,500.00',
    description: 'Azure migration webinar',
  },
  'USD',
  'en-US',
);

export function newClaim(by: Actor = owner, seq = 42): Claim {
  return createClaim({ actor: by, seq, formId: `form-${seq}`, fund: FUND, info: INFO, now: T0 });
}

export const withStatus = (claim: Claim, status: ClaimStatus): Claim => ({ ...claim, status });
export const contributingUser = actor('u-contributing-user', ['incentivesUser']);
export const withContributor = (claim: Claim, ...who: Actor[]): Claim => ({
  ...claim,
  contributors: (who.length ? who : [contributor, contributingUser]).map(person),
});

export function doc(
  type: ClaimDocument['type'],
  fileName: string,
  explanation: string,
): ClaimDocument {
  return {
    id: `d-${fileName}`,
    type,
    fileName,
    blobName: `blob/${fileName}`,
    size: 1234,
    contentType: 'application/pdf',
    sha256: 'a'.repeat(64),
    explanation,
    uploadedBy: person(owner),
    uploadedAt: T1,
    feedback: [],
  };
}

/** A document as an upload hands it to the domain. */
export function uploaded(fileName: string): Parameters<typeof addDocument>[2] {
  const {
    uploadedBy: _by,
    uploadedAt: _at,
    feedback: _feedback,
    ...file
  } = doc('invoice', fileName, 'the invoice');
  return file;
}

/** A claim that meets every core requirement once the activity has ended. */
export function readyClaim(by: Actor = owner): Claim {
  const claim = withContributor(newClaim(by));
  const withDocs: Claim = {
    ...claim,
    documents: [
      doc('invoice', 'invoice.pdf', 'Agency invoice for the webinar'),
      doc('poe', 'screenshot.png', 'Screenshot of the webinar with attendees'),
    ],
  };
  return addMetric(withDocs, by, { name: 'Attendees', value: 120 }, T1);
}

export const doSubmit = (
  claim: Claim,
  by: Actor,
  remaining: Money = PLENTY,
  now = AFTER_ACTIVITY,
): Claim => submit(claim, by, { remaining, reviewers: [] }, now);

export function throwsCode(
  fn: () => unknown,
  code: ErrorCode,
  params?: Record<string, unknown>,
): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof AppError, `expected AppError ${code}, got ${String(e)}`);
    assert.equal(e.code, code);
    if (params) for (const [k, v] of Object.entries(params)) assert.equal(e.params[k], v, k);
    return true;
  });
}

export function issuesOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof AppError);
    assert.equal(e.code, 'INVALID_INPUT');
    return e.issues.map((i) => `${i.field}:${i.problem}`);
  }
  assert.fail('expected INVALID_INPUT');
}
