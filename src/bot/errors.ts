import { AdaptiveCard, Notice, renderNotice } from '../../cards';
import { OverpaymentError, RequirementsUnmetError } from '../domain/claim';
import { AppError, InputIssue } from '../domain/errors';
import { FundExhaustedError } from '../domain/fund';
import type { UnmetRequirement } from '../domain/requirements';
import type { Texts } from '../i18n/i18n';
import { log } from '../log';
import { statusOf } from '../store/cosmos';

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND']);

/**
 * Every failure as an AppError: storage that cannot be reached or keeps answering 429/503 becomes
 * STORAGE_UNAVAILABLE; anything else unknown stays undefined (a bug: logged, shown as "unexpected").
 */
export function asAppError(e: unknown): AppError | undefined {
  if (e instanceof AppError) return e;
  // Azure SDK errors (Blob) carry the HTTP status as statusCode; Cosmos DB errors as code.
  const statusCode = (e as { statusCode?: unknown } | undefined)?.statusCode;
  const status = typeof statusCode === 'number' ? statusCode : statusOf(e);
  const code =
    (e as { code?: unknown; cause?: { code?: unknown } } | undefined)?.cause?.code ??
    (e as { code?: unknown } | undefined)?.code;
  const name = (e as { name?: unknown } | undefined)?.name;
  if (
    status === 429 ||
    status === 503 ||
    status === 408 ||
    (typeof code === 'string' && NETWORK_CODES.has(code)) ||
    name === 'TimeoutError' ||
    name === 'AbortError'
  ) {
    return new AppError('STORAGE_UNAVAILABLE');
  }
  return undefined;
}

export function issueText(texts: Texts, issue: InputIssue): string {
  const field = texts.tDynamic(`field.${issue.field}`);
  // Days in a problem (a fund's period) are shown as the user's language writes them.
  const params = Object.fromEntries(
    Object.entries(issue.params ?? {}).map(([k, v]) => [
      k,
      typeof v === 'string' && ISO_DAY.test(v) ? texts.date(v) : v,
    ]),
  );
  return texts.tDynamic(`problem.${issue.problem}`, { ...params, field });
}

export function requirementText(texts: Texts, r: UnmetRequirement): string {
  switch (r.code) {
    case 'exchangeRate':
      return texts.t('requirement.exchangeRate', { from: r.from, to: r.to });
    case 'amountWithinRemaining':
      return texts.t('requirement.amountWithinRemaining', { remaining: texts.money(r.remaining) });
    case 'activityEnded':
      return texts.t('requirement.activityEnded', { end: texts.date(r.end) });
    case 'submissionWindow':
      return texts.t('requirement.submissionWindow', { deadline: texts.date(r.deadline) });
    case 'explanation':
      return texts.t('requirement.explanation', { document: r.document });
    default:
      return texts.tDynamic(`requirement.${r.code}`);
  }
}

/** The one place that turns an error into what the user reads. */
export function errorNotice(e: unknown, texts: Texts): Notice {
  const err = asAppError(e);
  if (!err) {
    log.error({ err: e }, 'unexpected error in a turn');
    return { style: 'attention', text: texts.t('errors.unexpected'), items: [] };
  }
  if (err instanceof RequirementsUnmetError) {
    return {
      style: 'warning',
      text: texts.t('detail.unmetHeading'),
      items: err.unmet.map((r) => requirementText(texts, r)),
    };
  }
  const params: Record<string, string | number> = { ...err.params };
  if (typeof params.status === 'string') params.status = texts.tDynamic(`status.${params.status}`);
  if (typeof params.requestStatus === 'string') {
    params.requestStatus = texts.tDynamic(`requestStatus.${params.requestStatus}`);
  }
  if (err instanceof FundExhaustedError) params.remaining = texts.money(err.remaining);
  if (err instanceof OverpaymentError) params.owed = texts.money(err.owed);
  return {
    style: 'attention',
    text: texts.tDynamic(`errors.${err.code}`, params),
    items: err.issues.map((i) => issueText(texts, i)),
  };
}

export function errorCard(e: unknown, texts: Texts, claim = ''): AdaptiveCard {
  const notice = errorNotice(e, texts);
  return renderNotice({
    style: notice.style,
    title: texts.t('errors.title'),
    text: notice.text,
    items: notice.items,
    claim,
    openLabel: texts.t('overview.open'),
  });
}
