import { invalidInput } from '../errors';
import type { Actor } from '../roles';
import { record } from './change';
import { Claim, ClaimDocument, DocumentType, UploadRequest, isOpenRequest } from './model';
import { keepRecentRequests } from './requestList';
import { authorize, person } from './permissions';

export const MAX_DOCUMENTS = 100;

export type NewDocument = Omit<ClaimDocument, 'uploadedBy' | 'uploadedAt' | 'feedback'>;

export function documentOf(claim: Claim, documentId: string): ClaimDocument {
  const doc = claim.documents.find((d) => d.id === documentId);
  if (!doc) throw invalidInput([{ field: 'item', problem: 'invalid' }]);
  return doc;
}

/** The open upload requests to the uploader that this document completes (every asked type sent). */
function fulfilledBy(claim: Claim, actor: Actor, type: DocumentType): UploadRequest[] {
  const sentSince = (r: UploadRequest): Set<DocumentType> =>
    new Set([
      type,
      ...claim.documents
        .filter((d) => d.uploadedBy.id === actor.userId && d.uploadedAt >= r.at)
        .map((d) => d.type),
    ]);
  return claim.uploadRequests.filter(
    (r) =>
      isOpenRequest(r) &&
      r.to.id === actor.userId &&
      r.types.includes(type) &&
      r.types.every((t) => sentSince(r).has(t)),
  );
}

/**
 * Adds an uploaded document. Upload requests to this user that ask for this type are fulfilled, and
 * whoever asked is told.
 */
export function addDocument(
  claim: Claim,
  actor: Actor,
  doc: NewDocument,
  now: string,
  replaces?: string,
): Claim {
  authorize(actor, claim, replaces ? 'edit' : 'addDocuments');
  const replaced = replaces ? documentOf(claim, replaces) : undefined;
  if (!replaced && claim.documents.length >= MAX_DOCUMENTS) {
    throw invalidInput([
      { field: 'documentType', problem: 'tooMany', params: { max: MAX_DOCUMENTS } },
    ]);
  }
  const fulfilled = fulfilledBy(claim, actor, doc.type);
  const uploadRequests = keepRecentRequests(
    claim.uploadRequests.map((r) => (fulfilled.includes(r) ? { ...r, fulfilledAt: now } : r)),
  );
  const document: ClaimDocument = {
    ...doc,
    uploadedBy: person(actor),
    uploadedAt: now,
    feedback: [],
  };
  const documents = replaced
    ? claim.documents.map((d) => (d.id === replaced.id ? document : d))
    : [...claim.documents, document];
  return record(claim, {
    actor,
    now,
    kind: replaced ? 'documentReplaced' : 'documentAdded',
    changes: { documents, uploadRequests },
    item: replaced ? `${replaced.fileName} → ${doc.fileName}` : doc.fileName,
    note: doc.explanation,
    announce: fulfilled.length
      ? [
          {
            kind: 'requestFulfilled',
            to: fulfilled.map((r) => r.requestedBy),
            details: { types: doc.type, fileName: doc.fileName },
          },
        ]
      : [],
  });
}

export function editExplanation(
  claim: Claim,
  actor: Actor,
  documentId: string,
  explanation: string,
  now: string,
): Claim {
  authorize(actor, claim, 'edit');
  const doc = documentOf(claim, documentId);
  if (doc.explanation === explanation) return claim;
  const documents = claim.documents.map((d) => (d.id === doc.id ? { ...d, explanation } : d));
  return record(claim, {
    actor,
    now,
    kind: 'explanationEdited',
    changes: { documents },
    item: doc.fileName,
    note: explanation,
  });
}

/** Removes a document from the claim; the caller deletes its blob after the write. */
export function removeDocument(claim: Claim, actor: Actor, documentId: string, now: string): Claim {
  authorize(actor, claim, 'edit');
  const doc = documentOf(claim, documentId);
  return record(claim, {
    actor,
    now,
    kind: 'documentRemoved',
    changes: { documents: claim.documents.filter((d) => d.id !== doc.id) },
    item: doc.fileName,
  });
}
