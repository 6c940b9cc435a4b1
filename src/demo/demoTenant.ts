import { Readable } from 'node:stream';
import type { Services } from '../bot/services';
import type { Claim } from '../domain/claim';
import { contributionOf } from '../domain/fund';
import { money } from '../domain/money';
import { ROLES } from '../domain/roles';
import { addDays, isoDay } from '../domain/dates';
import type { Storage } from '../store/storage';
import { newFundRequest } from '../domain/fundRequest';
import { KeyedQueue } from '../async';
import { buildDemoClaim, personOf } from './demoBuilder';
import {
  DEMO_CLAIMS,
  DEMO_EVENTS_FUND_ID,
  DEMO_HALF_FUND_ID,
  demoEventsFund,
  demoFundId,
  demoHalfFund,
} from './demoClaims';
import { DemoFile, loadDemoFile } from './demoDocuments';
import { DEMO_FUND_ID, DEMO_TENANT_ID, DEMO_USERS, seedDemo } from './seed';

export type DemoServices = Pick<
  Services,
  'claims' | 'funds' | 'fundRequests' | 'users' | 'files' | 'invoices'
>;

export interface DemoOutcome {
  /** Demo claims in the tenant now. */
  readonly claims: number;
  /** Whether anything was written (a tenant seeded before is left as it is). */
  readonly seeded: boolean;
}

const BY = 'demo-seed';

/**
 * The local demo tenant (.m365agentsplayground.yml's Contoso): its people and roles, two funds and a
 * claim in every status with real files in Blob storage. Only ever made with the local emulators:
 * the app creates it when `config.demoSeed` is on, which configuration allows only with them.
 */
export class DemoTenant {
  readonly tenantId = DEMO_TENANT_ID;
  /** A seed or reset at a time. */
  /** Seed and reset run one after another (one key: the demo tenant). */
  private readonly queue = new KeyedQueue();

  constructor(private readonly wipeTenant: NonNullable<Storage['wipeTenant']>) {}

  /**
   * Seeds the tenant once: the events fund, written last, marks it as done, so a start with a
   * seeded tenant writes nothing (a seed a crash cut short is completed: each claim is created once
   * by its form id, each file uploaded when missing).
   */
  seed(services: DemoServices, today = new Date()): Promise<DemoOutcome> {
    return this.serially(async () => {
      await seedDemo(services, today);
      if (await services.funds.get(DEMO_TENANT_ID, DEMO_EVENTS_FUND_ID)) {
        return { claims: DEMO_CLAIMS.length, seeded: false };
      }
      await seedClaims(services, today);
      await seedRequest(services, today);
      await services.funds.create(demoHalfFund(isoDay(today)));
      await services.funds.create(demoEventsFund(isoDay(today)));
      return { claims: DEMO_CLAIMS.length, seeded: true };
    });
  }

  /** `reset demo`: the tenant as a fresh seed makes it, whatever was done in it since. */
  reset(services: DemoServices, today = new Date()): Promise<DemoOutcome> {
    return this.serially(async () => {
      await this.wipeTenant(DEMO_TENANT_ID, {
        keepFundIds: [DEMO_FUND_ID, DEMO_EVENTS_FUND_ID, DEMO_HALF_FUND_ID],
      });
      services.funds.forgetList(DEMO_TENANT_ID);
      for await (const blob of services.files.list(`${DEMO_TENANT_ID}/`)) {
        await services.files.delete(blob.blobName);
      }
      await restoreRoles(services, today);
      await seedDemo(services, today);
      await seedClaims(services, today);
      await seedRequest(services, today);
      await services.funds.create(demoHalfFund(isoDay(today)));
      await services.funds.create(demoEventsFund(isoDay(today)));
      return { claims: DEMO_CLAIMS.length, seeded: true };
    });
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    return this.queue.run(DEMO_TENANT_ID, work);
  }
}

