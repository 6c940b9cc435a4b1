import { AppError, invalidInput } from '../errors';
import { Fund, outsidePeriodIssues } from '../fund';
import { Actor, canCreateClaims } from '../roles';
import { nextSeq, record } from './change';
import { ClaimInformation, INFORMATION_FIELDS } from './input';
import { Claim, FundRef, Metric, formatClaimNumber } from './model';
import { authorize, person } from './permissions';

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

export function addMetric(
  claim: Claim,
  actor: Actor,
  metric: Omit<Metric, 'id'>,
  now: string,
): Claim {
  authorize(actor, claim, 'edit');
  if (claim.metrics.length >= MAX_METRICS) {
    throw invalidInput([{ field: 'metricName', problem: 'tooMany', params: { max: MAX_METRICS } }]);
  }
  const id = `m${nextSeq(claim)}`;
  return record(claim, {
    actor,
    now,
    kind: 'metricAdded',
    changes: { metrics: [...claim.metrics, { id, ...metric }] },
    item: `${metric.name}: ${metric.value}`,
  });
}

export function addComment(claim: Claim, actor: Actor, text: string, now: string): Claim {
  authorize(actor, claim, 'comment');
  return record(claim, { actor, now, kind: 'commented', note: text });
}
