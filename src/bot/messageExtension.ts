import { AppError, InputIssue, invalidInput } from '../domain/errors';
import { readText } from '../domain/text';
import type { ClaimSearchRequest, SearchHit } from './flows/search';
import type { Notice } from '../../cards';
import { cardAttachment } from './edge';

/** The answer to a `composeExtension/query` invoke (Teams' MessagingExtensionResponse). */
export interface MessagingExtensionResponse {
  readonly composeExtension: {
    readonly type: 'result' | 'message';
    readonly attachmentLayout?: 'list';
    readonly attachments?: readonly unknown[];
    readonly text?: string;
  };
}

const THUMBNAIL = 'application/vnd.microsoft.card.thumbnail';

/** The compose-box search command and its parameter, as appPackage/manifest.json declares them. */
const SEARCH_COMMAND = 'searchClaims';
const QUERY_PARAMETER = 'query';
/** What Teams sends instead of the query when the command opens (`initialRun`). */
const INITIAL_RUN_PARAMETER = 'initialRun';
const MAX_QUERY = 100;
/** Teams asks for 25 results a page. */
const MAX_COUNT = 25;

const isRecord = (x: unknown): x is Readonly<Record<string, unknown>> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

/** A `queryOptions` field: absent is the default, anything but a whole number ≥ 0 an issue. */
function pageOption(issues: InputIssue[], value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (Number.isSafeInteger(value) && (value as number) >= 0) return value as number;
  issues.push({ field: 'searchPage', problem: 'invalid' });
  return fallback;
}

/**
 * The search in a `composeExtension/query` invoke's value, or a typed error: another command is
 * UNKNOWN_SEARCH, a missing or unreadable query or page INVALID_INPUT.
 */
export function readSearchRequest(value: unknown): ClaimSearchRequest {
  const query = isRecord(value) ? value : {};
  if (query.commandId !== SEARCH_COMMAND) {
    const shown = typeof query.commandId === 'string' ? query.commandId.slice(0, 40) : '';
    throw new AppError('UNKNOWN_SEARCH', { command: shown });
  }
  const issues: InputIssue[] = [];
  const parameters = Array.isArray(query.parameters) ? query.parameters.filter(isRecord) : [];
  const typed = parameters.find((p) => p.name === QUERY_PARAMETER);
  const initialRun = parameters.some((p) => p.name === INITIAL_RUN_PARAMETER);
  if (!typed && !initialRun) issues.push({ field: 'query', problem: 'required' });
  const text = typed ? readText(issues, 'query', typed.value, MAX_QUERY, { required: false }) : '';
  const options = isRecord(query.queryOptions) ? query.queryOptions : {};
  const skip = pageOption(issues, options.skip, 0);
  const count = Math.min(pageOption(issues, options.count, MAX_COUNT), MAX_COUNT);
  if (issues.length) throw invalidInput(issues);
  return { text, skip, count };
}

/** The claims found, as a list of previews; choosing one inserts its card into the message. */
export function searchResults(hits: readonly SearchHit[]): MessagingExtensionResponse {
  return {
    composeExtension: {
      type: 'result',
      attachmentLayout: 'list',
      attachments: hits.map(({ summary, card }) => ({
        ...cardAttachment(card),
        preview: {
          contentType: THUMBNAIL,
          content: {
            title: `${summary.number} · ${summary.title}`,
            text: `${summary.statusLabel} · ${summary.amount}${summary.approvedPart}`,
          },
        },
      })),
    },
  };
}

/** A refusal or problem, shown in place of the results. */
export function searchMessage(notice: Notice): MessagingExtensionResponse {
  return {
    composeExtension: { type: 'message', text: [notice.text, ...notice.items].join(' ') },
  };
}
