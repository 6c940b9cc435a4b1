import type { InstanceRoll } from '../instanceRoll';

/** The instance roll in this process's memory: the twin of CosmosInstanceRoll. */
export class MemoryInstanceRoll implements InstanceRoll {
  private readonly until = new Map<string, number>();
  private readonly paused = new Map<string, number>();

  async checkIn(owner: string, o: { now: Date; forMs: number }): Promise<number> {
    const now = o.now.getTime();
    this.until.set(owner, now + o.forMs);
    return [...this.until.values()].filter((t) => t > now).length;
  }

  async leave(owner: string): Promise<void> {
    this.until.delete(owner);
  }

  async pause(conversation: string, until: Date): Promise<void> {
    this.paused.set(conversation, until.getTime());
  }

  async pausedUntil(conversation: string): Promise<number | undefined> {
    return this.paused.get(conversation);
  }
}
