import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { AppOptions, RunningApp, startApp } from '../../src/app';
import type { Config } from '../../src/config';
import { Claim, addDocument, addMetric } from '../../src/domain/claim';
import type { Actor, Role } from '../../src/domain/roles';
import { RecordingConnector } from '../../testkit/connector';
import { startCountingProxy } from '../../testkit/countingProxy';
import { memoryTestConfig, sharedStack, testConfig } from '../support/stack';
import { Chat, TeamsClient, TeamsUser, Tenant, TurnResult, cardText } from '../support/teams';

/**
 * A stopping app finishes its turns; it must not wait for best-effort background work (retry timers
 * of 30 s and more, slots within Teams' limits: the outbox gives back what it has not sent). Generous,
 * because files run side by side on two cores stall a stop for seconds.
 */
const STOP_WITHIN_MS = 5000;

/** One app, one recording connector and one Teams client per test file. */
export interface World {
  readonly app: RunningApp;
  /**
   * The app's configuration (blob container, connection string). On in-memory storage (the default)
   * its Cosmos DB and Blob settings lead nowhere (loopback port 9): a suite that opens the database
   * itself or starts a second instance on it asks for `storage: 'emulators'`.
   */
  readonly config: Config;
  readonly connector: RecordingConnector;
  readonly teams: TeamsClient;
  /** Entra object ids passed as BOOTSTRAP_ADMINS: give them to teams.user(..., { aadObjectId }). */
  readonly bootstrapAdmins: readonly string[];
  stop(): Promise<void>;
}

export interface WorldOptions {
  readonly bootstrapAdmins?: number;
  /** Environment for the app (upload limit, download hosts, …). */
  readonly env?: Record<string, string>;
  /**
   * `memory` (the default): the app's storage is the in-memory twins, no emulator is started;
   * `emulators`: Cosmos DB emulator and Azurite (a database and container of the world's own), for
   * suites about storage behaviour (ETags, request counts, blobs, instances on one database).
   */
  readonly storage?: 'memory' | 'emulators';
  readonly app?: Omit<AppOptions, 'storage'>;
}

/** Starts a world: the app on in-memory storage unless `opts.storage` is `emulators`. */
export async function startWorld(opts: WorldOptions = {}): Promise<World> {
  const bootstrapAdmins = Array.from({ length: opts.bootstrapAdmins ?? 1 }, () => randomUUID());
  const connector = await RecordingConnector.start();
  const env = { BOOTSTRAP_ADMINS: bootstrapAdmins.join(','), ...opts.env };
  const onEmulators = opts.storage === 'emulators';
  const config = onEmulators ? await testConfig(env) : memoryTestConfig(env);
  const storage = onEmulators ? 'cosmos' : 'memory';
  const app = await startApp(config, { ...opts.app, storage }).catch(async (e: unknown) => {
    await connector.stop();
    throw e;
  });
  const teams = new TeamsClient(`${app.url}/api/messages`, connector);
  return {
    app,
    config,
    connector,
    teams,
    bootstrapAdmins,
    stop: async () => {
      const limit = new Promise<false>((resolve) => setTimeout(resolve, STOP_WITHIN_MS, false));
      const stopped = await Promise.race([app.stop().then(() => true), limit]);
      await connector.stop();
      assert.ok(stopped, `app.stop() did not finish within ${STOP_WITHIN_MS} ms`);
    },
  };
}

/** A world whose storage requests are counted; its stop also stops the counting proxy. */
export interface CountedWorld extends World {
  /** The claims container's requests so far, by operation (`claims.read`, `claims.batch`, …). */
  claimRequests(): Record<string, number>;
}

/**
 * A world on the emulators behind a counting proxy, counted as for one instance alone: with
 * SCALE_OUT a turn's read of the tenant record (its stamps) comes on top (see test/scale and
 * BENCHMARKS.md section 10).
 */
export async function startCountedWorld(): Promise<CountedWorld> {
  const proxy = await startCountingProxy((await sharedStack()).cosmos.endpoint);
  const w = await startWorld({
    storage: 'emulators',
    env: { COSMOS_ENDPOINT: proxy.endpoint, SCALE_OUT: 'false' },
  }).catch(async (e: unknown) => {
    await proxy.stop();
    throw e;
  });
  return {
    ...w,
    claimRequests: () => {
      const counts = proxy.counts()[w.config.cosmosDatabase]?.operations ?? {};
      return Object.fromEntries(Object.entries(counts).filter(([k]) => k.startsWith('claims.')));
    },
    stop: async () => {
      try {
        await w.stop();
      } finally {
        await proxy.stop();
      }
    },
  };
}

/**
 * How every file link of the world's storage begins (Azurite's endpoint and container, or the memory
 * twin's `memory://files/`): no card shown to people who may not see the file may hold it.
 */
export async function fileLinkStart(w: World): Promise<string> {
  const link = await w.app.services.files.readUrl('probe', 60);
  return link.slice(0, link.indexOf('probe'));
}

/** `YYYY-MM-DD`, `offset` days from today (UTC). */
export function day(offset: number): string {
  return new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
}

