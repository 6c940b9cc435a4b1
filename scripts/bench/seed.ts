import { createHash } from 'node:crypto';
import { JSONObject, OperationInput } from '@azure/cosmos';
import {
  Claim,
  addDocument,
  addMetric,
  createClaim,
  nextReminderDue,
  resultsReminderDue,
} from '../../src/domain/claim';
import { recordReading } from '../../src/domain/documentReading';
import type { Fund } from '../../src/domain/fund';
import { isOpen } from '../../src/domain/notification';
import type { Actor, Role } from '../../src/domain/roles';
import type { ClaimStatus } from '../../src/domain/status';
import { addDays, isoDay } from '../../src/domain/dates';
import { CosmosClaimRepository } from '../../src/store/claims';
import type { CosmosDb } from '../../src/store/cosmos';
import { cosmosRepositories } from '../../src/store/cosmosRepositories';
import type { BenchUser } from './activities';

/**
 * Test data written straight into a database: roles and funds through the repositories, claims
 * built with the domain functions; the first claim of a tenant is created through the claim
 * repository and the rest bulk-written in the very shape it wrote (checked, so a change of the
 * repository's documents stops the benchmark instead of skewing it).
 */

export const FUND_ID = 'fund-fy27';
const BULK_CHUNK = 100;
const BULK_PARALLEL = 4;

export const actorOf = (user: BenchUser, roles: readonly Role[]): Actor => ({
  tenantId: user.tenantId,
  userId: user.aadObjectId,
  name: user.name,
  channelUserId: user.id,
  roles: new Set(roles),
});

export async function grant(db: CosmosDb, users: readonly BenchUser[], role: Role): Promise<void> {
  const repo = cosmosRepositories(db).users;
  const at = new Date().toISOString();
  for (let i = 0; i < users.length; i += 10) {
    await Promise.all(
      users
        .slice(i, i + 10)
        .map((u) =>
          repo.changeRole(
            u.tenantId,
            { id: u.aadObjectId, name: u.name, channelUserId: u.id },
            { role, change: 'grant', by: 'bench', at },
          ),
        ),
    );
  }
}

/** The fund every benchmark claim draws on: large enough never to run out. */
export function benchFund(tenantId: string, by: BenchUser): Fund {
  const today = isoDay(new Date());
  return {
    id: FUND_ID,
    tenantId,
    name: 'FY27 Co-op fund',
    periodStart: addDays(today, -180),
    periodEnd: addDays(today, 185),
    allocated: { minor: 5_000_000_000, currency: 'USD' },
    createdBy: { id: by.aadObjectId, name: by.name },
    createdAt: new Date().toISOString(),
  };
}

export const addFund = (db: CosmosDb, tenantId: string, by: BenchUser): Promise<Fund> =>
  cosmosRepositories(db).funds.create(benchFund(tenantId, by));

/** A mix like a tenant's after a while: 30% still editing, the rest on their way or decided. */
const STATUS_MIX: readonly ClaimStatus[] = [
  'editing',
  'submitted',
  'approved',
  'editing',
  'underReview',
  'approved',
  'rejected',
  'editing',
  'approved',
  'actionRequired',
];

/**
 * Claim number `seq` of `owner`, with an invoice, a proof of execution and a metric, in `status`
 * (STATUS_MIX by seq when not given). Claims still being edited are for activities that have not
 * ended yet, so a Submit lists what is missing and changes nothing. Every file is a file of its own
 * (its hash): the same invoice on two claims would flag them as duplicates.
 */
export function buildClaim(owner: BenchUser, seq: number, status?: ClaimStatus): Claim {
  const actor = actorOf(owner, ['incentivesUser']);
  const today = isoDay(new Date());
  const now = new Date().toISOString();
  const final = status ?? STATUS_MIX[seq % STATUS_MIX.length];
  const ended = final !== 'editing';
  let claim = createClaim({
    actor,
    seq,
    formId: `seed-${seq}-form`,
    fund: { id: FUND_ID, currency: 'USD' },
    info: {
      title: `Partner webinar series, wave ${seq}`,
      activityType: 'webinar',
      activityStart: addDays(today, ended ? -30 : -5),
      activityEnd: addDays(today, ended ? -20 : 10),
      amount: { minor: 123_450 + seq, currency: 'USD' },
      description: 'Three webinars on modern work for small businesses, with follow-up mailings.',
      additionalInfo: '',
    },
    now,
  });
  for (const type of ['invoice', 'poe'] as const) {
    const id = `d-seed-${seq}-${type}`;
    const fileName = `${type}-${seq}.pdf`;
    claim = addDocument(
      claim,
      actor,
      {
        id,
        type,
        fileName,
        blobName: `${owner.tenantId}/${claim.number}/${id}/${fileName}`,
        size: 48_213,
        contentType: 'application/pdf',
        sha256: createHash('sha256').update(`${owner.tenantId}/${seq}/${type}`).digest('hex'),
        explanation: 'Invoice of the agency that ran the webinars.',
      },
      now,
    );
  }
  claim = addMetric(claim, actor, { name: 'Attendees', value: 140 + (seq % 50) }, now);
  // A tenant in its steady state: the invoices were read when they arrived.
  claim = recordReading(claim, `d-seed-${seq}-invoice`, {
    status: 'read',
    total: claim.amount,
    line: 'Total due',
    method: 'text',
    pages: 1,
    ms: 150,
  });
  if (!ended) return claim;
  return {
    ...claim,
    status: final,
    submittedAt: now,
    ...(final === 'approved' ? { approvedAmount: claim.amount } : {}),
  };
}

