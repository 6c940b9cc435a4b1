import type { Money } from '../money';
import type { Person } from '../roles';

/** A reviewer or admin away, and who covers for them until `until` (`YYYY-MM-DD`, exclusive). */
export interface Absence {
  readonly absent: Person;
  readonly delegate: Person;
  readonly until: string;
}

/** Review within this many business days unless the tenant says otherwise (product.md). */
export const DEFAULT_REVIEW_WITHIN_DAYS = 5;
export const MAX_REVIEW_WITHIN_DAYS = 60;

/**
 * A tenant's approval policy: the rules its Incentives admins set with `policy`, and the approval
 * limits given with `grant @Name reviewer up to <amount>`. Amounts are minor units per currency.
 */
export interface TenantPolicy {
  /** By currency: a claim approved above this needs a second approval. No entry: one is enough. */
  readonly secondApprovalAbove: Readonly<Record<string, number>>;
  /** Business days a submitted claim may wait for its decision before reviewers are reminded. */
  readonly reviewWithinDays: number;
  /**
   * By reviewer id, by currency: the most that reviewer's Approve decides alone. A reviewer without a
   * limit in a claim's currency has none there.
   */
  readonly limits: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** By absent person's id: who covers for them, until when (see away.ts). */
  readonly away?: Readonly<Record<string, Absence>>;
}

export const DEFAULT_POLICY: TenantPolicy = {
  secondApprovalAbove: {},
  reviewWithinDays: DEFAULT_REVIEW_WITHIN_DAYS,
  limits: {},
};

/** One change of a rule, as history of the tenant: who, when, which rule, old → new (as shown). */
export interface PolicyChange {
  readonly by: Person;
  readonly at: string;
  /** `secondApprovalAbove`, `reviewWithinDays` or `limit`. */
  readonly rule: 'secondApprovalAbove' | 'reviewWithinDays' | 'limit';
  /** The currency of an amount rule (Second approval above, a limit). */
  readonly currency?: string;
  /** Whose approval limit changed. */
  readonly reviewer?: Person;
  /** Old and new value as typed data: minor units or days; undefined is "none". */
  readonly from?: number;
  readonly to?: number;
}

/** The policy and its history (the newest changes kept), as one record per tenant. */
export interface PolicyRecord {
  readonly policy: TenantPolicy;
  readonly changes: readonly PolicyChange[];
}

export const EMPTY_POLICY_RECORD: PolicyRecord = { policy: DEFAULT_POLICY, changes: [] };

/** The amount above which a claim in `currency` needs two approvals, if the policy sets one. */
export const secondApprovalAbove = (policy: TenantPolicy, currency: string): Money | undefined => {
  const minor = policy.secondApprovalAbove[currency];
  return minor === undefined ? undefined : { minor, currency };
};

/** A reviewer's approval limit in `currency`, if they have one. */
export const approvalLimit = (
  policy: TenantPolicy,
  reviewerId: string,
  currency: string,
): Money | undefined => {
  const minor = policy.limits[reviewerId]?.[currency];
  return minor === undefined ? undefined : { minor, currency };
};
