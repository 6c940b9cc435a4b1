import { AppError, invalidInput } from '../errors';
import { Fund, outsidePeriodIssues } from '../fund';
import { Actor, canCreateClaims } from '../roles';
import { nextSeq, record } from './change';
import { ClaimInformation, INFORMATION_FIELDS } from './input';
import { Claim, FundRef, Metric, formatClaimNumber } from './model';
import { authorize, person, resultsOpenAfterDecision } from './permissions';
import { historyValue, sameMetric } from './results';

export const MAX_METRICS = 50;

export function createClaim(args: {
  actor: Actor;
  seq: number;
  formId: string;
  fund: FundRef;
  info: ClaimInformation;
  now: string;
}): Claim {
  const { actor, seq, formId, fund, info, now } = args;
  if (!canCreateClaims(actor)) throw new AppError('NOT_ALLOWED', { action: 'createClaim' });
  const number = formatClaimNumber(seq);
  const draft: Claim = {
    id: number,
    tenantId: actor.tenantId,
    number,
    seq,
    formId,
    fundId: fund.id,
    ...info,
    ...(fund.terms ? { terms: fund.terms } : {}),
    owner: person(actor),
    contributors: [],
    status: 'editing',
    documents: [],
    metrics: [],
    uploadRequests: [],
    history: [],
    outbox: [],
    createdAt: now,
    updatedAt: now,
  };
  return record(draft, { actor, now, kind: 'created', item: info.title });
}

export function editInformation(
  claim: Claim,
  actor: Actor,
  info: ClaimInformation,
  now: string,
  fund?: Pick<Fund, 'periodStart' | 'periodEnd' | 'graceDays'>,
): Claim {
  authorize(actor, claim, 'edit');
  const outside = fund
    ? outsidePeriodIssues(fund, info.activityStart, info.activityEnd, 'activityEnd')
    : [];
  if (outside.length) throw invalidInput(outside);
  const changed = INFORMATION_FIELDS.filter(
    (k) => JSON.stringify(info[k]) !== JSON.stringify(claim[k]),
  );
  if (!changed.length) return claim;
  return record(claim, {
    actor,
    now,
    kind: 'informationEdited',
    changes: { ...info },
    item: changed.join(', '),
  });
}

/**
 * Adds a metric, or changes the one of the same kind (free ones: the same name), with the old value
 * in the history. While the claim is editable its editors may; after the decision its owner and
 * Incentives admins may add results for RESULTS_OPEN_DAYS (recorded as `resultsRecorded`, which
 * gives no hand in the claim: results do not change its money).
 */
export function addMetric(
  claim: Claim,
  actor: Actor,
  metric: Omit<Metric, 'id'>,
  now: string,
): Claim {
  const afterDecision = resultsOpenAfterDecision(actor, claim, now);
  if (!afterDecision) authorize(actor, claim, 'edit');
  const replaced = claim.metrics.find((m) => sameMetric(m, metric));
  if (!replaced && claim.metrics.length >= MAX_METRICS) {
    throw invalidInput([{ field: 'metricName', problem: 'tooMany', params: { max: MAX_METRICS } }]);
  }
  const currency = claim.amount.currency;
  const value = historyValue(metric, currency);
  const metrics = replaced
    ? claim.metrics.map((m) => (m === replaced ? { ...metric, id: m.id } : m))
    : [...claim.metrics, { id: `m${nextSeq(claim)}`, ...metric }];
  return record(claim, {
    actor,
    now,
    kind: afterDecision ? 'resultsRecorded' : 'metricAdded',
    changes: { metrics },
    item: replaced
      ? `${metric.name}: ${historyValue(replaced, currency)} → ${value}`
      : `${metric.name}: ${value}`,
  });
}

export function addComment(claim: Claim, actor: Actor, text: string, now: string): Claim {
  authorize(actor, claim, 'comment');
  return record(claim, { actor, now, kind: 'commented', note: text });
}
