import { APPROVED_STATUSES, CLAIMED_STATUSES, ClaimStatus, PENDING_STATUSES } from './status';

/** Claims waiting for a reviewer's decision: their number and age are shown by `insights`. */
export const AWAITING_REVIEW: readonly ClaimStatus[] = ['submitted', 'underReview', 'disputed'];

const DAY_MS = 86_400_000;

/**
 * What the claims of one fund and activity type add up to (issue 33), beside the fund's own sums.
 * Money in minor units of the fund's currency. Results (pipeline, revenue, leads, opportunities)
 * count on approved claims only, so that return on spend is results ÷ approved.
 */
export interface TypeSums {
  readonly claimed: number;
  readonly approved: number;
  readonly pending: number;
  readonly pipeline: number;
  readonly revenue: number;
  readonly leads: number;
  readonly opportunities: number;
  /** Claims waiting for a reviewer (AWAITING_REVIEW) … */
  readonly waiting: number;
  /** … and the sum of the days (since 1970) they were submitted on: their mean age from it. */
  readonly waitingSince: number;
}

/** A change to one activity type's sums. */
export interface TypeDelta extends TypeSums {
  /** An ActivityType (claim/model.ts; named as text here, so that the fund sums need no claim). */
  readonly activityType: string;
}

export const TYPE_FIELDS = [
  'claimed',
  'approved',
  'pending',
  'pipeline',
  'revenue',
  'leads',
  'opportunities',
  'waiting',
  'waitingSince',
] as const satisfies readonly (keyof TypeSums)[];

export const NO_TYPE_SUMS: TypeSums = Object.fromEntries(TYPE_FIELDS.map((f) => [f, 0])) as {
  [K in keyof TypeSums]: number;
};

/** What type sums need to know of a claim. */
export interface TypedClaim {
  readonly status: ClaimStatus;
  readonly amount: { readonly minor: number };
  readonly approvedAmount?: { readonly minor: number };
  readonly activityType?: string;
  readonly metrics?: readonly { readonly kind?: string; readonly value: number }[];
  readonly submittedAt?: string;
}

const result = (c: TypedClaim, kind: string): number =>
  c.metrics?.find((m) => m.kind === kind)?.value ?? 0;

/** The day number of an ISO time (days since 1970, UTC). */
export const dayNumber = (iso: string): number => Math.floor(Date.parse(iso) / DAY_MS);

/** What one claim adds to its activity type's sums (undefined for claims stored without a type). */
export function typeContributionOf(c: TypedClaim): TypeDelta | undefined {
  if (!c.activityType) return undefined;
  const approved = APPROVED_STATUSES.includes(c.status);
  const waiting = AWAITING_REVIEW.includes(c.status) && Boolean(c.submittedAt);
  return {
    activityType: c.activityType,
    claimed: CLAIMED_STATUSES.includes(c.status) ? c.amount.minor : 0,
    approved: approved ? (c.approvedAmount?.minor ?? 0) : 0,
    pending: PENDING_STATUSES.includes(c.status) ? c.amount.minor : 0,
    pipeline: approved ? result(c, 'pipeline') : 0,
    revenue: approved ? result(c, 'revenue') : 0,
    leads: approved ? result(c, 'leads') : 0,
    opportunities: approved ? result(c, 'opportunities') : 0,
    waiting: waiting ? 1 : 0,
    waitingSince: waiting ? dayNumber(c.submittedAt as string) : 0,
  };
}

export const isZeroDelta = (d: TypeSums): boolean => TYPE_FIELDS.every((f) => d[f] === 0);

/** `a` + `sign` × `b`, field by field. */
export function addSums<T extends TypeSums>(a: T, b: TypeSums, sign = 1): T {
  const sums = Object.fromEntries(TYPE_FIELDS.map((f) => [f, (a[f] ?? 0) + sign * (b[f] ?? 0)]));
  return { ...a, ...sums };
}

export const negatedDelta = (d: TypeDelta): TypeDelta => addSums({ ...d, ...NO_TYPE_SUMS }, d, -1);

/** The changes to type sums that take a claim from `before` to `after` (same fund). */
export function typeDeltas(before: TypedClaim | undefined, after: TypedClaim): TypeDelta[] {
  const was = before ? typeContributionOf(before) : undefined;
  const is = typeContributionOf(after);
  const deltas: TypeDelta[] =
    was && is && was.activityType === is.activityType
      ? [addSums(is, was, -1)]
      : [...(was ? [negatedDelta(was)] : []), ...(is ? [is] : [])];
  return deltas.filter((d) => !isZeroDelta(d));
}