/** `grant @who role` typed by `admin` in a group chat with both. */
export async function grant(
  w: World,
  admin: TeamsUser,
  chat: Chat,
  who: TeamsUser,
  role: string,
): Promise<TurnResult> {
  const r = await w.teams.send(admin, chat, `grant <at>${who.name}</at> ${role}`);
  assert.equal(r.status, 200);
  return r;
}

export interface FundFields {
  readonly Name: string;
  readonly 'Allocated amount': string;
  readonly Currency: string;
  readonly 'Period start': string;
  readonly 'Period end': string;
}

export const FUND: FundFields = {
  Name: 'FY27 Co-op',
  'Allocated amount': '100,000.00',
  Currency: 'USD',
  'Period start': day(-180),
  'Period end': day(180),
};

/** `funds`, then Add fund with these inputs, in the admin's 1:1 chat. */
export async function addFund(
  w: World,
  admin: TeamsUser,
  fields: Partial<FundFields> = {},
): Promise<TurnResult> {
  const funds = await w.teams.send(admin, admin.personal, 'funds');
  return w.teams.click(admin, admin.personal, funds, 'Add fund', { ...FUND, ...fields });
}

export const CLAIM = {
  Title: 'Spring partner webinar',
  'Activity type': 'Webinar',
  'Activity start': day(-20),
  'Activity end': day(-10),
  Amount: '1,250.00',
  Description: 'Two sessions for SMB customers',
};

/** `new claim`, then Create claim with these inputs; returns the answer and the claim number. */
export async function createClaim(
  w: World,
  user: TeamsUser,
  fields: Readonly<Record<string, string>> = {},
): Promise<{ result: TurnResult; number: string }> {
  const form = await w.teams.send(user, user.personal, 'new claim');
  const result = await w.teams.click(user, user.personal, form, 'Create claim', {
    ...CLAIM,
    ...fields,
  });
  const number = /CLM-\d{4}/.exec(cardText(result.card))?.[0];
  assert.ok(number, `no claim number on the answer: ${result.text}`);
  return { result, number };
}

/** Tenant contoso with a fund and one Incentives user, `name`, who has created a claim. */
export async function ownerWithClaim(
  w: World,
  name: string,
): Promise<{ tenant: Tenant; owner: TeamsUser; number: string }> {
  const tenant = w.teams.tenant('contoso');
  const admin = w.teams.user(tenant, 'Ada Admin', { aadObjectId: w.bootstrapAdmins[0] });
  const owner = w.teams.user(tenant, name);
  await grant(w, admin, w.teams.groupChat(tenant, [admin, owner]), owner, 'incentives user');
  await addFund(w, admin);
  const { number } = await createClaim(w, owner);
  return { tenant, owner, number };
}

/** The answer is a card saying the claim was not found, and no 500. */
export function assertNotFound(r: TurnResult, number = ''): void {
  assert.equal(r.status, 200);
  if (r.invokeStatus !== undefined) assert.equal(r.invokeStatus, 200);
  assert.match(r.text, new RegExp(`Claim ${number}.*was not found`));
}

/** What a user changes on a claim (not the notification outbox, which moves in the background). */
export function essence(claim: Claim | undefined): unknown {
  if (!claim) return undefined;
  const { title, status, amount, activityStart, activityEnd, description, additionalInfo } = claim;
  return {
    ...{ title, status, amount, activityStart, activityEnd, description, additionalInfo },
    metrics: claim.metrics,
    documents: claim.documents.length,
    history: claim.history.map((e) => `${e.seq} ${e.kind}`),
  };
}

/** Polls `check` until it returns something truthy, for background work; undefined on timeout. */
export async function eventually<T>(check: () => T, timeoutMs = 5000): Promise<T | undefined> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value || Date.now() > end) return value || undefined;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A Teams user as the domain sees them, with these roles (for changes filed directly in the store). */
export const actorOf = (user: TeamsUser, roles: readonly Role[] = ['incentivesUser']): Actor => ({
  tenantId: user.tenantId,
  userId: user.aadObjectId,
  name: user.name,
  channelUserId: user.id,
  roles: new Set(roles),
});

/**
 * An invoice, a PoE and a metric filed directly in the store as the owner (an Incentives user), so
 * that the claim meets the core requirements.
 */
export async function seedReady(w: World, owner: TeamsUser, number: string): Promise<Claim> {
  const actor = actorOf(owner);
  const now = new Date().toISOString();
  return w.app.services.claims.update(owner.tenantId, number, `seed-${number}`, (claim) =>
    addMetric(
      (['invoice', 'poe'] as const).reduce(
        (c, type) =>
          addDocument(
            c,
            actor,
            {
              id: `seed-${type}-${number}`,
              type,
              fileName: `${type}-${number}.pdf`,
              blobName: `${owner.tenantId}/${number}/seed-${type}/${type}.pdf`,
              size: 1000,
              contentType: 'application/pdf',
              // A file of its own: the same hash on two claims flags a duplicate invoice.
              sha256: createHash('sha256')
                .update(`${owner.tenantId}/${number}/${type}`)
                .digest('hex'),
              explanation: `The ${type}`,
            },
            now,
          ),
        claim,
      ),
      actor,
      { name: 'Leads', value: 20 },
      now,
    ),
  );
}
