import { Container } from '@azure/cosmos';
import { GroupedChanges } from './groupedChanges';
import { BoundedMap } from '../domain/boundedMap';
import { FundLedger, LedgerEntry, negated, postEntry, reserveEntries } from '../domain/fund';
import { usableLedger } from '../domain/ledgerTypes';
import { Money } from '../domain/money';
import { AppError } from '../domain/errors';
import {
  BatchConflict,
  MAX_ATTEMPTS,
  Versioned,
  conflictPause,
  readDoc,
  updateDoc,
  writeBatch,
} from './cosmos';
import { ConsistentReads } from './freshness';
import { KeyedQueue } from '../async';
import { StampKind, Stamps, TenantStamps } from './tenantStamps';

/** How many recent New claim forms the record remembers, so a double click creates one claim. */
const REMEMBERED_FORMS = 50;
/**
 * Entries posted to the ledger are removed from their claim right after; an id is remembered long
 * enough to cover that step failing and being done again by the next sweep.
 */
const REMEMBERED_ENTRIES = 300;

/**
 * One small document per tenant in the claims container, read by every overview: the claim counter,
 * the fund ledger (the sums of every fund) and the version of the tenant's claim lists. Its id is
 * `counter`, its first job, so that tenants numbered before it held more keep their numbers.
 */
interface TenantDoc {
  readonly id: 'counter';
  readonly tenantId: string;
  readonly type: 'counter';
  readonly last: number;
  readonly forms: readonly { readonly formId: string; readonly seq: number }[];
  /** Missing until first needed, then made from the tenant's claims (see `TenantRecords`). */
  readonly ledger?: {
    readonly funds: FundLedger;
    /** Ids of the entries posted most recently, so that an entry posted twice counts once. */
    readonly posted: readonly string[];
    /** Reservations posted before their claim's write: each goes once that write's entries post. */
    readonly holds?: readonly Hold[];
  };
  /** Grows with every new claim and every posting: claim lists read at one version are the same. */
  readonly listVersion?: number;
  /** Grow with every change of the tenant's roles and funds (see TenantStamps). */
  readonly stamps?: Partial<Stamps>;
}

/**
 * Entries that add to a fund's commitment, posted (reserved) before the claim write that carries
 * them: until that claim's entries are posted, the hold says which claim should carry them.
 */
export interface Hold {
  readonly number: string;
  readonly at: string;
  readonly entries: readonly LedgerEntry[];
}

export interface TenantView {
  readonly funds: FundLedger;
  readonly listVersion: number;
  readonly holds: readonly Hold[];
}

type Ledger = NonNullable<TenantDoc['ledger']>;

/**
 * The record with `entries` posted (each once by id; a held one counts as posted however many
 * postings went by since, as `posted` is bounded) and the holds of the `settled` ids dropped.
 */
function settle(
  doc: TenantDoc,
  ledger: Ledger,
  entries: readonly LedgerEntry[],
  settled: ReadonlySet<string>,
): TenantDoc | undefined {
  const holds = ledger.holds ?? [];
  const held = new Set(holds.flatMap((h) => h.entries.map((e) => e.id)));
  const fresh = entries.filter((e) => !ledger.posted.includes(e.id) && !held.has(e.id));
  const kept = holds.filter((h) => !h.entries.some((e) => settled.has(e.id)));
  if (!fresh.length && kept.length === holds.length) return undefined;
  return {
    ...doc,
    ledger: {
      funds: fresh.reduce(postEntry, ledger.funds),
      posted: [...ledger.posted, ...fresh.map((e) => e.id)].slice(-REMEMBERED_ENTRIES),
      ...(kept.length ? { holds: kept } : {}),
    },
    listVersion: (doc.listVersion ?? 0) + 1,
  };
}

/** The id of the entry that takes back a reservation whose claim write failed. */
const releaseId = (id: string): string => `${id}~released`;

