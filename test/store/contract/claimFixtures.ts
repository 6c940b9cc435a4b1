import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Claim, ClaimInformation, NewDocument, createClaim } from '../../../src/domain/claim';
import type { Fund } from '../../../src/domain/fund';
import { money } from '../../../src/domain/money';
import type { Actor, Role } from '../../../src/domain/roles';
import type { ClaimRepository } from '../../../src/store/claims';
import type { FundRepository } from '../../../src/store/funds';

/** A claim store under test: its claims, and the funds its reservations are checked against. */
export interface ClaimStoreUnderTest {
  readonly claims: ClaimRepository;
  readonly funds: FundRepository;
  /**
   * Where the order in which the store meets documents is a thing of its own (Cosmos DB): stores
   * these claims again, so that it meets them after claims with higher numbers.
   */
  readonly reorder?: (tenantId: string, numbers: readonly string[]) => Promise<void>;
}

export const NOW = '2026-03-01T09:00:00.000Z';
export const INFO: ClaimInformation = {
  title: 'Spring webinar',
  activityType: 'webinar',
  activityStart: '2026-02-01',
  activityEnd: '2026-02-10',
  amount: money(150000, 'EUR'),
  description: '',
  additionalInfo: '',
};

export const newTenant = (): string => `tenant-${randomUUID()}`;

export const actor = (
  tenantId: string,
  userId: string,
  roles: Role[] = ['incentivesUser'],
): Actor => ({
  tenantId,
  userId,
  name: `Name of ${userId}`,
  roles: new Set(roles),
});

export const builder =
  (by: Actor, title = INFO.title, fundId = 'fund-1') =>
  (seq: number): Claim =>
    createClaim({
      actor: by,
      seq,
      formId: `form-${seq}`,
      fund: { id: fundId, currency: 'EUR' },
      info: { ...INFO, title },
      now: NOW,
    });

/** An invoice document with file hash `sha` (duplicate invoices share it), ready for addDocument. */
export const invoice = (id: string, sha: string): NewDocument => ({
  id,
  type: 'invoice',
  fileName: `${id}.pdf`,
  blobName: `b/${id}.pdf`,
  size: 10,
  contentType: 'application/pdf',
  sha256: sha,
  explanation: '',
});

export const numbers = (items: readonly { number: string }[]): string[] =>
  items.map((c) => c.number);

/** `CLM-0001` … the nth. */
export const firstNumbers = (n: number): string[] =>
  Array.from({ length: n }, (_, i) => `CLM-${String(i + 1).padStart(4, '0')}`);

/** A fund of the tenant, in EUR, for all of 2026. */
export const fundRecord = (o: { tenantId: string; id: string; allocated: number }): Fund => ({
  id: o.id,
  tenantId: o.tenantId,
  name: o.id,
  periodStart: '2026-01-01',
  periodEnd: '2026-12-31',
  allocated: money(o.allocated, 'EUR'),
  createdBy: { id: 'admin', name: 'Admin' },
  createdAt: NOW,
});

/** Stores a fund of the tenant (see fundRecord). */
export const fundOf = (
  funds: FundRepository,
  o: { tenantId: string; id: string; allocated: number },
): Promise<Fund> => funds.create(fundRecord(o));

/** A claim store under test in a contract's tests, and seeding on it. */
export interface ClaimStoreInTests {
  /** Made before the tests run. */
  readonly store: ClaimStoreUnderTest;
  readonly repo: ClaimRepository;
  /** Funds the claims name (fund-1, fund-2), allocated more than they ever claim. */
  ensureFunds(tenantId: string): Promise<void>;
  /** Creates a claim and moves it straight to a status (and other fields) with a raw update. */
  seed(tenantId: string, by: Actor, formId: string, changes?: Partial<Claim>): Promise<Claim>;
}

/** Makes the store under test before the tests of the calling suite run. */
export function claimStoreInTests(make: () => ClaimStoreUnderTest): ClaimStoreInTests {
  let made: ClaimStoreUnderTest | undefined;
  before(() => {
    made = make();
  });
  const store = (): ClaimStoreUnderTest => {
    assert.ok(made, 'the store is made before the tests run');
    return made;
  };
  const funded = new Set<string>();
  async function ensureFunds(tenantId: string): Promise<void> {
    if (funded.has(tenantId)) return;
    funded.add(tenantId);
    for (const id of ['fund-1', 'fund-2']) {
      await fundOf(store().funds, { tenantId, id, allocated: 1_000_000_000 });
    }
  }
  return {
    get store() {
      return store();
    },
    get repo() {
      return store().claims;
    },
    ensureFunds,
    async seed(tenantId, by, formId, changes = {}) {
      await ensureFunds(tenantId);
      const { claims } = store();
      const created = await claims.create(tenantId, formId, builder(by, formId));
      if (!Object.keys(changes).length) return created;
      return claims.update(tenantId, created.number, `seed-${formId}`, (c) => ({
        ...c,
        ...changes,
      }));
    },
  };
}
