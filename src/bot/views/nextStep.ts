import { reimbursableOf } from '../../domain/reimbursement';
import type { ClaimNextStep, ClaimChecklist } from '../../../cards';
import type { Claim, ClaimPermissions } from '../../domain/claim';
import type { Money } from '../../domain/money';
import { Check, CheckCode } from '../../domain/requirements';
import type { Texts } from '../../i18n/i18n';
import { requirementText } from '../errors';

/** The buttons of a claim card's action row, by the key the template names them with. */
export const CARD_ACTIONS = [
  'submit',
  'startReview',
  'approve',
  'reject',
  'requestInformation',
  'commentOnItem',
  'dispute',
  'recordPayment',
  'addDocument',
  'addMetric',
  'requestUpload',
  'comment',
  'editInformation',
  'nextClaim',
] as const;
export type CardAction = (typeof CARD_ACTIONS)[number];

/** The permission each button of the row needs: the button is shown from the viewer's `can`. */
const NEEDS: Readonly<Record<Exclude<CardAction, 'nextClaim'>, keyof ClaimPermissions>> = {
  submit: 'submit',
  startReview: 'startReview',
  approve: 'approve',
  reject: 'decide',
  requestInformation: 'decide',
  commentOnItem: 'reviewItems',
  dispute: 'dispute',
  recordPayment: 'recordPayment',
  addDocument: 'addDocuments',
  addMetric: 'edit',
  requestUpload: 'requestUpload',
  comment: 'comment',
  editInformation: 'edit',
};

/** Whether the viewer may press a button of the row (the permissions the verbs check). */
export const allowedAction =
  (can: ClaimPermissions, reviewer: boolean) =>
  (a: CardAction): boolean =>
    a === 'nextClaim' ? offersNextClaim(can, reviewer) : can[NEEDS[a]];

/**
 * A reviewer who has no step to take on this claim (decided it, gave its first approval, had a hand
 * in it) goes on to the next.
 */
export const offersNextClaim = (can: ClaimPermissions, reviewer: boolean): boolean =>
  reviewer && !can.approve && !can.submit;

/** The order buttons earn a place in the visible row after the next step's own. */
const ROW_PREFERENCE: readonly CardAction[] = [
  'submit',
  'addDocument',
  'addMetric',
  'approve',
  'reject',
  'requestInformation',
  'recordPayment',
];
/** At Teams' narrowest (340 px) three buttons and the overflow button fit about this many characters. */
const ROW_CHARACTERS = 22;
const ROW_BUTTONS = 3;

/** The buttons shown in the row (the rest go to the overflow menu): the primary first, titles in full. */
export function actionRow(
  primary: CardAction | null,
  allowed: (a: CardAction) => boolean,
  title: (a: CardAction) => string,
): CardAction[] {
  const row: CardAction[] = [];
  let used = 0;
  for (const a of [...(primary ? [primary] : []), ...ROW_PREFERENCE]) {
    if (!allowed(a) || row.includes(a) || row.length === ROW_BUTTONS) continue;
    const length = title(a).length;
    if (row.length > 0 && used + length > ROW_CHARACTERS) continue;
    row.push(a);
    used += length;
  }
  return row;
}

/** A next step with the button that takes it. */
export interface Step extends ClaimNextStep {
  readonly action: CardAction | null;
}

/** The button that mends an unmet check. */
const FIX: Readonly<Record<CheckCode, CardAction>> = {
  invoiceOrCsr: 'addDocument',
  proofOfExecution: 'addDocument',
  explanations: 'addDocument',
  metric: 'addMetric',
  amount: 'editInformation',
  dates: 'editInformation',
};

/** The checklist before submit ("3 of 6 done"): each check met, or what keeps it from being met. */
export function checklistView(texts: Texts, checks: readonly Check[]): ClaimChecklist {
  const done = checks.filter((c) => c.unmet.length === 0).length;
  return {
    heading: texts.t('next.checklist', { done, total: checks.length }),
    items: checks.flatMap((c): ClaimChecklist['items'] =>
      c.unmet.length
        ? c.unmet.map((u) => ({ done: false, text: requirementText(texts, u) }))
        : [{ done: true, text: texts.tDynamic(`next.check.${c.code}`) }],
    ),
  };
}

/** "3 days", "1 day", "today": how long since `since`. */
export function waited(texts: Texts, since: string | undefined, now: Date): string {
  if (!since) return texts.t('next.waitedToday');
  const days = Math.floor((now.getTime() - Date.parse(since)) / 86_400_000);
  if (days < 1) return texts.t('next.waitedToday');
  return days === 1 ? texts.t('next.waitedOneDay') : texts.t('next.waitedDays', { count: days });
}

