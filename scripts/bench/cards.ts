import { randomUUID } from 'node:crypto';
import { AdaptiveCard } from '../../cards';
import { BlobFileStore } from '../../src/store/blobFileStore';
import { ClaimCardContext, claimCard } from '../../src/bot/views/claim';
import { permissions } from '../../src/domain/claim';
import type { Fund } from '../../src/domain/fund';
import { texts } from '../../src/i18n/i18n';
import { DOCUMENTS, FEEDBACK, HISTORY, METRICS, Viewer, buildViewers } from './cardClaim';
import { Bench } from './env';
import { CpuShares, appFunctionsText, profileCpu, sharesText } from './profile';
import { MeasureResult, Row } from './report';
import { Summary, bytes, ms, ratio, summarize } from './stats';

/**
 * 6. Cards: the claim detail card of a claim with 100 documents and 300 history events, built with
 * the domain functions and rendered with the view (src/bot/views/claim.ts claimCard) for the
 * viewers whose cards differ most; its size, and the render time against a new claim's card.
 */

const MAX_BYTES = 28 * 1024;
const MAX_RENDER_MS = 5;
const LINK_TTL_S = 15 * 60;
const PARTS = 4;

const sizeOf = (value: unknown): number => Buffer.byteLength(JSON.stringify(value), 'utf8');

/** The first text in a card element, to name it. */
function firstText(value: unknown): string | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const e = value as Record<string, unknown>;
  if (typeof e.title === 'string') return e.title;
  if (typeof e.text === 'string' && e.text) return e.text;
  for (const child of Object.values(e)) {
    const found = Array.isArray(child)
      ? child.map(firstText).find(Boolean)
      : typeof child === 'object'
        ? firstText(child)
        : undefined;
    if (found) return found;
  }
  return undefined;
}

/** The card's largest top-level parts (body elements and buttons): `name size`. */
function largestParts(card: AdaptiveCard): string {
  const parts = [...((card.body as unknown[]) ?? []), ...((card.actions as unknown[]) ?? [])].map(
    (e) => [(firstText(e) ?? '?').slice(0, 28), sizeOf(e)] as const,
  );
  const merged = new Map<string, number>();
  for (const [name, size] of parts) merged.set(name, (merged.get(name) ?? 0) + size);
  return [...merged.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, PARTS)
    .map(([name, size]) => `“${name}” ${bytes(size)}`)
    .join(', ');
}

/** A viewer's card: its context (to render it again), the card and its size in bytes. */
interface SizedCard {
  readonly viewer: Viewer;
  readonly ctx: ClaimCardContext;
  readonly card: AdaptiveCard;
  readonly size: number;
}

/** What section 6 measured, for its rows and details. */
interface CardFigures {
  readonly renders: number;
  readonly viewers: readonly Viewer[];
  readonly sized: readonly SizedCard[];
  readonly largest: SizedCard;
  readonly fresh: Viewer;
  readonly freshSize: number;
  readonly bigRender: Summary;
  readonly smallRender: Summary;
  readonly cpu: CpuShares;
}

export async function measureCards(bench: Bench): Promise<MeasureResult> {
  const renders = bench.quick ? 300 : 1000;
  const { viewers, fresh, fund } = buildViewers(randomUUID());
  const contextOf = cardContexts(bench, fund);
  const sized = await Promise.all(
    viewers.map(async (v) => {
      const ctx = await contextOf(v);
      const card = claimCard(ctx);
      return { viewer: v, ctx, card, size: sizeOf(card) };
    }),
  );
  const largest = sized.reduce((a, b) => (b.size > a.size ? b : a));
  const freshCtx = await contextOf(fresh);
  const freshSize = sizeOf(claimCard(freshCtx));
  const { bigRender, smallRender } = timeRenders(largest.ctx, freshCtx, renders);
  const cpu = await profileCpu(async () => {
    for (let i = 0; i < renders / 4; i++) claimCard(largest.ctx);
  });
  const figures: CardFigures = {
    renders,
    viewers,
    sized,
    largest,
    fresh,
    freshSize,
    bigRender,
    smallRender,
    cpu,
  };
  return {
    title: '6. Cards (100 documents, 300 history events)',
    rows: cardRows(figures),
    details: cardDetails(figures),
  };
}

