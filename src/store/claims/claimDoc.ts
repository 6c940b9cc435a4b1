import { randomBytes } from 'node:crypto';
import { Claim, nextReminderDue, resultsReminderDue } from '../../domain/claim';
import { contributionOf, ledgerEntries } from '../../domain/fund';
import { isOpen } from '../../domain/notification';

/** Sorts after every date: "no open request" in the reminder query. */
export const NO_DUE = '9999-12-31';

/**
 * How many recent activity ids a claim's document remembers, so a retried activity has its effect
 * once without another request; every applied activity also has an item of its own (AppliedItem,
 * appliedActivities.ts).
 */
const REMEMBERED_ACTIVITIES = 40;

/** A claim as stored: the claim, and fields derived from it for queries. */
export interface ClaimDoc extends Claim {
  readonly type: 'claim';
  /** Derived from contributors, for queries. */
  readonly contributorIds: readonly string[];
  /** Derived from the outbox, for the dispatcher's sweep: undelivered notifications and to whom. */
  readonly openOutbox: boolean;
  readonly openRecipients: readonly string[];
  /** Derived: the earliest due date of an open upload request, or NO_DUE. */
  readonly nextRequestDue: string;
  /** Derived: the day the owner is to be asked for results, or NO_DUE (see results.ts). */
  readonly resultsDue?: string;
  readonly appliedActivities: readonly string[];
}

const entryId = (): string => randomBytes(8).toString('base64url');

/** Whether a change shows in claim lists: what a summary shows, or who may see the claim. */
function listedDifferently(before: Claim, after: Claim): boolean {
  const shown = (c: Claim) =>
    JSON.stringify([
      c.title,
      c.status,
      c.amount,
      c.approvedAmount,
      c.exchange,
      c.payments?.length,
      c.fundId,
      c.owner,
      c.contributors.map((p) => p.id),
    ]);
  return shown(before) !== shown(after);
}

/**
 * The claim as `change` made it, with the ledger entries the change causes added to it: what it
 * changes in its fund's sums, or an empty entry for a change that only shows in claim lists (its
 * posting moves the tenant's list version on, so that cached overview pages are read again).
 */
export function withLedgerEntries(before: Claim | undefined, after: Claim): Claim {
  const entries = ledgerEntries(before, after, entryId);
  if (!entries.length && before && listedDifferently(before, after)) {
    entries.push({
      ...contributionOf(after),
      id: entryId(),
      claimed: 0,
      approved: 0,
      pending: 0,
      paid: 0,
      byType: [],
    });
  }
  return entries.length
    ? { ...after, ledgerEntries: [...(after.ledgerEntries ?? []), ...entries] }
    : after;
}

export function toDoc(claim: Claim, applied: readonly string[]): ClaimDoc {
  return {
    ...claim,
    type: 'claim',
    contributorIds: claim.contributors.map((p) => p.id),
    openOutbox: claim.outbox.some(isOpen) || Boolean(claim.ledgerEntries?.length),
    openRecipients: [...new Set(claim.outbox.filter(isOpen).map((n) => n.to.id))],
    nextRequestDue: nextReminderDue(claim) ?? NO_DUE,
    resultsDue: resultsReminderDue(claim) ?? NO_DUE,
    appliedActivities: applied.slice(-REMEMBERED_ACTIVITIES),
  };
}

export function toClaim(doc: ClaimDoc): Claim {
  const {
    type,
    contributorIds,
    appliedActivities,
    openOutbox,
    openRecipients,
    nextRequestDue,
    resultsDue,
    ...claim
  } = doc;
  return { ...claim, outbox: claim.outbox ?? [] };
}