/**
 * When the claim started waiting for a reviewer: its submission, or for a disputed claim the dispute
 * (claims disputed before that time was kept: the dispute in the history the claim still holds).
 */
export function waitingSince(
  claim: Pick<Claim, 'status' | 'submittedAt' | 'disputedAt'> & { history?: Claim['history'] },
): string | undefined {
  if (claim.status !== 'disputed') return claim.submittedAt;
  return claim.disputedAt ?? claim.history?.findLast((e) => e.kind === 'disputed')?.at;
}

interface StepContext {
  readonly texts: Texts;
  readonly claim: Claim;
  readonly can: ClaimPermissions;
  readonly checks: readonly Check[] | undefined;
  readonly now: Date;
  /** The viewer reviews claims (Next claim takes them on through the queue). */
  readonly reviewer: boolean;
  /** The viewer's user id (another reviewer's review reads differently from one's own). */
  readonly actorId: string;
}

/** The owner's step while the claim can be submitted: answer the reviewer, mend what is missing, submit. */
function ownerStep({ texts, claim, checks }: StepContext): Step {
  const firstUnmet = checks?.find((c) => c.unmet.length > 0);
  const action = firstUnmet ? FIX[firstUnmet.code] : 'submit';
  if (claim.status === 'actionRequired') {
    // Claims asked before the question was kept on the claim: their history, if it still holds it.
    const asked =
      claim.question ?? claim.history.findLast((e) => e.kind === 'informationRequested');
    return {
      style: 'attention',
      text: texts.t('next.answerReviewer', { name: asked?.by.name ?? '—' }),
      items: [asked?.note, asked?.item].filter((x): x is string => Boolean(x)),
      action,
    };
  }
  if (!firstUnmet) return { style: 'good', text: texts.t('next.readyToSubmit'), items: [], action };
  const missing = checks?.filter((c) => c.unmet.length > 0).length ?? 0;
  return {
    style: 'warning',
    text: texts.t('next.notReady', { count: missing }),
    items: [],
    action,
  };
}

/** A reviewer's line: the claim waits for them, or another reviewer said they are on it. */
function reviewLine({ texts, claim, actorId }: StepContext, since: string): string {
  const other = claim.status === 'underReview' && claim.reviewer && claim.reviewer.id !== actorId;
  return other && claim.reviewer
    ? texts.t('next.othersReview', { name: claim.reviewer.name, waited: since })
    : texts.t('next.yourReview', { waited: since });
}

/** What the viewer of the claim card should do next, and the button that does it. */
export function nextStep(ctx: StepContext): Step {
  const step = stepOnThisClaim(ctx);
  return !step.action && offersNextClaim(ctx.can, ctx.reviewer)
    ? { ...step, action: 'nextClaim' }
    : step;
}

function stepOnThisClaim(ctx: StepContext): Step {
  const { texts, claim, can, now } = ctx;
  const info = (text: string, action: CardAction | null = null): Step => ({
    style: 'accent',
    text,
    items: [],
    action,
  });
  if (can.submit) return ownerStep(ctx);
  const since = waited(texts, waitingSince(claim), now);
  if (can.approve) return info(reviewLine(ctx, since), 'approve');
  if (can.decide) return info(texts.t('next.secondApproval'));
  if (can.recordPayment) return info(texts.t('next.recordPayment'), 'recordPayment');
  if (can.addDocuments) return info(texts.t('next.addDocuments'), 'addDocument');
  switch (claim.status) {
    case 'submitted':
    case 'underReview':
    case 'disputed':
      return info(texts.t('next.waitingForReview', { waited: since }));
    case 'actionRequired':
      return info(texts.t('next.waitingForOwner', { name: claim.owner.name }));
    case 'editing':
      return info(texts.t('next.beingPrepared', { name: claim.owner.name }));
    case 'rejected':
      return { ...info(texts.t('next.rejected')), style: 'attention' };
    default:
      return { ...info(texts.t('next.decided')), style: 'good' };
  }
}

/** The warning before submit when the claim asks more than its fund has left, or empty. */
export function fundWarning(
  texts: Texts,
  claim: Claim,
  remaining: Money | undefined,
  fundName: string,
): string {
  // The fund gives the reimbursable amount, in its own currency.
  const due = reimbursableOf(claim);
  if (!remaining || !due || due.minor <= remaining.minor) return '';
  return texts.t('next.overRemaining', {
    amount: texts.money(due),
    fund: fundName,
    remaining: texts.money(remaining),
  });
}
