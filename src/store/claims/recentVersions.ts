import type { Versioned } from '../cosmos';
import type { ClaimDoc } from './claimDoc';
import { claimKey } from './port';

/** Claims whose last seen version this process keeps. */
const RECENT_VERSIONS = 500;

/**
 * The last version this process read or wrote, per claim: an update right after a read (every
 * action reads the claim to authorize it) starts from it instead of reading again. Never served as
 * a read; a stale one costs a 412 and a fresh read.
 */
export class RecentVersions {
  private readonly versions = new Map<string, Versioned<ClaimDoc>>();

  get(tenantId: string, number: string): Versioned<ClaimDoc> | undefined {
    return this.versions.get(claimKey(tenantId, number));
  }

  remember(tenantId: string, number: string, version: Versioned<ClaimDoc>): void {
    const key = claimKey(tenantId, number);
    this.versions.delete(key);
    this.versions.set(key, version);
    if (this.versions.size > RECENT_VERSIONS) {
      this.versions.delete(this.versions.keys().next().value as string);
    }
  }
}
