import type { FundLedger } from './fund';

/** A key of a fund's sums per activity type (`typeKey`), beside the fund's own (`ledgerKey`). */
export const isTypeKey = (key: string): boolean => key.split(' ').length > 2;

/**
 * A ledger stored before issue 33: its funds have claims' sums but none per activity type. It gets
 * them once, from the claims (`withTypeSumsFrom`).
 */
export function lacksTypeSums(ledger: FundLedger): boolean {
  const keys = Object.keys(ledger);
  return (
    !keys.some(isTypeKey) &&
    keys.some((k) => ledger[k].claimed !== 0 || ledger[k].approved !== 0 || ledger[k].pending !== 0)
  );
}

/** `stored` with the activity type sums of `made`, a ledger summed from the tenant's claims. */
export const withTypeSumsFrom = (stored: FundLedger, made: FundLedger): FundLedger => ({
  ...stored,
  ...Object.fromEntries(Object.entries(made).filter(([k]) => isTypeKey(k))),
});

/**
 * The ledger to use of a tenant's record: the stored one; else, with `made` (summed from the
 * claims), a new one, or the stored one with its sums per activity type added once (stored before
 * issue 33); undefined while `made` is still to be summed.
 */
export function usableLedger<L extends { readonly funds: FundLedger }>(
  stored: L | undefined,
  made: FundLedger | undefined,
): L | { readonly funds: FundLedger; readonly posted: readonly string[] } | undefined {
  if (stored && !lacksTypeSums(stored.funds)) return stored;
  if (!made) return undefined;
  return stored
    ? { ...stored, funds: withTypeSumsFrom(stored.funds, made) }
    : { funds: made, posted: [] };
}
