import type { Choice } from '../../../cards';
import { loadActor } from '../actor';
import type { Services } from '../services';
import type { Turn } from '../turn';
import { newestFirst } from '../views/documents';
import { claimNumberFrom, visibleClaim } from './claimAccess';

/** The dataset a claim card's document pick-lists search (Data.Query): `claimDocuments CLM-0042`. */
const DATASET = /^claimDocuments (\S{1,20})$/;
/** Teams shows at most 15 choices of a typeahead search. */
const MOST = 15;
const QUERY_MAX = 200;

/**
 * Typeahead search of a document pick-list (`application/search`): the documents of the claim the
 * card is about, for a user who may see it, whose name, type or explanation holds the typed text.
 * Anything else — another dataset, a claim the user may not see — finds nothing.
 */
export async function searchDocuments(
  turn: Turn,
  services: Services,
  value: unknown,
): Promise<Choice[]> {
  const search = (value ?? {}) as {
    dataset?: unknown;
    queryText?: unknown;
    queryOptions?: { skip?: unknown; top?: unknown };
  };
  const dataset = typeof search.dataset === 'string' ? DATASET.exec(search.dataset) : null;
  if (!dataset) return [];
  const actor = await loadActor(turn, services);
  const claim = await visibleClaim(services, actor, claimNumberFrom(dataset[1]));
  const words = (typeof search.queryText === 'string' ? search.queryText : '')
    .slice(0, QUERY_MAX)
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean);
  const skip = wholeNumber(search.queryOptions?.skip, 0);
  const top = Math.min(wholeNumber(search.queryOptions?.top, MOST) || MOST, MOST);
  return newestFirst(claim)
    .map((d) => ({
      value: d.id,
      title: `${d.fileName} (${turn.texts.tDynamic(`documentType.${d.type}`)})`,
      text: `${d.fileName} ${d.explanation} ${turn.texts.tDynamic(`documentType.${d.type}`)}`,
    }))
    .filter((d) => words.every((w) => d.text.toLowerCase().includes(w)))
    .slice(skip, skip + top)
    .map(({ title, value: id }) => ({ title, value: id }));
}

const wholeNumber = (value: unknown, fallback: number): number => {
  const n = Number(value);
  return Number.isSafeInteger(n) && n >= 0 ? n : fallback;
};