const emptyRecord = (tenantId: string): TenantDoc => ({
  id: 'counter',
  tenantId,
  type: 'counter',
  last: 0,
  forms: [],
});

/** Builds the claim document for a number (called again with another number after a conflict). */
type MakeDocument = (seq: number) => { id: string; tenantId: string };

export interface Allocated {
  readonly seq: number;
  readonly repeated: boolean;
  /** The new claim document's ETag (not for a repeated form). */
  readonly etag?: string;
}

interface Allocation {
  readonly formId: string;
  readonly make: MakeDocument;
  resolve(allocated: Allocated): void;
  reject(error: unknown): void;
}

/**
 * At most this many claims in one batch (Cosmos DB takes 100 writes): fewer than the forms the
 * record remembers, so that every form of a batch is still known after it.
 */
const MAX_GROUP = 25;

/**
 * The tenant documents. Writes of one tenant's run one after another in a process, each from the
 * version the one before wrote (no read, no conflict between them); other instances' writes cost a
 * 412 and a read. The ledger is made once from the tenant's claims, by `ledgerFromClaims`: what each
 * adds to its fund, less the entries it still holds (posted on top as usual), so it is right however
 * many claims were stored before it.
 */
export class TenantRecords implements TenantStamps {
  private readonly queue = new KeyedQueue();
  /** The version of each tenant's record this process last read or wrote: where writes start. */
  private readonly versions = new BoundedMap<Versioned<TenantDoc>>(10_000);
  /** What reads are served from: as fresh as the running turn needs (see ConsistentReads). */
  private readonly reads = new ConsistentReads<Versioned<TenantDoc> | undefined>();

  constructor(
    private readonly container: Container,
    private readonly ledgerFromClaims: (tenantId: string) => Promise<FundLedger>,
  ) {}

  /**
   * The next claim number and the document `make` builds with it, stored together with the record
   * in one transactional batch (both live in the tenant's partition): never a number taken without
   * its claim or the other way round. A form allocated before gets its number back (`repeated`) and
   * nothing is written. Allocations that arrive while a batch of the tenant is under way go together
   * in the next one (a whole partner organisation creating claims at once waits for one or two
   * round trips, not for one per person ahead of them). The record starts from the version this
   * process last saw; another instance's write in between costs a 412, a read and another try.
   */
  allocateWith(tenantId: string, formId: string, make: MakeDocument): Promise<Allocated> {
    return new Promise((resolve, reject) => {
      const waiting = this.waiting.get(tenantId);
      if (waiting) {
        waiting.push({ formId, make, resolve, reject });
        return;
      }
      this.waiting.set(tenantId, [{ formId, make, resolve, reject }]);
      void this.queue.run(tenantId, () => this.allocateWaiting(tenantId));
    });
  }

  /** Allocations waiting for their tenant's next batch. */
  private readonly waiting = new Map<string, Allocation[]>();

  private async allocateWaiting(tenantId: string): Promise<void> {
    const waiting = this.waiting.get(tenantId) ?? [];
    const group = waiting.splice(0, MAX_GROUP);
    if (waiting.length) void this.queue.run(tenantId, () => this.allocateWaiting(tenantId));
    else this.waiting.delete(tenantId);
    try {
      await this.allocateTogether(tenantId, group);
    } catch (e) {
      if (!(e instanceof BatchConflict) || group.length === 1) {
        for (const a of group) a.reject(e);
        return;
      }
      // A claim stored under one of the numbers already (a twin racing it): each on its own, so
      // that only that one meets the conflict.
      for (const a of group) await this.allocateTogether(tenantId, [a]).catch(a.reject);
    }
  }

