import assert from 'node:assert/strict';
import { RunningApp, startApp } from '../../src/app';
import { CosmosDb, openCosmos } from '../../src/store/cosmos';
import { Balancer, startBalancer } from '../../testkit/balancer';
import { TeamsClient } from '../support/teams';
import { World, startWorld } from '../bot/world';

/**
 * Two instances on one database behind a round-robin balancer, as Azure runs them (issue 23): `w`
 * is the first instance's world with its Teams client pointed at the balancer.
 */
export interface TwoInstances {
  readonly first: World;
  readonly w: World;
  readonly second: RunningApp;
  readonly balancer: Balancer;
  /** The shared database, for reads of its own (what any instance reads). */
  readonly db: CosmosDb;
  stop(): Promise<void>;
}

export const idle = (app: RunningApp): Promise<unknown> =>
  Promise.race([app.notifications.idle(), new Promise((r) => setTimeout(r, 10_000))]);

export async function startTwoInstances(): Promise<TwoInstances> {
  const first = await startWorld({ storage: 'emulators', env: { SCALE_OUT: 'true' } });
  const second = await startApp(first.config);
  const balancer = await startBalancer({ upstreams: [first.app.url, second.url] });
  const w = { ...first, teams: new TeamsClient(`${balancer.url}/api/messages`, first.connector) };
  assert.ok(first.config.cosmos);
  const db = await openCosmos(first.config.cosmos);
  return {
    first,
    w,
    second,
    balancer,
    db,
    stop: async () => {
      await balancer.stop();
      await second.stop();
      await first.stop();
      db.close();
    },
  };
}
