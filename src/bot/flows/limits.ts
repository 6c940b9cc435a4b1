import type { Money } from '../../domain/money';
import { clearLimits, mainCurrency, parseLimit, setLimit } from '../../domain/policy';
import type { Actor, Person } from '../../domain/roles';
import type { Services } from '../services';
import type { Turn } from '../turn';

/** The limit typed after `up to`, in the tenant's main currency unless it names one. */
export async function limitFor(turn: Turn, services: Services, text: string): Promise<Money> {
  const funds = await services.funds.list(turn.tenantId);
  return parseLimit(text, turn.texts.locale, mainCurrency(funds));
}

/**
 * A reviewer's approval limit set (`grant @Name reviewer up to …`) or, with none, every limit of
 * theirs removed (the role revoked or granted again without one): history of the tenant's policy.
 */
export async function changeLimit(
  turn: Turn,
  services: Services,
  actor: Actor,
  reviewer: Person,
  limit: Money | undefined,
): Promise<void> {
  const now = turn.now.toISOString();
  await services.policy.change(turn.tenantId, (record) =>
    limit
      ? setLimit(record, actor, reviewer, limit, now)
      : clearLimits(record, actor, reviewer, now),
  );
}
