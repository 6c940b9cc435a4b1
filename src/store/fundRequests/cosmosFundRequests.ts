import { randomBytes } from 'node:crypto';
import type { Container } from '@azure/cosmos';
import { AppError } from '../../domain/errors';
import { FundRequest, formatRequestNumber, withRequestEntries } from '../../domain/fundRequest';
import { isOpen } from '../../domain/notification';
import { appliedItem } from '../appliedActivities';
import {
  AlreadyWritten,
  BatchConflict,
  CosmosDb,
  MAX_ATTEMPTS,
  conflictPause,
  queryAll,
  readDoc,
  updateDoc,
  writeBatch,
} from '../cosmos';
import type { FundRequestRepository, LedgerGate, RequestKey } from './port';

/**
 * How many recent activity ids a request's document remembers, so a retried activity has its effect
 * once without another request; every applied activity also has an item of its own (AppliedItem).
 */
const REMEMBERED_ACTIVITIES = 40;
/** How many recent New fund request forms the counter remembers, so a double click makes one. */
const REMEMBERED_FORMS = 50;

/** A request as stored, in the tenant's partition of the claims container (id: its number). */
export interface FundRequestDoc extends FundRequest {
  readonly type: 'fundRequest';
  /** Derived from the outbox, for the sweep. */
  readonly openOutbox: boolean;
  readonly appliedActivities: readonly string[];
}

/** The tenant's request counter, beside the claims' own (`counter`). */
interface RequestCounterDoc {
  readonly id: 'requestCounter';
  readonly tenantId: string;
  readonly type: 'requestCounter';
  readonly last: number;
  readonly forms: readonly { readonly formId: string; readonly seq: number }[];
}

const entryId = (): string => randomBytes(8).toString('base64url');

export function toRequestDoc(request: FundRequest, applied: readonly string[]): FundRequestDoc {
  return {
    ...request,
    type: 'fundRequest',
    openOutbox: request.outbox.some(isOpen),
    appliedActivities: applied.slice(-REMEMBERED_ACTIVITIES),
  };
}

export function toRequest(doc: FundRequestDoc): FundRequest {
  const { type: _type, openOutbox: _open, appliedActivities: _applied, ...request } = doc;
  return request;
}

/**
 * Fund requests in Cosmos DB, beside the claims: a request and its number are stored in one
 * transactional batch with the tenant's request counter; an approval passes the claims' fund gate
 * (the tenant record's ETag-checked ledger) before the request is written, like a submit.
 */
export class CosmosFundRequestRepository implements FundRequestRepository {
  private readonly container: Container;

  constructor(
    db: CosmosDb,
    private readonly gate: LedgerGate,
  ) {
    this.container = db.container('claims');
  }

  async create(
    tenantId: string,
    formId: string,
    build: (seq: number) => FundRequest,
  ): Promise<FundRequest> {
    for (let attempt = 1; ; attempt++) {
      const current = await readDoc<RequestCounterDoc>(this.container, tenantId, 'requestCounter');
      const counter = current?.doc ?? {
        id: 'requestCounter',
        tenantId,
        type: 'requestCounter',
        last: 0,
        forms: [],
      };
      const known = counter.forms.find((f) => f.formId === formId);
      if (known) {
        const existing = await this.get(tenantId, formatRequestNumber(known.seq));
        if (existing) return existing;
      }
      const seq = counter.last + 1;
      const request = withRequestEntries(undefined, build(seq), entryId);
      const next: RequestCounterDoc = {
        ...counter,
        last: seq,
        forms: [...counter.forms, { formId, seq }].slice(-REMEMBERED_FORMS),
      };
      try {
        await writeBatch(this.container, tenantId, [
          { doc: next, etag: current?.etag },
          { doc: toRequestDoc(request, []) },
        ]);
        return request;
      } catch (e) {
        if (!(e instanceof BatchConflict)) throw e;
        if (attempt >= MAX_ATTEMPTS) throw new AppError('CONFLICT');
        await conflictPause(attempt);
      }
    }
  }

  async get(tenantId: string, number: string): Promise<FundRequest | undefined> {
    const found = await readDoc<FundRequestDoc>(this.container, tenantId, number);
    return found?.doc.type === 'fundRequest' ? toRequest(found.doc) : undefined;
  }

  async update(
    tenantId: string,
    number: string,
    activityId: string,
    change: (request: FundRequest) => FundRequest,
  ): Promise<FundRequest> {
    const saved = await updateDoc<FundRequestDoc>(
      this.container,
      tenantId,
      number,
      (doc) => {
        if (doc?.type !== 'fundRequest') throw new AppError('REQUEST_NOT_FOUND', { number });
        if (doc.appliedActivities.includes(activityId)) return undefined;
        const current = toRequest(doc);
        const next = change(current);
        if (next === current) return undefined;
        return toRequestDoc(withRequestEntries(current, next, entryId), [
          ...doc.appliedActivities,
          activityId,
        ]);
      },
      {
        beforeWrite: (next, current) => this.gate.reserve(tenantId, next, current),
        marker: appliedItem(tenantId, number, activityId),
      },
    ).catch(async (e: unknown) => {
      if (!(e instanceof AlreadyWritten)) throw e;
      return (await readDoc<FundRequestDoc>(this.container, tenantId, number))?.doc;
    });
    if (!saved) throw new AppError('REQUEST_NOT_FOUND', { number });
    if (saved.ledgerEntries?.length) await this.gate.postChange(tenantId, number);
    return toRequest(saved);
  }

  async list(
    tenantId: string,
    o: { readonly requesterId?: string; readonly size: number },
  ): Promise<FundRequest[]> {
    const mine = o.requesterId ? ' AND c.requester.id = @u' : '';
    const docs = await queryAll<FundRequestDoc>(
      this.container,
      `SELECT TOP ${o.size} * FROM c WHERE c.tenantId = @t AND c.type = 'fundRequest'${mine} ORDER BY c.seq DESC`,
      [
        { name: '@t', value: tenantId },
        ...(o.requesterId ? [{ name: '@u', value: o.requesterId }] : []),
      ],
    );
    return docs.map(toRequest);
  }

  withOpenWork(today: string): Promise<RequestKey[]> {
    return queryAll<RequestKey>(
      this.container,
      "SELECT c.tenantId, c.number FROM c WHERE c.type = 'fundRequest' AND (c.openOutbox = true OR ARRAY_LENGTH(c.ledgerEntries) > 0 OR (c.status = 'approved' AND c.expiresOn < @today))",
      [{ name: '@today', value: today }],
    );
  }

  async awaitingFor(tenantId: string, userId: string): Promise<RequestKey[]> {
    const rows = await queryAll<RequestKey>(
      this.container,
      "SELECT c.tenantId, c.number FROM c JOIN n IN c.outbox WHERE c.tenantId = @t AND c.type = 'fundRequest' AND c.openOutbox = true AND n.to.id = @u AND n.state = 'awaitingInstall'",
      [
        { name: '@t', value: tenantId },
        { name: '@u', value: userId },
      ],
    );
    // One row per waiting notice (no DISTINCT on the emulator): one key per request.
    return [...new Map(rows.map((k) => [k.number, k])).values()];
  }

  postLedgerEntries(tenantId: string, number: string): Promise<void> {
    return this.gate.post(tenantId, number);
  }
}
