import type { Claim, ClaimDocument } from '../../domain/claim';
import { loadActor } from '../actor';
import type { Services } from '../services';
import { Reply, Turn, cardReply } from '../turn';
import {
  DOCUMENTS_PAGE,
  documentCard,
  documentsCard,
  lastDocumentsPage,
  newestFirst,
} from '../views/documents';
import { LINK_TTL_S, claimCardForEveryone } from './claimCards';
import { claimNumberFrom, visibleClaim } from './claimAccess';

/** Pieces of feedback per page of a document's Details. */
const FEEDBACK_PAGE = 10;

/** A page number from card data: a whole number within the claim's pages, else the nearest one. */
function pageFrom(value: unknown, claim: Claim): number {
  const page = Number(value);
  if (!Number.isSafeInteger(page) || page < 0) return 0;
  return Math.min(page, lastDocumentsPage(claim));
}

/** Signed links for these documents, in the user's own 1:1 chat only (shared chats ask the bot). */
async function linksFor(
  turn: Turn,
  services: Services,
  documents: readonly ClaimDocument[],
): Promise<Map<string, string>> {
  if (turn.scope !== 'personal') return new Map();
  const urls = await Promise.all(
    documents.map(
      async (d) => [d.id, await services.files.readUrl(d.blobName, LINK_TTL_S)] as const,
    ),
  );
  return new Map(urls);
}

/**
 * **Documents** on the claim card: every document of the claim, a page at a time, each with Open and
 * Details. A card that names documents answers only the user who asked (a card action's answer, or
 * a 1:1 chat); in a shared chat nothing here is posted for everybody.
 */
export async function showDocuments(
  turn: Turn,
  services: Services,
  data: { readonly claim: unknown; readonly page: unknown },
): Promise<Reply> {
  const actor = await loadActor(turn, services);
  const claim = await visibleClaim(services, actor, claimNumberFrom(data.claim));
  const page = pageFrom(data.page, claim);
  const shown = newestFirst(claim).slice(page * DOCUMENTS_PAGE, (page + 1) * DOCUMENTS_PAGE);
  const [urls, forEveryone] = await Promise.all([
    linksFor(turn, services, shown),
    claimCardForEveryone(turn, services, actor, claim),
  ]);
  return cardReply(documentsCard({ texts: turn.texts, claim, page, urls }), undefined, forEveryone);
}

/** **Details** of one document: all its feedback and the actions the viewer may take on it. */
export async function showDocument(
  turn: Turn,
  services: Services,
  data: {
    readonly claim: unknown;
    readonly document: unknown;
    readonly page: unknown;
    readonly feedbackBefore?: unknown;
  },
): Promise<Reply> {
  const actor = await loadActor(turn, services);
  const claim = await visibleClaim(services, actor, claimNumberFrom(data.claim));
  const document = claim.documents.find((d) => d.id === data.document);
  if (!document) return showDocuments(turn, services, { claim: claim.number, page: data.page });
  const before = Number(data.feedbackBefore);
  const [urls, forEveryone, feedback] = await Promise.all([
    linksFor(turn, services, [document]),
    claimCardForEveryone(turn, services, actor, claim),
    services.claims.feedbackPage(claim, document, {
      size: FEEDBACK_PAGE,
      ...(Number.isSafeInteger(before) && before > 0 ? { before } : {}),
    }),
  ]);
  return cardReply(
    documentCard({
      texts: turn.texts,
      claim,
      document,
      feedback,
      actor,
      url: urls.get(document.id) ?? '',
      page: pageFrom(data.page, claim),
    }),
    undefined,
    forEveryone,
  );
}
