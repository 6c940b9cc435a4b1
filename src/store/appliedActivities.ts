import { createHash } from 'node:crypto';

/**
 * An activity applied to a claim or a fund request, as an item of its own in the tenant's
 * partition, created in the same transaction as the change: a retry of it is recognised however
 * many changes came since, and the document does not grow with them.
 */
export interface AppliedItem {
  readonly id: string;
  readonly tenantId: string;
  readonly type: 'appliedActivity';
  /** The claim's or fund request's number. */
  readonly claim: string;
}

export const appliedItem = (tenantId: string, number: string, activityId: string): AppliedItem => ({
  id: `${number}.a${createHash('sha256').update(activityId).digest('hex').slice(0, 32)}`,
  tenantId,
  type: 'appliedActivity',
  claim: number,
});
