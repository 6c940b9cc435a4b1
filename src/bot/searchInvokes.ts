import type { Choice } from '../../cards';
import { AppError } from '../domain/errors';
import { texts } from '../i18n/i18n';
import { log } from '../log';
import type { InvokeAnswer } from './edge';
import { errorNotice } from './errors';
import { searchDocuments } from './flows/documentSearch';
import { searchClaims } from './flows/search';
import {
  MessagingExtensionResponse,
  readSearchRequest,
  searchMessage,
  searchResults,
} from './messageExtension';
import type { Services } from './services';
import type { Turn } from './turn';

/** The answer type of an `application/search` invoke (Teams' typeahead search). */
const SEARCH_RESPONSE = 'application/vnd.microsoft.search.searchResponse';

/** What a search invoke needs of its turn: the turn itself (may refuse: tenant, identity). */
interface SearchInvoke {
  readonly turn: () => Turn;
  readonly services: Services;
  readonly value: unknown;
  readonly locale: string | undefined;
}

/** `composeExtension/query`: the message extension's claim search; a refusal as a message. */
export async function answerClaimSearch(o: SearchInvoke): Promise<MessagingExtensionResponse> {
  try {
    const request = readSearchRequest(o.value);
    return searchResults(await searchClaims(o.turn(), o.services, request));
  } catch (e) {
    return searchMessage(errorNotice(e, texts(o.locale)));
  }
}

/** `application/search`: a card pick-list's typeahead; matches, or none (never an error card). */
export async function answerDocumentSearch(o: SearchInvoke): Promise<InvokeAnswer> {
  let results: Choice[] = [];
  try {
    results = await searchDocuments(o.turn(), o.services, o.value);
  } catch (e) {
    if (e instanceof AppError) log.info({ code: e.code }, 'a search found nothing');
    else log.error({ err: e }, 'a search failed');
  }
  return { status: 200, body: { statusCode: 200, type: SEARCH_RESPONSE, value: { results } } };
}
