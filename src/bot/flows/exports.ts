import { randomUUID } from 'node:crypto';
import { AdaptiveCard, renderDocumentLink } from '../../../cards';
import { BoundedMap } from '../../domain/boundedMap';
import type { Claim, HistoryEvent } from '../../domain/claim';
import { AppError } from '../../domain/errors';
import type { Texts } from '../../i18n/i18n';
import { RateLimiter, Window } from '../../notify/rateLimiter';
import { writeClaimArchive } from '../../exports/claimArchive';
import type { ClaimRepository } from '../../store/claims';
import { loadActor } from '../actor';
import type { Services } from '../services';
import type { Reply, Turn } from '../turn';
import { literal } from '../views/text';
import { ExportProgress } from './exportProgress';
import { LINK_TTL_S } from './claimCards';
import { claimNumberFrom, visibleClaim } from './claimAccess';

/**
 * Every history event of a claim, for `history.csv`: the one place exports read history, so that
 * it follows the claim store wherever history is kept.
 */
export async function* claimHistory(
  claims: Pick<ClaimRepository, 'historyPage'>,
  claim: Claim,
): AsyncIterable<HistoryEvent> {
  // The store reads newest first; the file lists the events as they happened.
  const newestFirst: HistoryEvent[] = [];
  let before: number | undefined;
  do {
    const page = await claims.historyPage(claim, { before, size: HISTORY_READ_PAGE });
    newestFirst.push(...page.events);
    before = page.next;
  } while (before !== undefined);
  yield* newestFirst.reverse();
}

const HISTORY_READ_PAGE = 500;

/** Exports under way, by tenant and activity: Teams sends a message again after 15 s unanswered. */
const underWay = new Set<string>();

/** What an export made: its link card facts and where it is stored. */
export interface MadeExport {
  readonly blobName: string;
  readonly heading: string;
  readonly fileName: string;
  readonly facts: readonly { readonly title: string; readonly value: string }[];
}

/**
 * Makes an export once per activity and answers with its expiring link: in the user's 1:1 chat as
 * the answer itself, elsewhere sent there privately (like Open on a document) with a note here.
 */
export async function answerWithExport(
  turn: Turn,
  services: Services,
  what: string,
  make: () => Promise<MadeExport>,
): Promise<Reply> {
  const key = `${turn.tenantId}|${turn.activityId}`;
  if (underWay.has(key)) return { text: turn.texts.t('export.underWay', { what }) };
  underWay.add(key);
  let made: MadeExport;
  try {
    made = await make();
  } finally {
    underWay.delete(key);
  }
  const card = exportLinkCard(
    turn.texts,
    made,
    await services.exports.readUrl(made.blobName, LINK_TTL_S),
  );
  if (turn.scope === 'personal') return { card };
  const sent = await services.notifications.sendPrivately(turn.tenantId, turn.user, card);
  return { text: turn.texts.t(sent ? 'export.sent' : 'export.notSent', { what }) };
}

function exportLinkCard(texts: Texts, made: MadeExport, url: string): AdaptiveCard {
  return renderDocumentLink({
    heading: made.heading,
    fileName: made.fileName,
    explanation: '',
    facts: made.facts,
    expiry: texts.t('export.expiry', { minutes: Math.floor(LINK_TTL_S / 60) }),
    openLabel: texts.t('export.download'),
    url,
  });
}

/** A claim's archive as made once: handed out again while the claim is unchanged. */
interface Archive {
  readonly blobName: string;
  readonly size: number;
  readonly madeAt: number;
}

/** How long an archive of a claim version is handed out again instead of zipping it anew. */
const ARCHIVE_REUSE_MS = 10 * 60_000;
/** Archives kept for reuse in this process (one per claim version asked for). */
const archives = new BoundedMap<Archive>(1000);
/** New archives a user may have made, and made of one claim: each within every window. */
const EXPORT_LIMITS: readonly Window[] = [
  { windowMs: 60_000, max: 3 },
  { windowMs: 10 * 60_000, max: 6 },
];
const exportLimiter = new RateLimiter(EXPORT_LIMITS, { marginMs: 0 });

/**
 * Takes one new archive from the user's and the claim's allowance, or refuses with how long to wait:
 * zipping every document again and again is work (and storage) someone else waits for.
 */
function allowNewArchive(turn: Turn, claim: Claim): void {
  const keys = [`u|${turn.tenantId}|${turn.user.id}`, `c|${turn.tenantId}|${claim.number}`];
  const wait = Math.max(...keys.map((k) => exportLimiter.waitFor(k)));
  if (wait > 0) throw new AppError('EXPORT_LIMIT', { minutes: Math.ceil(wait / 60_000) });
  for (const key of keys) exportLimiter.tryAcquire(key);
}

async function makeArchive(turn: Turn, services: Services, claim: Claim): Promise<Archive> {
  allowNewArchive(turn, claim);
  const texts = turn.texts;
  const count = claim.documents.length;
  // Progress only in the user's own chat: a shared chat learns nothing of the documents.
  const progress =
    turn.scope === 'personal'
      ? new ExportProgress(turn.progress, (done) =>
          texts.t('export.progress', { number: claim.number, done, count }),
        )
      : undefined;
  const blobName = `${claim.tenantId}/${claim.number}/${randomUUID()}.zip`;
  try {
    const size = await writeClaimArchive({
      store: services.exports,
      blobName,
      fileName: `${claim.number}.zip`,
      claim,
      history: claimHistory(services.claims, claim),
      onDocument: progress?.update,
    });
    return { blobName, size, madeAt: Date.now() };
  } finally {
    progress?.stop();
  }
}

/**
 * `export CLM-0042`: a ZIP of the claim's documents, history and fields, for whoever may see it.
 * The same version of the claim asked for again soon gets the archive already made.
 */
export async function exportClaim(
  turn: Turn,
  services: Services,
  numberText: string,
): Promise<Reply> {
  const actor = await loadActor(turn, services);
  const claim = await visibleClaim(services, actor, claimNumberFrom(numberText));
  const texts = turn.texts;
  return answerWithExport(turn, services, claim.number, async () => {
    const version = `${claim.tenantId}|${claim.number}|${claim.updatedAt}`;
    const recent = archives.get(version);
    const archive =
      recent && Date.now() - recent.madeAt < ARCHIVE_REUSE_MS
        ? recent
        : await makeArchive(turn, services, claim);
    archives.set(version, archive);
    return {
      blobName: archive.blobName,
      heading: texts.t('export.claimHeading', { number: claim.number }),
      fileName: `${claim.number}.zip`,
      facts: [
        { title: texts.t('upload.claim'), value: `${claim.number} ${literal(claim.title)}` },
        { title: texts.t('export.documents'), value: String(claim.documents.length) },
        { title: texts.t('export.size'), value: texts.bytes(archive.size) },
      ],
    };
  });
}
