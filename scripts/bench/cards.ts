import { randomUUID } from 'node:crypto';
import { AdaptiveCard } from '../../cards';
import { BlobFileStore } from '../../src/store/blobFileStore';
import { claimCard } from '../../src/bot/views/claim';
import {
  Claim,
  DOCUMENT_TYPES,
  addComment,
  addDocument,
  addMetric,
  commentOnItem,
  createClaim,
  permissions,
  requestUploads,
  startReview,
  submit,
} from '../../src/domain/claim';
import type { Fund } from '../../src/domain/fund';
import type { Actor } from '../../src/domain/roles';
import { addDays, isoDay } from '../../src/domain/dates';
import { texts } from '../../src/i18n/i18n';
import { makeUser } from './activities';
import { Bench } from './env';
import { appFunctionsText, profileCpu, sharesText } from './profile';
import { MeasureResult } from './report';
import { bytes, ms, ratio, summarize } from './stats';
import { actorOf, benchFund } from './seed';

/**
 * 6. Cards: the claim detail card of a claim with 100 documents and 300 history events, built with
 * the domain functions and rendered with the view (src/bot/views/claim.ts claimCard) for the
 * viewers whose cards differ most; its size, and the render time against a new claim's card.
 */

const DOCUMENTS = 100;
const HISTORY = 300;
const METRICS = 10;
const FEEDBACK = 5;
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

interface Viewer {
  readonly name: string;
  readonly claim: Claim;
  readonly actor: Actor;
}

function buildViewers(tenantId: string): { viewers: Viewer[]; fresh: Viewer; fund: Fund } {
  const owner = makeUser(tenantId, 'Megan Bowen');
  const reviewerUser = makeUser(tenantId, 'Isaiah Langer');
  const ownerActor = actorOf(owner, ['incentivesUser']);
  const reviewer = actorOf(reviewerUser, ['reviewer']);
  const admin = actorOf(makeUser(tenantId, 'Patti Fernandez'), ['incentivesAdmin']);
  const colleagues = ['Adele Vance', 'Alex Wilber', 'Lynne Robbins'].map((n) => {
    const u = makeUser(tenantId, n);
    return { id: u.aadObjectId, name: n, channelUserId: u.id };
  });
  const today = isoDay(new Date());
  const now = new Date().toISOString();
  const fund = benchFund(tenantId, owner);
  const created = createClaim({
    actor: ownerActor,
    seq: 42,
    formId: 'bench-card-form',
    fund: { id: fund.id, currency: fund.allocated.currency },
    info: {
      title: 'Modern Work partner roadshow: Amsterdam, Utrecht and Rotterdam',
      activityType: 'event',
      activityStart: addDays(today, -20),
      activityEnd: addDays(today, -10),
      amount: { minor: 4_876_550, currency: 'USD' },
      description:
        'Three half-day events for SMB customers on Microsoft 365 Copilot, with hands-on labs, ' +
        'a customer panel and follow-up mailings to every attendee.',
      additionalInfo: 'Venue costs are split over the three cities; see the invoices per city.',
    },
    now,
  });
  let claim = created;
  for (let i = 0; i < DOCUMENTS; i++) {
    const type = DOCUMENT_TYPES[i % DOCUMENT_TYPES.length];
    const id = `d-f3a9c1e27b5d48a0-${i}`;
    const fileName = `${type === 'poe' ? 'Photo' : 'Invoice'} ${2026_0400 + i} Contoso Events BV.pdf`;
    claim = addDocument(
      claim,
      ownerActor,
      {
        id,
        type,
        fileName,
        blobName: `${tenantId}/${claim.number}/${id}/${fileName}`,
        size: 250_000 + i * 1_337,
        contentType: 'application/pdf',
        sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
        explanation: `Catering and room hire for session ${i + 1} of the roadshow, 40 attendees on site.`,
      },
      now,
    );
  }
  for (let i = 0; i < METRICS; i++) {
    claim = addMetric(
      claim,
      ownerActor,
      { name: `Leads from session ${i + 1}`, value: 120 + i },
      now,
    );
  }
  claim = requestUploads(
    claim,
    ownerActor,
    {
      to: colleagues,
      types: ['invoice', 'poe'],
      note: 'The invoices of the Utrecht venue, please.',
    },
    now,
  );
  while (claim.history.length < HISTORY) {
    claim = addComment(
      claim,
      ownerActor,
      `Checked the attendee list of session ${claim.history.length}; numbers match the invoice.`,
      now,
    );
  }
  const editing = claim;
  claim = submit(
    claim,
    ownerActor,
    { remaining: fund.allocated, reviewers: [{ id: reviewer.userId, name: reviewer.name }] },
    now,
  );
  claim = startReview(claim, reviewer, now);
  for (let i = 0; i < FEEDBACK; i++) {
    claim = commentOnItem(
      claim,
      reviewer,
      {
        documentId: claim.documents[i].id,
        text: 'The amount on this invoice differs from the PO.',
      },
      now,
    );
  }
  return {
    viewers: [
      { name: 'owner, editing', claim: editing, actor: ownerActor },
      { name: 'reviewer, under review', claim, actor: reviewer },
      { name: 'incentives admin, under review', claim, actor: admin },
    ],
    fresh: { name: 'new claim, owner', claim: created, actor: ownerActor },
    fund,
  };
}

export async function measureCards(bench: Bench): Promise<MeasureResult> {
  const renders = bench.quick ? 300 : 1000;
  const { viewers, fresh, fund } = buildViewers(randomUUID());
  // Open links as the app makes them: read-only SAS URLs of the documents' blobs.
  const files = new BlobFileStore({
    connection: { connectionString: bench.azurite.connectionString },
    containerName: 'claim-documents',
    maxBytes: 1,
  });
  const t = texts('en-US');
  const contextOf = async (v: Viewer) => ({
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

  const big: number[] = [];
  const small: number[] = [];
  for (let i = 0; i < renders + 50; i++) {
    let started = performance.now();
    claimCard(largest.ctx);
    const bigMs = performance.now() - started;
    started = performance.now();
    claimCard(freshCtx);
    const smallMs = performance.now() - started;
    if (i >= 50) {
      big.push(bigMs);
      small.push(smallMs);
    }
  }
  const bigRender = summarize(big);
  const smallRender = summarize(small);
  const cpu = await profileCpu(async () => {
    for (let i = 0; i < renders / 4; i++) claimCard(largest.ctx);
  });
  return {
    title: '6. Cards (100 documents, 300 history events)',
    rows: [
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
          (cpu.appFunctions.length
            ? `, the app's own part mostly in ${appFunctionsText(cpu)}`
            : '') +
          '. Fewer bindings in the template (or fewer items on the card) would close it.',
      },
    ],
    details: [
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
    ],
  };
}