/** A viewer's card context as the app makes it, in English, with the documents' Open links. */
function cardContexts(bench: Bench, fund: Fund) {
  // Open links as the app makes them: read-only SAS URLs of the documents' blobs.
  const files = new BlobFileStore({
    connection: { connectionString: bench.azurite.connectionString },
    containerName: 'claim-documents',
    maxBytes: 1,
  });
  const t = texts('en-US');
  return async (v: Viewer): Promise<ClaimCardContext> => ({
    claim: v.claim,
    fund,
    actor: v.actor,
    can: permissions(v.actor, v.claim),
    texts: t,
    documents: {
      kind: 'links' as const,
      urls: new Map(
        await Promise.all(
          v.claim.documents.map(
            async (d) => [d.id, await files.readUrl(d.blobName, LINK_TTL_S)] as const,
          ),
        ),
      ),
    },
  });
}

/** `renders` renders of the largest card alternating with the fresh one, after 50 warm-up renders. */
function timeRenders(big: ClaimCardContext, fresh: ClaimCardContext, renders: number) {
  const bigMs: number[] = [];
  const smallMs: number[] = [];
  for (let i = 0; i < renders + 50; i++) {
    let started = performance.now();
    claimCard(big);
    const oneBig = performance.now() - started;
    started = performance.now();
    claimCard(fresh);
    const oneSmall = performance.now() - started;
    if (i >= 50) {
      bigMs.push(oneBig);
      smallMs.push(oneSmall);
    }
  }
  return { bigRender: summarize(bigMs), smallRender: summarize(smallMs) };
}

function cardRows(f: CardFigures): Row[] {
  const { largest, freshSize, bigRender, smallRender, cpu } = f;
  return [
    {
      name: 'largest claim card',
      figure: `${bytes(largest.size)} (${largest.viewer.name})`,
      baseline: `new claim ${bytes(freshSize)}`,
      ratio: ratio(largest.size / freshSize),
      target: `≤ ${bytes(MAX_BYTES)}`,
      pass: largest.size <= MAX_BYTES,
      why:
        `The card of a claim with ${DOCUMENTS} documents is ${bytes(largest.size)}, over the ` +
        `${bytes(MAX_BYTES)} Teams design limit (≈40 KB is refused with 413). Largest parts: ` +
        `${largestParts(largest.card)}. It lists every document with its explanation and ` +
        'a signed Open link, and repeats all of them as choices in the document forms. Showing ' +
        'the first documents per type with a "Show all" (paged, like History) and choosing the ' +
        'document for Manage / Comment on item from that page would close it.',
    },
    {
      name: 'claim card render p95',
      figure: `${ms(bigRender.p95)} (p50 ${ms(bigRender.p50)})`,
      baseline: `new claim ${ms(smallRender.p95)}`,
      ratio: ratio(bigRender.p95 / smallRender.p95),
      target: `≤ ${MAX_RENDER_MS} ms`,
      pass: bigRender.p95 <= MAX_RENDER_MS,
      why:
        `Rendering the largest card takes ${ms(bigRender.p95)} at p95 (p50 ` +
        `${ms(bigRender.p50)}); a profile of the renders puts the time in ${sharesText(cpu, 3)}` +
        (cpu.appFunctions.length ? `, the app's own part mostly in ${appFunctionsText(cpu)}` : '') +
        '. Fewer bindings in the template (or fewer items on the card) would close it.',
    },
  ];
}

function cardDetails(f: CardFigures): string[] {
  const { renders, viewers, sized, fresh, freshSize, bigRender, smallRender, cpu } = f;
  return [
    `A claim built with the domain functions: ${DOCUMENTS} documents (the 4 types in turn, ` +
      `with explanations), ${METRICS} metrics, an open upload request to 3 colleagues and ` +
      `comments up to ${HISTORY} history events; then submitted, taken into review and given ` +
      `${FEEDBACK} item comments (${viewers[1].claim.history.length} events). Rendered with ` +
      "`claimCard` in English with the documents' Open links (SAS URLs from Azurite's " +
      'account, as long as production ones). Size: bytes of the card JSON. Render time: ' +
      `${renders} renders of the largest card alternating with the card of the same claim as ` +
      'just created, after 50 warm-up renders.',
    '',
    '| viewer | card size | largest parts |',
    '|---|---|---|',
    ...sized.map((s) => `| ${s.viewer.name} | ${bytes(s.size)} | ${largestParts(s.card)} |`),
    `| ${fresh.name} | ${bytes(freshSize)} | |`,
    '',
    `Render time of the largest card: p50 ${ms(bigRender.p50)}, p95 ${ms(bigRender.p95)}, p99 ` +
      `${ms(bigRender.p99)}; of the new claim's card: p50 ${ms(smallRender.p50)}, p95 ` +
      `${ms(smallRender.p95)}. Where the time goes (CPU profile of ${renders / 4} more renders ` +
      `of the largest card): ${sharesText(cpu)}; the app's own functions: ${appFunctionsText(cpu)}.`,
  ];
}