  /** One batch for the group: settles each allocation, or throws for all of them. */
  private async allocateTogether(tenantId: string, group: readonly Allocation[]): Promise<void> {
    let current = this.versions.get(tenantId) ?? (await this.readNow(tenantId));
    for (let attempt = 1; ; attempt++) {
      const doc = current?.doc ?? emptyRecord(tenantId);
      const forms = [...doc.forms];
      const outcomes: (() => void)[] = [];
      const added: {
        allocation: Allocation;
        seq: number;
        claim: { id: string; tenantId: string };
      }[] = [];
      for (const allocation of group) {
        const known = forms.find((f) => f.formId === allocation.formId);
        if (known) {
          outcomes.push(() => allocation.resolve({ seq: known.seq, repeated: true }));
          continue;
        }
        const seq = doc.last + added.length + 1;
        try {
          added.push({ allocation, seq, claim: allocation.make(seq) });
        } catch (e) {
          outcomes.push(() => allocation.reject(e));
          continue;
        }
        forms.push({ formId: allocation.formId, seq });
      }
      if (!added.length) return outcomes.forEach((settle) => settle());
      const next: TenantDoc = {
        ...doc,
        last: doc.last + added.length,
        forms: forms.slice(-REMEMBERED_FORMS),
        listVersion: (doc.listVersion ?? 0) + 1,
      };
      try {
        const at = performance.now();
        const [recordEtag, ...etags] = await writeBatch(this.container, tenantId, [
          { doc: next, etag: current?.etag },
          ...added.map(({ claim }) => ({ doc: claim })),
        ]);
        this.remember(tenantId, { doc: next, etag: recordEtag }, at);
        added.forEach(({ allocation, seq }, i) =>
          outcomes.push(() => allocation.resolve({ seq, repeated: false, etag: etags[i] })),
        );
        return outcomes.forEach((settle) => settle());
      } catch (e) {
        if (!(e instanceof BatchConflict) || e.index !== 0) throw e;
        if (attempt >= MAX_ATTEMPTS) throw new AppError('CONFLICT');
        await conflictPause(attempt);
        current = await this.readNow(tenantId);
      }
    }
  }

  private async readNow(tenantId: string): Promise<Versioned<TenantDoc> | undefined> {
    const at = performance.now();
    const found = await readDoc<TenantDoc>(this.container, tenantId, 'counter');
    if (found) this.remember(tenantId, found, at);
    return found;
  }

  /**
   * Posts entries to the ledger; one posted before (by id) is not counted again. Holds of these
   * entries are done with: their claim carries them.
   */
  async post(tenantId: string, entries: readonly LedgerEntry[]): Promise<void> {
    const ids = new Set(entries.map((e) => e.id));
    await this.withLedger(tenantId, (doc, ledger) => settle(doc, ledger, entries, ids));
  }

  /**
   * Posts entries that add to a fund's commitment before the claim write that carries them, in one
   * ETag-checked write of this record (the gate every instance passes one at a time): refused with
   * FundExhaustedError if a fund would end with approved + pending above `allocated`.
   */
  async reserve(
    tenantId: string,
    hold: {
      number: string;
      entries: readonly LedgerEntry[];
      allocated: ReadonlyMap<string, Money>;
    },
  ): Promise<void> {
    await this.withLedger(tenantId, (doc, ledger) => {
      const fresh = hold.entries.filter((e) => !ledger.posted.includes(e.id));
      if (!fresh.length) return undefined;
      return {
        ...doc,
        ledger: {
          funds: reserveEntries(ledger.funds, fresh, hold.allocated),
          posted: [...ledger.posted, ...fresh.map((e) => e.id)].slice(-REMEMBERED_ENTRIES),
          holds: [
            ...(ledger.holds ?? []),
            { number: hold.number, at: new Date().toISOString(), entries: fresh },
          ],
        },
        listVersion: (doc.listVersion ?? 0) + 1,
      };
    });
  }

