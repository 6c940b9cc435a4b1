import type { Notification } from '../../src/domain/notification';
import type { Notifications } from '../../src/notify/notifications';
import type { World } from '../bot/world';
import type { Chat, TeamsUser, Tenant } from '../support/teams';
import {
  dispatcherFor,
  seedClaim,
  seedRequest,
  startNotifyWorld,
  storeIncentivesUser,
  storePersonalChat,
} from './helpers';

/** What a suite of the outbox dispatcher works with (see deliveryBed). */
export interface DeliveryBed {
  readonly w: World;
  readonly tenant: Tenant;
  readonly alice: TeamsUser;
  readonly group: Chat;
  /** A dispatcher of its own (the app's is stopped), stopped when the suite ends. */
  dispatcher(options?: Parameters<typeof dispatcherFor>[1]): Notifications;
  /** A colleague who has talked to the bot (their 1:1 chat reference is stored). */
  colleague(name?: string): Promise<TeamsUser>;
  outbox(number: string): Promise<readonly Notification[]>;
  /** One claim of Alice's asking `to` for an invoice; returns its number. */
  requestTo(to: readonly TeamsUser[], title?: string): Promise<string>;
}

/**
 * The outbox dispatcher against the recording connector, with dispatchers built by the suite instead
 * of the app's own, which is stopped so it never races them: registers the suite's before and after
 * hooks, and hands out the bed once `before` ran.
 */
export function deliveryBed(world: Parameters<typeof startNotifyWorld>[0] = {}): () => DeliveryBed {
  let bed: DeliveryBed | undefined;
  const dispatchers: Notifications[] = [];
  before(async () => {
    const w = await startNotifyWorld(world);
    await w.app.notifications.stop();
    const tenant = w.teams.tenant('contoso');
    const alice = w.teams.user(tenant, 'Alice Baker');
    await storeIncentivesUser(w.app.services.users, alice);
    await storePersonalChat(w.app.services.conversations, w.teams, alice);
    const group = w.teams.groupChat(tenant, [alice]);
    let people = 0;
    bed = {
      w,
      tenant,
      alice,
      group,
      dispatcher: (options = {}) => {
        const d = dispatcherFor(w.app, options);
        dispatchers.push(d);
        return d;
      },
      colleague: async (name = `Colleague ${++people}`) => {
        const u = w.teams.user(tenant, name);
        await storePersonalChat(w.app.services.conversations, w.teams, u);
        return u;
      },
      outbox: async (number) => (await w.app.services.claims.get(tenant.id, number))?.outbox ?? [],
      requestTo: async (to, title = 'Fan-out') => {
        const { number } = await seedClaim(w.app.services.claims, alice, title);
        await seedRequest(w.app.services.claims, w.teams, alice, number, [...to], {
          origin: group,
        });
        return number;
      },
    };
  });
  after(async () => {
    await Promise.all(dispatchers.map((d) => d.stop()));
    await bed?.w.stop();
  });
  return () => {
    if (!bed) throw new Error('the delivery bed is made in before()');
    return bed;
  };
}
