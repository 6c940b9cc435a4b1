import { Container } from '@azure/cosmos';
import { createHash } from 'node:crypto';
import { CosmosDb, queryAll, readDoc } from './cosmos';

/**
 * The instances running now, each checked in for a while: what limits shared by all instances
 * (Teams' send limits) are divided by. An instance that stops checking in (it died) drops out when
 * its time runs out.
 */
export interface InstanceRoll {
  /** Checks `owner` in until `now + forMs`; returns how many instances are checked in at `now`. */
  checkIn(owner: string, o: { now: Date; forMs: number }): Promise<number>;
  /** Checks `owner` out (it stops). */
  leave(owner: string): Promise<void>;
  /** No instance sends into `conversation` before `until` (Teams answered 429 with Retry-After). */
  pause(conversation: string, until: Date): Promise<void>;
  /** Until when (ms since the epoch) sends into `conversation` are paused, if they are. */
  pausedUntil(conversation: string): Promise<number | undefined>;
}

/** The partition of the roll: instances span tenants. */
export const INSTANCES = '_instances';
/** Entries of instances gone this long are removed by the next check-in. */
const FORGET_AFTER_MS = 3_600_000;

/** A conversation paused for every instance: one small document, read by point read. */
interface PauseDoc {
  readonly id: string;
  readonly tenantId: typeof INSTANCES;
  readonly type: 'pause';
  readonly until: number;
}

const pauseId = (conversation: string): string =>
  `pause.${createHash('sha256').update(conversation).digest('hex').slice(0, 32)}`;

interface InstanceDoc {
  readonly id: string;
  readonly tenantId: typeof INSTANCES;
  readonly type: 'instance';
  readonly until: string;
}

/** One small document per instance in the `leases` container, written at each check-in. */
export class CosmosInstanceRoll implements InstanceRoll {
  private readonly container: Container;

  constructor(db: CosmosDb) {
    this.container = db.container('leases');
  }

  async checkIn(owner: string, o: { now: Date; forMs: number }): Promise<number> {
    const until = new Date(o.now.getTime() + o.forMs).toISOString();
    await this.container.items.upsert<InstanceDoc>({
      id: owner,
      tenantId: INSTANCES,
      type: 'instance',
      until,
    });
    const all = await queryAll<InstanceDoc>(
      this.container,
      'SELECT * FROM c WHERE c.tenantId = @p AND c.type = @t',
      [
        { name: '@p', value: INSTANCES },
        { name: '@t', value: 'instance' },
      ],
    );
    const now = o.now.getTime();
    for (const gone of all.filter((d) => Date.parse(d.until) < now - FORGET_AFTER_MS)) {
      await this.remove(gone.id);
    }
    return all.filter((d) => Date.parse(d.until) > now).length;
  }

  leave(owner: string): Promise<void> {
    return this.remove(owner);
  }

  async pause(conversation: string, until: Date): Promise<void> {
    await this.container.items.upsert<PauseDoc>({
      id: pauseId(conversation),
      tenantId: INSTANCES,
      type: 'pause',
      until: until.getTime(),
    });
  }

  async pausedUntil(conversation: string): Promise<number | undefined> {
    return (await readDoc<PauseDoc>(this.container, INSTANCES, pauseId(conversation)))?.doc.until;
  }

  private async remove(id: string): Promise<void> {
    await this.container
      .item(id, INSTANCES)
      .delete()
      .catch((e: { code?: number }) => {
        if (e.code !== 404) throw e;
      });
  }
}
