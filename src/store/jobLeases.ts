import { Container } from '@azure/cosmos';
import { CosmosDb, updateDoc } from './cosmos';

/**
 * Leases of periodic jobs (the notification sweep, reminders, the orphan blob sweep): however many
 * instances run, the one holding a job's lease runs it and the others skip it, until the holder stops
 * renewing it (it died) and another takes it over once it runs out.
 */
export interface JobLeases {
  /**
   * Takes the job's lease for `owner` until `now + forMs`, or renews it if `owner` holds it: true.
   * False while another owner's lease runs (nothing is written then).
   */
  take(job: string, owner: string, o: { now: Date; forMs: number }): Promise<boolean>;
}

/** The lease as it stands: may `owner` take it at `now`? */
export const mayTake = (
  current: { owner: string; until: string } | undefined,
  owner: string,
  now: Date,
): boolean => !current || current.owner === owner || Date.parse(current.until) <= now.getTime();

/** The partition of the job leases: jobs span tenants. */
const JOBS = '_jobs';

interface LeaseDoc {
  readonly id: string;
  readonly tenantId: typeof JOBS;
  readonly type: 'jobLease';
  readonly owner: string;
  readonly until: string;
}

/** One small document per job in the `leases` container, taken with one ETag-checked write. */
export class CosmosJobLeases implements JobLeases {
  private readonly container: Container;

  constructor(db: CosmosDb) {
    this.container = db.container('leases');
  }

  async take(job: string, owner: string, o: { now: Date; forMs: number }): Promise<boolean> {
    const saved = await updateDoc<LeaseDoc>(this.container, JOBS, job, (current) =>
      mayTake(current, owner, o.now)
        ? {
            id: job,
            tenantId: JOBS,
            type: 'jobLease',
            owner,
            until: new Date(o.now.getTime() + o.forMs).toISOString(),
          }
        : undefined,
    );
    return saved?.owner === owner;
  }
}
