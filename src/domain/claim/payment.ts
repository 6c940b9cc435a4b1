import { AppError, InputIssue, invalidInput } from '../errors';
import { paidOf } from '../fund';
import { Money, money, parsePositiveAmount } from '../money';
import { fundCurrencyOf } from '../reimbursement';
import type { Actor } from '../roles';
import { transition } from '../status';
import { readChoice, readDate, readText } from '../text';
import { ownerAndContributors, record } from './change';
import { Claim, PAYMENT_METHODS, Payment } from './model';
import { authorize, person } from './permissions';

/** Long enough for a bank or ERP reference; longer text is a note, not a reference. */
export const PAYMENT_REFERENCE_MAX = 100;
/** Payments one claim may have: instalments, not a ledger of their own. */
export const MAX_PAYMENTS = 20;

/** What an Incentives admin types on Record payment (the amount in the user's locale). */
export interface PaymentInput {
  readonly method: unknown;
  readonly amount: unknown;
  readonly date: unknown;
  readonly reference: unknown;
}

/** A payment above what is still owed on the claim: `owed` is what may still be paid. */
export class OverpaymentError extends AppError {
  constructor(readonly owed: Money) {
    super('PAYMENT_OVER_OWED', { owed: owed.minor, currency: owed.currency });
  }
}

/** What is still owed of the approved amount, in the fund's currency. */
export function owedOf(claim: Claim): Money {
  return money(
    Math.max(0, (claim.approvedAmount?.minor ?? 0) - paidOf(claim)),
    fundCurrencyOf(claim),
  );
}

/** Approved, with payments that do not yet reach the approved amount: "Partly paid". */
export const isPartlyPaid = (
  claim: Pick<Claim, 'status' | 'approvedAmount' | 'payments'>,
): boolean => claim.status === 'approved' && paidOf(claim) > 0;

function readPayment(input: PaymentInput, locale: string, currency: string, now: string) {
  const issues: InputIssue[] = [];
  const method = readChoice(issues, 'paymentMethod', input.method, PAYMENT_METHODS);
  let amount: Money | undefined;
  try {
    const text = typeof input.amount === 'string' ? input.amount : '';
    amount = parsePositiveAmount(text, locale, currency, 'amountPaid');
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    issues.push(...e.issues);
  }
  const date = readDate(issues, 'paymentDate', input.date);
  const reference = readText(issues, 'paymentReference', input.reference, PAYMENT_REFERENCE_MAX);
  if (date && date > now.slice(0, 10)) issues.push({ field: 'paymentDate', problem: 'inFuture' });
  if (issues.length || !method || !amount) throw invalidInput(issues);
  return { method, amount, date, reference };
}

/**
 * A payment of an approved claim (fund currency). Payments add up: the claim stays Approved ("Partly
 * paid") until they reach the approved amount, then it is Paid; more than is still owed is refused.
 * The money stays approved on the fund; the owner and contributors are told of each payment.
 */
export function recordPayment(
  claim: Claim,
  actor: Actor,
  input: PaymentInput,
  locale: string,
  now: string,
): Claim {
  authorize(actor, claim, 'recordPayment');
  const read = readPayment(input, locale, fundCurrencyOf(claim), now);
  const owed = owedOf(claim);
  if (read.amount.minor > owed.minor) throw new OverpaymentError(owed);
  const payments = claim.payments ?? [];
  if (payments.length >= MAX_PAYMENTS) {
    throw invalidInput([
      { field: 'amountPaid', problem: 'tooMany', params: { max: MAX_PAYMENTS } },
    ]);
  }
  const payment: Payment = { ...read, by: person(actor), at: now };
  const full = read.amount.minor === owed.minor;
  return record(claim, {
    actor,
    now,
    kind: 'paid',
    changes: {
      ...(full ? { status: transition(claim.status, 'recordPayment') } : {}),
      payments: [...payments, payment],
    },
    item: read.reference,
    note: read.date,
    announce: [
      {
        kind: 'paid',
        to: ownerAndContributors(claim),
        details: {
          ...(claim.approvedAmount ? { approved: JSON.stringify(claim.approvedAmount) } : {}),
          amountPaid: JSON.stringify(read.amount),
          paymentDate: read.date,
          paymentReference: read.reference,
        },
      },
    ],
  });
}
