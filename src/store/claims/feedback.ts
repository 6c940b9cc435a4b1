import type { Container } from '@azure/cosmos';
import {
  type Claim,
  type ClaimDocument,
  type Feedback,
  type FeedbackPage,
  feedbackPageOf,
  splitFeedback,
} from '../../domain/claim';
import { queryAll, upsertAll } from '../cosmos';

/** Feedback moved out of its claim's document: an item of its own in the tenant's partition. */
interface FeedbackItem extends Feedback {
  readonly id: string;
  readonly tenantId: string;
  readonly type: 'documentFeedback';
  readonly claim: string;
  readonly document: string;
}

/** The page of a document's feedback to read (newest first): pieces before `before`, at most `size`. */
export interface FeedbackQuery {
  readonly before?: number;
  readonly size: number;
}

/** The claim with each document keeping its newest feedback only (see feedbackWindow.ts). */
export function withKeptFeedback(claim: Claim): Claim {
  if (!claim.documents.some((d) => splitFeedback(d).moved.length)) return claim;
  return {
    ...claim,
    documents: claim.documents.map((d) => ({ ...d, feedback: splitFeedback(d).kept })),
  };
}

/** The pieces of `current`'s documents that `next` (as stored) no longer keeps, by document. */
export function movedFeedback(
  current: Claim | undefined,
  next: Claim,
): { document: string; piece: Feedback }[] {
  const moved: { document: string; piece: Feedback }[] = [];
  for (const doc of current?.documents ?? []) {
    const after = next.documents.find((d) => d.id === doc.id);
    if (!after) continue;
    const kept = new Set(splitFeedback(after).kept.map((f) => f.n));
    for (const piece of splitFeedback(doc).kept) {
      if (!kept.has(piece.n)) moved.push({ document: doc.id, piece });
    }
  }
  return moved;
}

/**
 * A claim's document feedback beyond the newest pieces the claim document keeps. As with history
 * (history.ts), pieces move out only from a version that was stored, each under an id of its own
 * (claim, document, ordinal), so writing one twice is harmless.
 */
export class ClaimFeedbackItems {
  constructor(private readonly container: Container) {}

  async moveOut(tenantId: string, number: string, current: Claim | undefined, next: Claim) {
    const moved = movedFeedback(current, next);
    if (!moved.length) return;
    await upsertAll(
      this.container,
      tenantId,
      moved.map(
        ({ document, piece }): FeedbackItem => ({
          ...piece,
          id: `${number}.f${piece.n}.${document}`,
          tenantId,
          type: 'documentFeedback',
          claim: number,
          document,
        }),
      ),
    );
  }

  /** Newest first: the pieces the document keeps, then those moved out, a page at a time. */
  async page(claim: Claim, doc: ClaimDocument, query: FeedbackQuery): Promise<FeedbackPage> {
    const before = query.before ?? Number.MAX_SAFE_INTEGER;
    const wanted = query.size + 1;
    const kept = splitFeedback(doc).kept;
    const pieces = [...kept]
      .reverse()
      .filter((f) => (f.n ?? 0) < before)
      .slice(0, wanted);
    const below = Math.min(before, kept[0]?.n ?? (doc.feedbackCount ?? 0) + 1);
    if (pieces.length < wanted && below > 1) {
      const rows = await queryAll<FeedbackItem>(
        this.container,
        `SELECT TOP ${wanted - pieces.length} * FROM c WHERE c.tenantId = @t AND c.type = 'documentFeedback' AND c.claim = @n AND c.document = @d AND c.n < @before ORDER BY c.n DESC`,
        [
          { name: '@t', value: claim.tenantId },
          { name: '@n', value: claim.number },
          { name: '@d', value: doc.id },
          { name: '@before', value: below },
        ],
      );
      pieces.push(...rows.map(({ by, at, text, n }) => ({ by, at, text, n })));
    }
    return feedbackPageOf(pieces, { size: query.size });
  }
}
