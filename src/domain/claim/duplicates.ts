import { invalidInput } from '../errors';
import type { Actor } from '../roles';
import { record } from './change';
import type { Claim, DuplicateCheck } from './model';
import { authorize, person } from './permissions';

/**
 * Duplicate invoices (product.md, third wave): an invoice whose file (SHA-256) or whose read number
 * and total are on another claim of the tenant. A warning, never a refusal.
 */

/** What marks an invoice as the same as another: its file, or its read number with its total. */
export interface InvoiceKey {
  readonly key: string;
  readonly documentId: string;
}

/** Another claim holding an invoice with the same key. */
export interface DuplicateHit {
  readonly key: string;
  readonly number: string;
}

const normalNumber = (n: string): string => n.toUpperCase().replace(/[^0-9A-Z]/g, '');

/** The keys of a claim's invoices: `f.<sha256>` per file, `n.<number>.<currency>.<minor>` once read. */
export function invoiceKeys(claim: Claim): InvoiceKey[] {
  const keys = new Map<string, string>();
  for (const doc of claim.documents) {
    if (doc.type !== 'invoice') continue;
    if (doc.sha256 && !keys.has(`f.${doc.sha256}`)) keys.set(`f.${doc.sha256}`, doc.id);
    const reading = doc.reading;
    const number = reading?.status === 'read' && reading.number ? normalNumber(reading.number) : '';
    if (reading?.status === 'read' && number) {
      const key = `n.${number}.${reading.total.currency}.${reading.total.minor}`;
      if (!keys.has(key)) keys.set(key, doc.id);
    }
  }
  return [...keys].map(([key, documentId]) => ({ key, documentId }));
}

/** The keys `after` holds that `before` did not, and those it no longer holds (index upkeep). */
export function invoiceKeyChanges(
  before: Claim | undefined,
  after: Claim,
): { added: InvoiceKey[]; removed: InvoiceKey[] } {
  const old = before ? invoiceKeys(before) : [];
  const now = invoiceKeys(after);
  const same = (a: InvoiceKey) => (b: InvoiceKey) =>
    a.key === b.key && a.documentId === b.documentId;
  return {
    added: now.filter((k) => !old.some(same(k))),
    removed: old.filter((k) => !now.some(same(k))),
  };
}

/** One line of the card: the other claims (by number, or unnamed) and whether it was checked. */
export interface DuplicateFlag {
  readonly key: string;
  readonly named: readonly string[];
  readonly unnamed: number;
  readonly checked?: DuplicateCheck;
}

/**
 * The flags a viewer sees: one per key found on other claims, naming the claims `mayView` allows and
 * counting the others. Files first: a claim flagged for the same file is not flagged again for the
 * number and total read from it.
 */
export function duplicateFlags(
  claim: Claim,
  hits: readonly DuplicateHit[],
  mayView: (number: string) => boolean,
): DuplicateFlag[] {
  const byKey = new Map<string, Set<string>>();
  for (const hit of [...hits].sort((a, b) => a.key.localeCompare(b.key))) {
    if (hit.number === claim.number) continue;
    byKey.set(hit.key, (byKey.get(hit.key) ?? new Set()).add(hit.number));
  }
  const sameFile = new Set(
    [...byKey].flatMap(([key, numbers]) => (key.startsWith('f.') ? [...numbers] : [])),
  );
  return [...byKey].flatMap(([key, all]) => {
    const numbers = key.startsWith('f.') ? [...all] : [...all].filter((n) => !sameFile.has(n));
    if (!numbers.length) return [];
    const named = numbers.filter(mayView).sort();
    const checked = claim.duplicateChecks?.find((c) => c.key === key);
    return [
      {
        key,
        named,
        unnamed: numbers.length - named.length,
        ...(checked ? { checked } : {}),
      },
    ];
  });
}

/**
 * A reviewer marks a flag "checked, not a duplicate" (history records it). The key must be one of
 * the claim's invoices; marking it twice changes nothing.
 */
export function markNotDuplicate(claim: Claim, actor: Actor, key: string, now: string): Claim {
  authorize(actor, claim, 'reviewItems');
  const invoice = invoiceKeys(claim).find((k) => k.key === key);
  if (!invoice) throw invalidInput([{ field: 'item', problem: 'invalid' }]);
  if (claim.duplicateChecks?.some((c) => c.key === key)) return claim;
  const doc = claim.documents.find((d) => d.id === invoice.documentId);
  return record(claim, {
    actor,
    now,
    kind: 'duplicateChecked',
    changes: {
      duplicateChecks: [...(claim.duplicateChecks ?? []), { key, by: person(actor), at: now }],
    },
    item: doc?.fileName,
  });
}
