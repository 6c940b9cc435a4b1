import type { Claim, ClaimDocument } from './claim/model';
import { READ_DOCUMENT_TYPES, type InvoiceReading } from './invoiceTotal';

/** The claim's invoices and CSRs whose total has not been read yet. */
export function documentsToRead(claim: Claim): ClaimDocument[] {
  return claim.documents.filter((d) => READ_DOCUMENT_TYPES.has(d.type) && !d.reading);
}

/**
 * The total read from a document, kept beside it. Like the file's size and hash it is what the file
 * says, not a person's change, so it adds no history event and gives no one a hand in the claim.
 * A document removed or replaced meanwhile, or read already, leaves the claim as it is.
 */
export function recordReading(claim: Claim, documentId: string, reading: InvoiceReading): Claim {
  const document = claim.documents.find((d) => d.id === documentId);
  if (!document || document.reading) return claim;
  return {
    ...claim,
    documents: claim.documents.map((d) => (d.id === documentId ? { ...d, reading } : d)),
  };
}
