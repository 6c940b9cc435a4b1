import {
  AdaptiveCard,
  DocumentView,
  Notice,
  renderDocument,
  renderDocuments,
} from '../../../cards';
import { Claim, ClaimDocument, Feedback, FeedbackPage, permissions } from '../../domain/claim';
import type { Actor } from '../../domain/roles';
import type { Texts } from '../../i18n/i18n';
import { readingLine } from './invoiceReading';
import { literal } from './text';

/** Documents per page of the documents list: a page stays far below Teams' card size limit. */
export const DOCUMENTS_PAGE = 8;

/** The documents of a claim, newest first (as the claim card shows the newest). */
export const newestFirst = (claim: Claim): ClaimDocument[] => [...claim.documents].reverse();

/** The number of the last page of a claim's documents list (0 for none). */
export const lastDocumentsPage = (claim: Claim): number =>
  Math.max(0, Math.ceil(claim.documents.length / DOCUMENTS_PAGE) - 1);

const feedbackLines = (texts: Texts, feedback: readonly Feedback[]): string[] =>
  feedback.map((f) => texts.t('detail.feedbackLine', { name: f.by.name, text: f.text }));

export function documentView(texts: Texts, d: ClaimDocument, url: string): DocumentView {
  return {
    id: d.id,
    fileName: d.fileName,
    typeLabel: texts.tDynamic(`documentType.${d.type}`),
    explanation: d.explanation,
    uploadedLine: texts.t('detail.uploadedBy', {
      name: literal(d.uploadedBy.name),
      size: texts.bytes(d.size),
    }),
    readingLine: readingLine(texts, d),
    feedback: feedbackLines(texts, d.feedback),
    url,
  };
}

const labels = (texts: Texts): Readonly<Record<string, string>> => ({
  ...texts.messages.detail,
  ...texts.messages.documents,
});

/** One page of a claim's documents: each with Open and Details (its card, with its actions). */
export function documentsCard(o: {
  readonly texts: Texts;
  readonly claim: Claim;
  readonly page: number;
  /** Signed links by document id (1:1 chat); none elsewhere. */
  readonly urls: ReadonlyMap<string, string>;
}): AdaptiveCard {
  const { texts, claim, page } = o;
  const all = newestFirst(claim);
  const from = page * DOCUMENTS_PAGE;
  const shown = all.slice(from, from + DOCUMENTS_PAGE);
  return renderDocuments({
    t: labels(texts),
    heading: texts.t('documents.heading', { number: claim.number }),
    pageLine: texts.t('documents.pageLine', {
      title: literal(claim.title),
      from: shown.length ? from + 1 : 0,
      to: from + shown.length,
      count: all.length,
    }),
    number: claim.number,
    page,
    documents: shown.map((d) => documentView(texts, d, o.urls.get(d.id) ?? '')),
    previous: page > 0 ? page - 1 : null,
    next: from + DOCUMENTS_PAGE < all.length ? page + 1 : null,
  });
}

/**
 * One document of a claim, whole: a page of its feedback (oldest first on the page, a button to the
 * page before it) and what the viewer may do with it.
 */
export function documentCard(o: {
  readonly texts: Texts;
  readonly claim: Claim;
  readonly document: ClaimDocument;
  readonly feedback: FeedbackPage;
  readonly actor: Actor;
  readonly url: string;
  readonly page: number;
  readonly notice?: Notice;
}): AdaptiveCard {
  const { texts, claim, document } = o;
  const can = permissions(o.actor, claim);
  const view = documentView(texts, document, o.url);
  return renderDocument({
    ...view,
    feedback: feedbackLines(texts, [...o.feedback.feedback].reverse()),
    olderFeedback: o.feedback.next ?? null,
    t: labels(texts),
    notice: o.notice ?? null,
    number: claim.number,
    subtitle: texts.t('documents.subtitle', { type: view.typeLabel, number: claim.number }),
    page: o.page,
    can: { edit: can.edit, reviewItems: can.reviewItems },
  });
}