/** Every demo user with exactly their demo roles; anyone else of the tenant with none. */
async function restoreRoles(services: DemoServices, today: Date): Promise<void> {
  const at = today.toISOString();
  const wanted = new Map(DEMO_USERS.map((u) => [u.id, u]));
  for (const role of ROLES) {
    for (const holder of await services.users.withRole(DEMO_TENANT_ID, role)) {
      if (wanted.get(holder.id)?.roles.includes(role)) continue;
      await services.users.changeRole(DEMO_TENANT_ID, holder, {
        role,
        change: 'revoke',
        by: BY,
        at,
      });
    }
  }
  for (const user of DEMO_USERS) {
    const stored = await services.users.get(DEMO_TENANT_ID, user.id);
    for (const role of user.roles.filter((r) => !stored?.roles.includes(r))) {
      await services.users.changeRole(DEMO_TENANT_ID, user, { role, change: 'grant', by: BY, at });
    }
  }
}

/** The demo claims, in order (each created once by its form id), then their missing files. */
async function seedClaims(services: DemoServices, today: Date): Promise<Claim[]> {
  const day = isoDay(today);
  const names = [
    ...new Set(DEMO_CLAIMS.flatMap((c) => c.steps.flatMap((s) => ('file' in s ? [s.file] : [])))),
  ];
  const files = new Map(
    await Promise.all(names.map(async (n) => [n, await loadDemoFile(n)] as const)),
  );
  const main = await services.funds.get(DEMO_TENANT_ID, DEMO_FUND_ID);
  const allocated = new Map([
    [DEMO_FUND_ID, main?.allocated.minor ?? 0],
    [DEMO_EVENTS_FUND_ID, demoEventsFund(day).allocated.minor],
    [DEMO_HALF_FUND_ID, demoHalfFund(day).allocated.minor],
  ]);
  const claims: Claim[] = [];
  for (const spec of DEMO_CLAIMS) {
    const fundId = demoFundId(spec.fund);
    const committed = claims
      .map(contributionOf)
      .filter((c) => c.fundId === fundId)
      .reduce((sum, c) => sum + c.approved + c.pending, 0);
    const remaining = money((allocated.get(fundId) ?? 0) - committed, 'USD');
    claims.push(
      await services.claims.create(DEMO_TENANT_ID, `${BY}:${spec.key}`, (seq) =>
        buildDemoClaim(spec, { seq, today: day, files, remaining }),
      ),
    );
  }
  await uploadMissing(services, claims, files);
  for (const claim of claims) services.invoices.readNew(claim);
  return claims;
}

/** Adele's fund request for a roadshow, waiting for Patti's decision (admins: none to tell). */
async function seedRequest(services: DemoServices, today: Date): Promise<void> {
  const fund = await services.funds.get(DEMO_TENANT_ID, DEMO_FUND_ID);
  const day = isoDay(today);
  const adele = personOf('Adele');
  const actor = {
    ...adele,
    tenantId: DEMO_TENANT_ID,
    userId: adele.id,
    roles: new Set(['incentivesUser'] as const),
  };
  await services.fundRequests.create(DEMO_TENANT_ID, `${BY}:roadshow-request`, (seq) =>
    newFundRequest({
      actor,
      seq,
      formId: 'roadshow-request',
      input: {
        activity: 'Partner roadshow Amsterdam',
        activityType: 'event',
        plannedStart: addDays(day, 14),
        plannedEnd: addDays(day, 15),
        plannedAmount: '3000.00',
        fundId: DEMO_FUND_ID,
      },
      fund,
      locale: 'en-US',
      now: today.toISOString(),
      admins: [],
    }),
  );
}

async function uploadMissing(
  services: DemoServices,
  claims: readonly Claim[],
  files: ReadonlyMap<string, DemoFile>,
): Promise<void> {
  const present = new Set<string>();
  for await (const blob of services.files.list(`${DEMO_TENANT_ID}/`)) present.add(blob.blobName);
  const missing = claims.flatMap((c) => c.documents).filter((d) => !present.has(d.blobName));
  for (const d of missing) {
    const bytes = files.get(d.fileName)?.bytes ?? Buffer.alloc(0);
    await services.files.put(d.blobName, Readable.from([bytes]), {
      uploaderId: d.uploadedBy.id,
      originalName: d.fileName,
    });
  }
}
