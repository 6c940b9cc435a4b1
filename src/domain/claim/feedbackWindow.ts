import { pageBefore } from './historyWindow';
import type { ClaimDocument, Feedback } from './model';

/**
 * A claim document keeps the newest feedback of each of its documents; the older pieces live as
 * items of their own in the claim's partition (the store moves them there), so a claim's size does
 * not grow with its feedback and none is ever dropped.
 */
export const FEEDBACK_KEPT = 10;

/** The ordinal of feedback stored before pieces had one: counted back from the newest. */
function feedbackNumber(doc: ClaimDocument, index: number): number {
  return (
    doc.feedback[index].n ??
    (doc.feedbackCount ?? doc.feedback.length) - (doc.feedback.length - 1 - index)
  );
}

/** The document with one more piece of feedback, numbered after every piece it ever had. */
export function withMoreFeedback(doc: ClaimDocument, piece: Omit<Feedback, 'n'>): ClaimDocument {
  const n = (doc.feedbackCount ?? doc.feedback.length) + 1;
  return { ...doc, feedback: [...doc.feedback, { ...piece, n }], feedbackCount: n };
}

/** The feedback a document keeps, and the older pieces to move out, oldest first in both. */
export function splitFeedback(doc: ClaimDocument): {
  readonly kept: readonly Feedback[];
  readonly moved: readonly Feedback[];
} {
  const numbered = doc.feedback.map((f, i) => ({ ...f, n: feedbackNumber(doc, i) }));
  const at = Math.max(0, numbered.length - FEEDBACK_KEPT);
  return { kept: numbered.slice(at), moved: numbered.slice(0, at) };
}

/** One page of a document's feedback, newest first: `next` is the `before` of the page after it. */
export interface FeedbackPage {
  readonly feedback: readonly Feedback[];
  readonly next?: number;
}

/** The page `before` (an ordinal; none: the newest) of a document's feedback, newest first. */
export function feedbackPageOf(
  newestFirst: readonly Feedback[],
  query: { readonly before?: number; readonly size: number },
): FeedbackPage {
  const { items, next } = pageBefore(newestFirst, (f) => f.n ?? 0, query);
  return next === undefined ? { feedback: items } : { feedback: items, next };
}
