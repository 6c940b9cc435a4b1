import { InputIssue, invalidInput } from '../errors';
import type { Actor } from '../roles';
import { transition } from '../status';
import { readDate, readText } from '../text';
import { ownerAndContributors, record } from './change';
import type { Claim } from './model';
import { authorize, person } from './permissions';

/** Long enough for a bank or ERP reference; longer text is a note, not a reference. */
export const PAYMENT_REFERENCE_MAX = 100;

/** What an Incentives admin types on Record payment. */
export interface PaymentInput {
  readonly date: unknown;
  readonly reference: unknown;
}

/**
 * Approved → Paid: the approved amount went out on `date` under `reference`. The money stays
 * approved on the fund; the owner and contributors are told.
 */
export function recordPayment(claim: Claim, actor: Actor, input: PaymentInput, now: string): Claim {
  authorize(actor, claim, 'recordPayment');
  const issues: InputIssue[] = [];
  const date = readDate(issues, 'paymentDate', input.date);
  const reference = readText(issues, 'paymentReference', input.reference, PAYMENT_REFERENCE_MAX);
  if (date && date > now.slice(0, 10)) issues.push({ field: 'paymentDate', problem: 'inFuture' });
  if (issues.length) throw invalidInput(issues);
  const payment = { date, reference, by: person(actor), at: now };
  return record(claim, {
    actor,
    now,
    kind: 'paid',
    changes: { status: transition(claim.status, 'recordPayment'), payment },
    item: reference,
    note: date,
    announce: [
      {
        kind: 'paid',
        to: ownerAndContributors(claim),
        details: {
          ...(claim.approvedAmount ? { approved: JSON.stringify(claim.approvedAmount) } : {}),
          paymentDate: date,
          paymentReference: reference,
        },
      },
    ],
  });
}
