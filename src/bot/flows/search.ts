import type { AdaptiveCard, ClaimSummaryView } from '../../../cards';
import { parseClaimNumber, permissions } from '../../domain/claim';
import { AppError } from '../../domain/errors';
import { hasAnyRole } from '../../domain/roles';
import { loadActor, visibleScope } from '../actor';
import type { Services } from '../services';
import type { Turn } from '../turn';
import { summaryView } from '../views/claim';
import { renderClaimCard } from './claimCards';

/** A compose-box search as the user typed it, and the page Teams asks for. */
export interface ClaimSearchRequest {
  readonly text: string;
  readonly skip: number;
  readonly count: number;
}

/** One claim found: its line in the result list and the card that goes into the chat. */
export interface SearchHit {
  readonly summary: ClaimSummaryView;
  readonly card: AdaptiveCard;
}

/** Title words a search uses at most: more narrow nothing down that these do not. */
const MAX_WORDS = 8;
/** How far a search pages: each page reads those before it again (see CosmosClaimSearch). */
const SEARCH_DEPTH = 200;
/** A bare number searches for that claim number too (`42` finds CLM-0042). */
const BARE_NUMBER = /^\d{1,9}$/;

/**
 * The message extension's search: the claims this user may see (as `claims` lists them) whose number
 * is the text or whose title holds every word of it, newest first; no text lists the newest. Each
 * comes with the card everybody in a chat may see: no document names or links, refreshed per user.
 */
export async function searchClaims(
  turn: Turn,
  services: Services,
  request: ClaimSearchRequest,
): Promise<SearchHit[]> {
  const actor = await loadActor(turn, services);
  if (request.skip >= SEARCH_DEPTH) return [];
  const scope = visibleScope(actor);
  const text = request.text.toLowerCase();
  const words = [...new Set(text.split(/\s+/).filter(Boolean))].slice(0, MAX_WORDS);
  const number = parseClaimNumber(BARE_NUMBER.test(text) ? `CLM-${text}` : text);
  const found = await services.claimSearch.search(turn.tenantId, scope, {
    words,
    number,
    skip: request.skip,
    count: Math.min(request.count, SEARCH_DEPTH - request.skip),
  });
  // A colleague asked to upload has no role but may see the claims they contribute to.
  if (!found.length && !hasAnyRole(actor)) {
    const any = await services.claims.list(turn.tenantId, scope, { size: 1 });
    if (!any.items.length) throw new AppError('NO_ROLE');
  }
  const hits = await Promise.all(
    found.map(async (summary): Promise<SearchHit | undefined> => {
      const claim = await services.claims.get(turn.tenantId, summary.number);
      const can = claim && permissions(actor, claim);
      if (!claim || !can?.view) return undefined;
      const render = { services, texts: turn.texts, actor, claim, can };
      return {
        summary: summaryView(turn.texts, summary),
        card: await renderClaimCard(render, 'withheld'),
      };
    }),
  );
  return hits.filter((h): h is SearchHit => h !== undefined);
}