  /**
   * Takes back reserved entries whose claim write did not happen: only while their hold stands
   * (once, however often asked, and never after the claim's own posting settled it).
   */
  async release(tenantId: string, entries: readonly LedgerEntry[]): Promise<void> {
    const ids = new Set(entries.map((e) => e.id));
    const reversals = entries.map((e) => ({ ...negated(e), id: releaseId(e.id) }));
    await this.withLedger(tenantId, (doc, ledger) =>
      (ledger.holds ?? []).some((h) => h.entries.some((e) => ids.has(e.id)))
        ? settle(doc, ledger, reversals, ids)
        : undefined,
    );
  }

  /**
   * The tenant's fund sums and list version as fresh as the running turn needs: whatever any
   * instance wrote before the turn arrived shows (see ConsistentReads).
   */
  async read(tenantId: string): Promise<TenantView> {
    const found = await this.reads.read(tenantId, () => this.readNow(tenantId));
    const doc = found?.doc;
    const ready = doc && usableLedger(doc.ledger, undefined) ? doc : undefined;
    const saved = ready ?? (await this.withLedger(tenantId, () => undefined));
    return {
      funds: saved.ledger?.funds ?? {},
      listVersion: saved.listVersion ?? 0,
      holds: saved.ledger?.holds ?? [],
    };
  }

  /**
   * Applies `change` to the record with its ledger, making the ledger from the claims first if the
   * record has none yet, or one without sums per activity type (ledgerTypes.ts); the query runs
   * outside the write, which is retried if the record moved.
   */
  private async withLedger(
    tenantId: string,
    change: (doc: TenantDoc, ledger: NonNullable<TenantDoc['ledger']>) => TenantDoc | undefined,
  ): Promise<TenantDoc> {
    let made: FundLedger | undefined;
    for (;;) {
      const start = made;
      let missing = false;
      const saved = await this.write(tenantId, (doc) => {
        const ledger = usableLedger(doc.ledger, start);
        missing = !ledger;
        if (!ledger) return undefined;
        const changed = change(doc, ledger);
        return changed ?? (ledger === doc.ledger ? undefined : { ...doc, ledger });
      });
      if (!missing) return saved;
      made = await this.ledgerFromClaims(tenantId);
    }
  }

  /** Changes of the record that arrive together are written together (see GroupedChanges). */
  private readonly grouped = new GroupedChanges<TenantDoc>(
    (tenantId, apply) => this.writeNow(tenantId, apply),
    (tenantId, work) => void this.queue.run(tenantId, work),
  );

  private write(
    tenantId: string,
    change: (doc: TenantDoc) => TenantDoc | undefined,
  ): Promise<TenantDoc> {
    return this.grouped.change(tenantId, change);
  }

  private async writeNow(
    tenantId: string,
    change: (doc: TenantDoc) => TenantDoc | undefined,
  ): Promise<TenantDoc> {
    const at = performance.now();
    const saved = await updateDoc<TenantDoc>(
      this.container,
      tenantId,
      'counter',
      (doc) => change(doc ?? emptyRecord(tenantId)),
      {
        recent: this.versions.get(tenantId),
        read: (version) => this.remember(tenantId, version, at),
        written: (version) => this.remember(tenantId, version, at),
      },
    );
    return saved ?? emptyRecord(tenantId);
  }

  async stamps(tenantId: string): Promise<Stamps> {
    const stamps = (await this.reads.read(tenantId, () => this.readNow(tenantId)))?.doc.stamps;
    return { roles: 0, funds: 0, invoiceKeys: 0, ...stamps };
  }

  async bump(tenantId: string, kind: StampKind): Promise<number> {
    const saved = await this.write(tenantId, (doc) => ({
      ...doc,
      stamps: { ...doc.stamps, [kind]: (doc.stamps?.[kind] ?? 0) + 1 },
    }));
    return saved.stamps?.[kind] ?? 0;
  }

  /** A version read or written: writes start from it, and reads no fresher than `at` are served it. */
  private remember(tenantId: string, version: Versioned<TenantDoc>, at: number): void {
    this.versions.set(tenantId, version);
    this.reads.offer(tenantId, version, at);
  }
}
