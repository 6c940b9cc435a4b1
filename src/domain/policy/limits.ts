import { invalidInput } from '../errors';
import { Money, isCurrency, parsePositiveAmount } from '../money';
import type { Actor, Person } from '../roles';
import { person } from '../claim';
import type { PolicyChange, PolicyRecord } from './model';

/** `reviewer up to 5,000 USD` → the role words and the limit's text; no `up to`: no limit. */
export function splitLimit(text: string): { role: string; limit?: string } {
  const m = /^(.*?)\s+(?:up to|tot)\s+(.+)$/i.exec(text.trim());
  return m ? { role: m[1], limit: m[2] } : { role: text };
}

/**
 * An approval limit as typed: `5,000 USD`, `USD 5,000` or `5,000` (in `main`, the tenant's main
 * currency). A limit applies in its own currency only.
 */
export function parseLimit(text: string, locale: string, main: string): Money {
  const m = /^(?:([A-Za-z]{3})\s+)?([^A-Za-z]+?)(?:\s+([A-Za-z]{3}))?$/.exec(text.trim());
  const code = (m?.[1] ?? m?.[3] ?? main).toUpperCase();
  if (!m || (m[1] && m[3]) || !isCurrency(code)) {
    throw invalidInput([{ field: 'limit', problem: 'invalid' }]);
  }
  return parsePositiveAmount(m[2], locale, code, 'limit');
}

type Edited = { record: PolicyRecord; changes: PolicyChange[] };

/** The reviewer's limit in its currency set (other currencies keep theirs), as a policy change. */
export function setLimit(
  current: PolicyRecord,
  actor: Actor,
  reviewer: Person,
  limit: Money,
  now: string,
): Edited {
  const mine = current.policy.limits[reviewer.id] ?? {};
  const from = mine[limit.currency];
  if (from === limit.minor) return { record: current, changes: [] };
  const limits = {
    ...current.policy.limits,
    [reviewer.id]: { ...mine, [limit.currency]: limit.minor },
  };
  return {
    record: { ...current, policy: { ...current.policy, limits } },
    changes: [
      {
        by: person(actor),
        at: now,
        rule: 'limit',
        currency: limit.currency,
        reviewer: { id: reviewer.id, name: reviewer.name },
        ...(from !== undefined ? { from } : {}),
        to: limit.minor,
      },
    ],
  };
}

/** Every limit of a reviewer removed (the Reviewer role was revoked), as policy changes. */
export function clearLimits(
  current: PolicyRecord,
  actor: Actor,
  reviewer: Person,
  now: string,
): Edited {
  const { [reviewer.id]: mine, ...rest } = current.policy.limits;
  if (!mine) return { record: current, changes: [] };
  return {
    record: { ...current, policy: { ...current.policy, limits: rest } },
    changes: Object.entries(mine).map(([currency, from]) => ({
      by: person(actor),
      at: now,
      rule: 'limit' as const,
      currency,
      reviewer: { id: reviewer.id, name: reviewer.name },
      from,
    })),
  };
}

/** The main currency of a tenant without funds. */
const DEFAULT_CURRENCY = 'USD';

/** The currency a limit typed without one is in: the one most of the tenant's funds' money is in. */
export function mainCurrency(funds: readonly { readonly allocated: Money }[]): string {
  const totals = new Map<string, number>();
  for (const f of funds) {
    const c = f.allocated.currency;
    totals.set(c, (totals.get(c) ?? 0) + f.allocated.minor);
  }
  const [best] = [...totals].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return best?.[0] ?? DEFAULT_CURRENCY;
}
