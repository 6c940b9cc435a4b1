import { DECIDED_STATUSES } from '../../domain/status';
import type { ClaimScope } from './port';

export type QueryParameter = { name: string; value: string | number | boolean };

/**
 * The condition (starting with AND, or empty) that keeps a claim query to what the scope may see,
 * as `canView` decides it; adds its parameters.
 */
export function visibleTo(scope: ClaimScope, parameters: QueryParameter[]): string {
  if (scope.kind === 'tenant') return '';
  parameters.push({ name: '@u', value: scope.userId });
  const undecided = DECIDED_STATUSES.map((status, i) => {
    parameters.push({ name: `@decided${i}`, value: status });
    return `c.status != @decided${i}`;
  }).join(' AND ');
  const owned = scope.includeOwned ? 'c.owner.id = @u OR ' : '';
  const submitted = scope.includeSubmitted ? " OR c.status != 'editing'" : '';
  // Contributors keep access only until the claim is decided (as canView says).
  return ` AND (${owned}(ARRAY_CONTAINS(c.contributorIds, @u) AND ${undecided})${submitted})`;
}
