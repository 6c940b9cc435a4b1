import { JobLeases, mayTake } from '../jobLeases';

/** Job leases in this process's memory: the twin of CosmosJobLeases. */
export class MemoryJobLeases implements JobLeases {
  private readonly leases = new Map<string, { owner: string; until: string }>();

  async take(job: string, owner: string, o: { now: Date; forMs: number }): Promise<boolean> {
    if (!mayTake(this.leases.get(job), owner, o.now)) return false;
    this.leases.set(job, { owner, until: new Date(o.now.getTime() + o.forMs).toISOString() });
    return true;
  }
}