/** The document CosmosClaimRepository writes for a claim (src/store/claims.ts toDoc). */
function claimDoc(claim: Claim): JSONObject {
  const open = claim.outbox.filter(isOpen);
  return JSON.parse(
    JSON.stringify({
      ...claim,
      type: 'claim',
      contributorIds: claim.contributors.map((p) => p.id),
      openOutbox: open.length > 0,
      openRecipients: [...new Set(open.map((n) => n.to.id))],
      nextRequestDue: nextReminderDue(claim) ?? '9999-12-31',
      resultsDue: resultsReminderDue(claim) ?? '9999-12-31',
      appliedActivities: [],
    }),
  ) as JSONObject;
}

const UNCOMPARED = ['_rid', '_self', '_etag', '_attachments', '_ts', 'ledgerEntries', 'openOutbox'];

/** JSON with keys sorted, to compare documents whatever their key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

/** Writes claims as the claim repository stores them, in parallel chunks. */
async function bulkUpsert(db: CosmosDb, claims: readonly Claim[]): Promise<void> {
  const container = db.container('claims');
  const chunks: OperationInput[][] = [];
  for (let i = 0; i < claims.length; i += BULK_CHUNK) {
    chunks.push(
      claims.slice(i, i + BULK_CHUNK).map((c) => ({
        operationType: 'Upsert',
        partitionKey: c.tenantId,
        resourceBody: claimDoc(c),
      })),
    );
  }
  for (let i = 0; i < chunks.length; i += BULK_PARALLEL) {
    await Promise.all(
      chunks.slice(i, i + BULK_PARALLEL).map(async (ops) => {
        const answers = await container.items.bulk(ops);
        const bad = answers.find((a) => a.statusCode >= 300);
        if (bad) throw new Error(`seeding claims: bulk upsert answered ${bad.statusCode}`);
      }),
    );
  }
}

/** Writes claims back as they were built (the repository's caches learn of it by a 412). */
export async function restoreClaims(db: CosmosDb, claims: readonly Claim[]): Promise<void> {
  await bulkUpsert(db, claims);
}

/**
 * Stores the claims of a new tenant (numbered from 1): the first through the claim repository, the
 * rest bulk-written like it (compared field by field with what the repository wrote); then moves
 * the tenant's claim counter past them and reads the last one back through the repository.
 */
export async function storeClaims(db: CosmosDb, claims: readonly Claim[]): Promise<void> {
  const [first, ...rest] = claims;
  const container = db.container('claims');
  const repo = new CosmosClaimRepository(db);
  await repo.create(first.tenantId, first.formId, (seq) => {
    if (seq !== first.seq) throw new Error(`seeding: ${first.number} is not the tenant's first`);
    return first;
  });
  const { resource } = await container.item(first.number, first.tenantId).read<JSONObject>();
  // Ledger entries (random ids) are the repository's own, posted in the background.
  const compared = (doc: JSONObject): JSONObject =>
    Object.fromEntries(Object.entries(doc).filter(([k]) => !UNCOMPARED.includes(k)));
  if (canonical(compared(resource ?? {})) !== canonical(compared(claimDoc(first)))) {
    throw new Error(
      'seeding: the claim documents of scripts/bench/seed.ts claimDoc no longer match what ' +
        `src/store/claims.ts writes (fields written: ${Object.keys(resource ?? {})
          .sort()
          .join(', ')})`,
    );
  }
  await bulkUpsert(db, rest);
  const last = claims[claims.length - 1];
  // Moves the counter past the bulk-written claims, which add to no ledger yet: the tenant's record
  // is written without one, so the next read starts it afresh from all the claims.
  await repo.fundLedger(first.tenantId);
  await container.items.upsert({
    id: 'counter',
    tenantId: first.tenantId,
    type: 'counter',
    last: last.seq,
    forms: [],
  });
  await new CosmosClaimRepository(db).fundLedger(first.tenantId);
  if (canonical(await repo.get(last.tenantId, last.number)) !== canonical(last)) {
    throw new Error(`seeding: ${last.number} reads back differently through the repository`);
  }
}
