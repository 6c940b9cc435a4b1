import {
  Claim,
  DOCUMENT_TYPES,
  addComment,
  addDocument,
  addMetric,
  commentOnItem,
  createClaim,
  requestUploads,
  startReview,
  submit,
} from '../../src/domain/claim';
import type { Fund } from '../../src/domain/fund';
import type { Actor } from '../../src/domain/roles';
import { addDays, isoDay } from '../../src/domain/dates';
import { makeUser } from './activities';
import { actorOf, benchFund } from './seed';

/**
 * The claim section 6 renders the card of, built with the domain functions: documents, metrics,
 * an upload request and comments while it is edited, then submitted, in review, with feedback.
 */

export const DOCUMENTS = 100;
export const HISTORY = 300;
export const METRICS = 10;
export const FEEDBACK = 5;

export interface Viewer {
  readonly name: string;
  readonly claim: Claim;
  readonly actor: Actor;
}

/** The people of the claim: its owner, a reviewer, an incentives admin and three colleagues. */
function cast(tenantId: string) {
  const owner = makeUser(tenantId, 'Megan Bowen');
  const reviewerUser = makeUser(tenantId, 'Isaiah Langer');
  const ownerActor = actorOf(owner, ['incentivesUser']);
  const reviewer = actorOf(reviewerUser, ['reviewer']);
  const admin = actorOf(makeUser(tenantId, 'Patti Fernandez'), ['incentivesAdmin']);
  const colleagues = ['Adele Vance', 'Alex Wilber', 'Lynne Robbins'].map((n) => {
    const u = makeUser(tenantId, n);
    return { id: u.aadObjectId, name: n, channelUserId: u.id };
  });
  return { owner, ownerActor, reviewer, admin, colleagues };
}

type Cast = ReturnType<typeof cast>;

/** The viewers whose cards differ most, the claim as just created, and its fund. */
export function buildViewers(tenantId: string): { viewers: Viewer[]; fresh: Viewer; fund: Fund } {
  const people = cast(tenantId);
  const { ownerActor, reviewer, admin } = people;
  const now = new Date().toISOString();
  const fund = benchFund(tenantId, people.owner);
  const created = createdClaim(ownerActor, fund, now);
  const editing = edited(withDocuments(created, { tenantId, ownerActor, now }), people, now);
  const claim = reviewed(editing, { people, fund, now });
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

function createdClaim(ownerActor: Actor, fund: Fund, now: string): Claim {
  const today = isoDay(new Date());
  return createClaim({
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
}

/** `DOCUMENTS` documents, the four types in turn, each with an explanation. */
function withDocuments(
  created: Claim,
  o: { tenantId: string; ownerActor: Actor; now: string },
): Claim {
  let claim = created;
  for (let i = 0; i < DOCUMENTS; i++) {
    const type = DOCUMENT_TYPES[i % DOCUMENT_TYPES.length];
    const id = `d-f3a9c1e27b5d48a0-${i}`;
    const fileName = `${type === 'poe' ? 'Photo' : 'Invoice'} ${2026_0400 + i} Contoso Events BV.pdf`;
    claim = addDocument(
      claim,
      o.ownerActor,
      {
        id,
        type,
        fileName,
        blobName: `${o.tenantId}/${claim.number}/${id}/${fileName}`,
        size: 250_000 + i * 1_337,
        contentType: 'application/pdf',
        sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
        explanation: `Catering and room hire for session ${i + 1} of the roadshow, 40 attendees on site.`,
      },
      o.now,
    );
  }
  return claim;
}

/** Metrics, an open upload request to the colleagues, and comments up to `HISTORY` events. */
function edited(withDocs: Claim, people: Cast, now: string): Claim {
  const { ownerActor, colleagues } = people;
  let claim = withDocs;
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
  return claim;
}

/** Submitted, taken into review, and `FEEDBACK` item comments by the reviewer. */
function reviewed(editing: Claim, o: { people: Cast; fund: Fund; now: string }): Claim {
  const { ownerActor, reviewer } = o.people;
  const { fund, now } = o;
  let claim = submit(
    editing,
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
  return claim;
}
