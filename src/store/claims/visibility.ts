import type { ClaimScope } from './port';

export type QueryParameter = { name: string; value: string | number | boolean };

/**
 * The condition (starting with AND, or empty) that keeps a claim query to what the scope may see,
 * as `canView` decides it; adds its parameters.
 */
export function visibleTo(scope: ClaimScope, parameters: QueryParameter[]): string {
  if (scope.kind === 'tenant') return '';
  parameters.push({ name: '@u', value: scope.userId });
  const submitted = scope.includeSubmitted ? " OR c.status != 'editing'" : '';
  // Contributors keep access only until the claim is decided (as canView says).
  return ` AND (c.owner.id = @u OR (ARRAY_CONTAINS(c.contributorIds, @u) AND c.status != 'approved' AND c.status != 'rejected')${submitted})`;
}
