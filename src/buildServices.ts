import { randomUUID } from 'node:crypto';
import { mayReceive } from './bot/flows/claimAccess';
import { renderForViewer } from './bot/flows/claimCards';
import { fundEndNoticeCard, mayReceiveFundEnd } from './bot/flows/fundEnding';
import { fundAdmins, mayReceiveRequest, requestNoticeCard } from './bot/flows/fundRequests';
import type { BotEdge } from './bot/edge';
import { createEdge } from './bot/edges';
import type { Services } from './bot/services';
import { fallbackText, notificationCard } from './bot/views/notification';
import { Config, ConfigError } from './config';
import { openCosmosStorage } from './cosmosStorage';
import type { LocalStack } from './local/stack';
import { DemoTenant } from './demo/demoTenant';
import { LocalDocuments } from './local/localDocuments';
import { log } from './log';
import { InstanceShare } from './notify/instanceShare';
import { Notifications } from './notify/notifications';
import { RateLimiter, TEAMS_CONVERSATION_LIMITS } from './notify/rateLimiter';
import { InvoiceReader } from './reading/invoiceReader';
import { InvoiceReadings } from './reading/invoiceReadings';
import { memoryStorage } from './store/memory/storage';
import type { Storage, StoragePorts } from './store/storage';

/** What the app is made of before it serves anything: its services and what they run on. */
export interface AppServices {
  readonly services: Services;
  readonly storage: Storage;
  /** The emulators started for the app (local mode on Cosmos DB), else undefined. */
  readonly localStack: LocalStack | undefined;
  /** The Teams edge on the SDK that BOT_SDK names: HTTP turns in, proactive messages out. */
  readonly edge: BotEdge;
  readonly notifications: Notifications;
  readonly invoices: InvoiceReadings;
  /** Proactive sends and in-turn progress updates share each chat's Teams limits. */
  readonly conversationLimiter: RateLimiter;
  /** Unique per process: the owner recorded on job leases and the instance roll. */
  readonly instanceId: string;
}

export interface ServiceOverrides {
  /**
   * `cosmos` (the default, production and `npm run dev`): Cosmos DB and Blob storage, or the local
   * emulators when no Azure endpoints are configured; `memory`: every port in this process's memory.
   */
  readonly storage?: 'cosmos' | 'memory';
  /** Ports that replace the storage's own (e.g. a test's faulty file store). */
  readonly ports?: Partial<StoragePorts>;
  readonly clock?: () => Date;
}

async function openStorage(
  config: Config,
  overrides: ServiceOverrides,
): Promise<{ storage: Storage; localStack: LocalStack | undefined }> {
  if (overrides.storage === 'memory') {
    if (config.demoSeed) {
      throw new ConfigError('DEMO_SEED', 'needs Cosmos DB storage (the local emulators)');
    }
    const storage = memoryStorage(config);
    return { storage: { ...storage, ...overrides.ports }, localStack: undefined };
  }
  const { localStack, ...storage } = await openCosmosStorage(config);
  return { storage: { ...storage, ...overrides.ports }, localStack };
}

/** What the command and verb handlers use, over the storage ports. */
function handlerServices(parts: {
  config: Config;
  storage: StoragePorts;
  invoices: InvoiceReadings;
  notifications: Notifications;
  demo: DemoTenant | undefined;
}): Services {
  const { config, storage, invoices, notifications, demo } = parts;
  const { claims, claimSearch, funds, fundRequests, users, policy, conversations, uploads } =
    storage;
  return {
    claims,
    claimSearch,
    funds,
    fundRequests,
    users,
    policy,
    conversations,
    uploads,
    files: storage.files,
    exports: storage.exports,
    config,
    newId: randomUUID,
    invoices,
    notifications,
    demo,
    localDocuments: config.localLoop ? new LocalDocuments() : undefined,
  };
}

/**
 * The composition root of everything but HTTP: storage (Cosmos DB unless `overrides` say memory),
 * the Teams edge (botbuilder or the Agents SDK), notifications, invoice reading, and the services handlers use; the
 * local demo tenant is seeded here when configured.
 */
export async function buildServices(
  config: Config,
  overrides: ServiceOverrides = {},
): Promise<AppServices> {
  const { storage, localStack } = await openStorage(config, overrides);
  const edge = createEdge(config.botSdk, config.auth);
  const instanceId = randomUUID();
  // Teams' limits hold for all instances together: each keeps to its share of them.
  const share = new InstanceShare({ roll: storage.roll, owner: instanceId });
  const conversationLimiter = new RateLimiter(TEAMS_CONVERSATION_LIMITS, { share: share.fraction });
  const notifications: Notifications = new Notifications({
    claims: storage.claims,
    conversationLimiter,
    conversations: storage.conversations,
    messenger: edge.messenger,
    render: notificationCard,
    fallbackText,
    renderClaimFor: (claim, posted) => renderForViewer(services, claim, posted),
    mayReceive: (n, claim) => mayReceive(services, n, claim),
    instanceId,
    clock: overrides.clock,
    leases: storage.leases,
    share,
    reviews: { policy: storage.policy, users: storage.users },
    deadlines: { funds: storage.funds },
    fundEnds: {
      funds: storage.funds,
      admins: (tenantId) => fundAdmins(services, tenantId),
      notices: storage.fundEndNotices,
      render: (notice) => fundEndNoticeCard(services, notice),
      mayReceive: (item, notice) => mayReceiveFundEnd(services, item, notice),
    },
    opensChats: !config.localLoop,
    requests: {
      requests: storage.fundRequests,
      render: (request, notice, to) => requestNoticeCard(services, request, notice, to),
      mayReceive: (notice, request) => mayReceiveRequest(services, notice, request),
    },
  });
  const invoices = new InvoiceReadings({
    claims: storage.claims,
    files: storage.files,
    reader: new InvoiceReader(),
    onRead: (claim) => notifications.cardsChanged(claim),
  });
  const demo =
    config.demoSeed && storage.wipeTenant ? new DemoTenant(storage.wipeTenant) : undefined;
  const services = handlerServices({ config, storage, invoices, notifications, demo });
  if (demo) {
    const started = performance.now();
    const { seeded } = await demo.seed(services, overrides.clock?.());
    if (seeded) log.info({ ms: Math.round(performance.now() - started) }, 'demo tenant seeded');
  }
  return {
    services,
    storage,
    localStack,
    edge,
    notifications,
    invoices,
    conversationLimiter,
    instanceId,
  };
}
