import { Readable } from 'node:stream';
import type { Services } from '../../src/bot/services';
import { Claim, createClaim, readClaimInformation } from '../../src/domain/claim';
import { claimHistory } from '../../src/bot/flows/exports';
import { writeClaimArchive } from '../../src/exports/claimArchive';
import { storeDocuments } from '../../testkit/claimDocuments';
import { Bench } from './env';
import { MeasureResult } from './report';
import { bytes, ms } from './stats';

/**
 * 12. Export of a claim: a claim of 200 documents (40 in quick mode) exported as the bot does it
 * (`export CLM-…`): downloads streamed through yazl into the export's upload. Memory: the process's
 * RSS sampled while the archive is written, against the RSS just before.
 */

const MAX_GROWTH_BYTES = 64 * 1024 * 1024;
const SAMPLE_EVERY_MS = 20;

/** A PDF-looking file of `size` bytes, made as it is read (the bench never holds it whole). */
function pdfStream(size: number): Readable {
  const chunk = Buffer.alloc(64 * 1024, 0x41);
  Buffer.from('%PDF-1.7\n').copy(chunk);
  let left = size;
  return new Readable({
    read() {
      const n = Math.min(left, chunk.length);
      left -= n;
      this.push(n ? chunk.subarray(0, n) : null);
    },
  });
}

/** The exported claim's tenant and owner. */
const TENANT_ID = 'bench-exports';
const OWNER = { id: 'bench-owner', name: 'Bench Owner' };

export async function measureExports(bench: Bench): Promise<MeasureResult> {
  const size = bench.quick ? 256 * 1024 : 1024 * 1024;
  const documents = bench.quick ? 40 : 200;
  const app = await bench.startApp('bench-exports');
  const { services } = app.running;
  const claim = await seedExportClaim(services, { documents, size });
  const { written, growth, took } = await exportWatched(services, claim);
  const total = documents * size;
  if (written < total) bench.breaks.push(`exports: the archive has ${written} of ${total} bytes`);
  return exportsResult({ documents, size, written, growth, took });
}

/** A claim with `documents` stored documents of `size` bytes, their names used four times each. */
async function seedExportClaim(
  services: Services,
  o: { documents: number; size: number },
): Promise<Claim> {
  const { documents, size } = o;
  const tenantId = TENANT_ID;
  const owner = OWNER;
  const info = readClaimInformation(
    {
      title: 'Export benchmark',
      activityType: 'event',
      activityStart: '2026-01-01',
      activityEnd: '2026-01-02',
      amount: '1,000.00',
      description: 'Two hundred documents',
    },
    'USD',
    'en-US',
  );
  const actor = {
    tenantId,
    userId: owner.id,
    name: owner.name,
    roles: new Set(['incentivesUser'] as const),
  };
  const created = await services.claims.create(tenantId, 'bench-export', (seq) =>
    createClaim({
      actor,
      seq,
      formId: 'bench-export',
      fund: { id: 'fund', currency: 'USD' },
      info,
      now: new Date().toISOString(),
    }),
  );
  return storeDocuments({
    files: services.files,
    claims: services.claims,
    tenantId,
    number: created.number,
    uploader: owner,
    documents: Array.from({ length: documents }, (_, i) => ({
      fileName: `proof-${i % (documents / 4)}.pdf`,
      bytes: () => pdfStream(size),
    })),
  });
}

/** The claim exported as the bot does it, with the process's RSS sampled while it is written. */
async function exportWatched(services: Services, claim: Claim) {
  global.gc?.();
  const baseRss = process.memoryUsage().rss;
  let peak = baseRss;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, SAMPLE_EVERY_MS);
  const started = performance.now();
  let written = 0;
  try {
    written = await writeClaimArchive({
      store: services.exports,
      blobName: `${TENANT_ID}/${claim.number}/bench.zip`,
      fileName: `${claim.number}.zip`,
      claim,
      history: claimHistory(services.claims, claim),
    });
  } finally {
    clearInterval(sampler);
  }
  const took = performance.now() - started;
  const growth = Math.max(peak, process.memoryUsage().rss) - baseRss;
  return { written, growth, took };
}

function exportsResult(o: {
  documents: number;
  size: number;
  written: number;
  growth: number;
  took: number;
}): MeasureResult {
  const { documents, size, written, growth, took } = o;
  return {
    title: '12. Export of a claim (ZIP)',
    rows: [
      {
        name: `${documents} documents of ${bytes(size)}: RSS growth`,
        figure: bytes(growth),
        baseline: `archive ${bytes(written)}`,
        ratio: '',
        target: `≤ ${bytes(MAX_GROWTH_BYTES)}`,
        pass: growth <= MAX_GROWTH_BYTES,
        why: 'More means the archive or its files are held in memory rather than streamed.',
      },
      {
        name: `${documents} documents of ${bytes(size)}: time`,
        figure: ms(took),
        baseline: '',
        ratio: '',
        target: '',
      },
    ],
    details: [
      `One claim with ${documents} stored documents (${documents / 4} names used four times ` +
        'each, so names are numbered) exported by `writeClaimArchive`, as `export CLM-…` does, from Azurite into ' +
        `Azurite in the benchmark's own process; RSS of that process sampled every ${SAMPLE_EVERY_MS} ms; ` +
        'growth = peak − RSS just before.',
    ],
  };
}
