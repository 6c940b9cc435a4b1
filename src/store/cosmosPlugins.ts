import type { Plugin } from '@azure/cosmos';

/*
 * Two request plugins of the Cosmos DB client (see openCosmos in cosmos.ts): plugins are a hidden SDK
 * feature, so each is covered by a test that fails when an upgrade changes what it relies on.
 */

const IS_QUERY_PLAN = 'x-ms-cosmos-is-query-plan-request';
const IS_BATCH = 'x-ms-cosmos-is-batch-request';

/**
 * @azure/cosmos 4.9 asks for a query plan alongside every query and uses it only when the service
 * answers that the query needs one, which a query within one logical partition never does: such plan
 * requests are answered here, without a round trip, by an error the SDK keeps and never reads. Queries
 * across partitions still get their plan. (Plugins are a hidden SDK feature: check on an upgrade;
 * test/store/cosmos.test.ts counts the requests.)
 */
export const skipSinglePartitionQueryPlans: Plugin<unknown> = (context, _diagnosticNode, next) => {
  const withinPartition = (context.options as { partitionKey?: unknown } | undefined)?.partitionKey;
  if (context.headers?.[IS_QUERY_PLAN] && withinPartition !== undefined) {
    return Promise.reject(new Error('no query plan needed within one partition'));
  }
  return next(context);
};

/** The error each failed batch request really met, by the options object its caller passed. */
const batchErrors = new WeakMap<object, unknown>();

/**
 * `items.batch` rethrows whatever its request met as a plain Error with the message only, so a
 * throttled or unreachable database would look like a bug: the original error (with its status
 * code) is kept here for `writeBatch` to throw instead. (A hidden SDK feature, like the plugin
 * above; test/trust/faults.test.ts fails Create claim, one batch, with 429, 503 and refusals.)
 */
export const keepBatchErrors: Plugin<unknown> = (context, _diagnosticNode, next) => {
  const options = context.options;
  if (!context.headers?.[IS_BATCH] || !options) return next(context);
  return next(context).catch((e: unknown) => {
    batchErrors.set(options, e);
    throw e;
  });
};

/** The error a failed batch request met, kept by `keepBatchErrors` under its options object. */
export const batchErrorOf = (options: object): unknown => batchErrors.get(options);
