import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { BlobServiceClient, ContainerClient } from '@azure/storage-blob';
import { CosmosClaimRepository } from '../../src/store/claims';
import { BenchUser, fileMessage, makeUser } from './activities';
import { Bench } from './env';
import { BotProcess, MAIN_JS, memoryOf, resetPeak, startBot } from './processes';
import { MeasureResult } from './report';
import { bytes, median, percent, seconds } from './stats';
import { addFund, buildClaim, grant, storeClaims } from './seed';

/**
 * 4. Files: a file sent to the bot in a 1:1 chat (a `file.download.info` attachment whose download
 * URL is a local server on the Teams side's thread) goes through the bot — download, type sniffing, hashing, Blob upload,
 * claim write — against a plain BlockBlobClient.uploadStream of the same download, in turn, with
 * the bot in a process of its own whose resident memory is watched.
 */

const MB = 1024 * 1024;
/** The app's own upload settings (src/store/blobFileStore.ts), for the plain upload. */
const UPLOAD_BUFFER_BYTES = 4 * MB;
const UPLOAD_MAX_BUFFERS = 4;
const MIN_SHARE = 0.7;
const MAX_GROWTH = 64 * MB;
const SAMPLE_EVERY_MS = 10;
const TEAMS_TIMEOUT_MS = 15_000;
const FILE_TURN_TIMEOUT_MS = 10 * 60_000;

interface Upload {
  readonly botMs: number;
  readonly plainMs: number;
  readonly growth: number;
  readonly baseRss: number;
}

/** The bot a file is sent to, the claim it is sent for, and the container it is stored in. */
interface FilesRig {
  readonly bench: Bench;
  readonly bot: BotProcess;
  readonly owner: BenchUser;
  readonly claims: CosmosClaimRepository;
  readonly container: ContainerClient;
}

/** A file the Teams side serves for download. */
interface Served {
  readonly url: string;
  readonly sha256: string;
}

export async function measureFiles(bench: Bench): Promise<MeasureResult> {
  const size = (bench.quick ? 5 : 100) * MB;
  const runs = bench.quick ? 1 : 3;
  const shared = bench.sharedBot('default');
  const bot = (await shared) ?? (await startBot([MAIN_JS], bench.env('bench-files'), 60_000));
  const rig = await seedFiles(bench, bot);
  const file: Served = await bench.teams.call('serveFile', size);
  const small: Served = await bench.teams.call('serveFile', MB);
  try {
    await viaBot(rig, small.url, 'warm-up.pdf');
    await plain(rig, small.url, 'warm-up.pdf');
    const uploads: Upload[] = [];
    for (let run = 0; run < runs; run++) {
      // Alternate which goes first, so neither always gets the quieter moment.
      const o = { file, size, name: `benchmark-${run + 1}.pdf`, botFirst: run % 2 === 0 };
      uploads.push(await uploadRun(rig, o));
    }
    return report(size, runs, uploads);
  } finally {
    if (!shared) await bot.child.stop();
    await bench.teams.call('stopFileServers');
  }
}

/** The file sender with a fund and a claim being edited, in the bot's database. */
async function seedFiles(bench: Bench, bot: BotProcess): Promise<FilesRig> {
  const { database } = bot;
  const db = await bench.db(database);
  const tenantId = randomUUID();
  const owner: BenchUser = makeUser(tenantId, 'File Sender');
  await bench.teams.call('addUsers', [owner]);
  await grant(db, [owner], 'incentivesUser');
  await addFund(db, tenantId, owner);
  await storeClaims(db, [buildClaim(owner, 1, 'editing')]);
  const claims = new CosmosClaimRepository(db);
  const container = BlobServiceClient.fromConnectionString(
    bench.azurite.connectionString,
  ).getContainerClient(database);
  return { bench, bot, owner, claims, container };
}

/** The file `name` at `url` sent to the bot for CLM-0001; the stored blob is deleted again. */
async function viaBot(rig: FilesRig, url: string, name: string) {
  const { bench, bot, owner } = rig;
  const answer = await bench.teams.call('turn', {
    url: `${bot.url}/api/messages`,
    activity: fileMessage(bench.serviceUrl, owner, 'CLM-0001 invoice: benchmark', {
      name,
      downloadUrl: `${url}/${name}`,
    }),
    timeoutMs: FILE_TURN_TIMEOUT_MS,
  });
  const stored = (await rig.claims.get(owner.tenantId, 'CLM-0001'))?.documents.find(
    (d) => d.fileName === name,
  );
  if (answer.status !== 200 || !stored) {
    bench.breaks.push(
      `files: ${name} was not stored (HTTP ${answer.status}): ${bot.child.output()}`,
    );
  } else {
    await rig.container.getBlobClient(stored.blobName).delete();
  }
  return { ms: answer.ms, stored };
}

/** The same download piped into a plain `uploadStream`, as the app's settings; its time in ms. */
async function plain(rig: FilesRig, url: string, name: string): Promise<number> {
  const started = performance.now();
  const source = await new Promise<http.IncomingMessage>((resolve, reject) =>
    http.get(`${url}/${name}`, resolve).on('error', reject),
  );
  const blob = rig.container.getBlockBlobClient(`plain/${name}`);
  await blob.uploadStream(source, UPLOAD_BUFFER_BYTES, UPLOAD_MAX_BUFFERS, {
    blobHTTPHeaders: { blobContentType: 'application/pdf' },
  });
  const ms = performance.now() - started;
  await blob.delete();
  return ms;
}

/** The file through the bot with its process's RSS watched; stored size and hash checked. */
async function viaBotWatched(rig: FilesRig, o: { file: Served; size: number; name: string }) {
  const pid = rig.bot.child.pid;
  const baseRss = memoryOf(pid).rss;
  resetPeak(pid);
  let sampled = baseRss;
  const sampler = setInterval(() => {
    sampled = Math.max(sampled, memoryOf(pid).rss);
  }, SAMPLE_EVERY_MS);
  const { ms, stored } = await viaBot(rig, o.file.url, o.name).finally(() =>
    clearInterval(sampler),
  );
  if (stored && (stored.size !== o.size || stored.sha256 !== o.file.sha256)) {
    rig.bench.breaks.push(`files: ${o.name} stored with size ${stored.size} / another hash`);
  }
  const growth = Math.max(sampled, memoryOf(pid).peak) - baseRss;
  return { ms, baseRss, growth };
}

/** One run: through the bot and plain, in the order given. */
async function uploadRun(
  rig: FilesRig,
  o: { file: Served; size: number; name: string; botFirst: boolean },
): Promise<Upload> {
  let botRun: Awaited<ReturnType<typeof viaBotWatched>>;
  let plainMs: number;
  if (o.botFirst) {
    botRun = await viaBotWatched(rig, o);
    plainMs = await plain(rig, o.file.url, o.name);
  } else {
    plainMs = await plain(rig, o.file.url, o.name);
    botRun = await viaBotWatched(rig, o);
  }
  return { botMs: botRun.ms, plainMs, growth: botRun.growth, baseRss: botRun.baseRss };
}

function report(size: number, runs: number, uploads: readonly Upload[]): MeasureResult {
  const share = median(uploads.map((u) => u.plainMs / u.botMs));
  const botMs = median(uploads.map((u) => u.botMs));
  const plainMs = median(uploads.map((u) => u.plainMs));
  const growth = Math.max(...uploads.map((u) => u.growth));
  const rate = (ms: number) => `${((size / MB / ms) * 1000).toFixed(0)} MB/s`;
  const slowest = Math.max(...uploads.map((u) => u.botMs));
  return {
    title: `4. Files (${size / MB} MB through the bot)`,
    rows: [
      {
        name: 'file throughput',
        figure: `${rate(botMs)} (${seconds(botMs)})`,
        baseline: `uploadStream ${rate(plainMs)}`,
        ratio: percent(share),
        target: `≥ ${percent(MIN_SHARE)}`,
        pass: share >= MIN_SHARE,
        why:
          `Through the bot the same download reaches Blob storage at ${percent(share)} of a plain ` +
          'uploadStream: on top of the upload it sniffs, hashes (SHA-256) and counts every ' +
          'chunk in an async generator on the same thread, sets the metadata in a second call, ' +
          'and writes the claim; a larger upload buffer and hashing off the copy path would close it.',
      },
      {
        name: 'bot peak RSS growth',
        figure: bytes(growth),
        baseline: `RSS before ${bytes(median(uploads.map((u) => u.baseRss)))}`,
        ratio: '',
        target: `≤ ${bytes(MAX_GROWTH)}`,
        pass: growth <= MAX_GROWTH,
        why:
          `The bot's resident memory grew by ${bytes(growth)} while streaming: the upload keeps up ` +
          `to ${UPLOAD_MAX_BUFFERS} buffers of ${bytes(UPLOAD_BUFFER_BYTES)} and the download ` +
          'is read faster than Blob storage takes it; smaller buffers, or back-pressure from the ' +
          'upload to the download, would close it.',
      },
    ],
    details: [
      `A ${bytes(size)} PDF-looking file served by a local HTTP server, sent as a ` +
        '`application/vnd.microsoft.teams.file.download.info` attachment with the text ' +
        "`CLM-0001 invoice: benchmark` by the claim's owner in their 1:1 chat; the bot runs as " +
        '`node dist/src/main.js` in a process of its own on this stack. Time: the whole turn ' +
        '(download, checks, Blob upload, claim write, answer). Baseline: the same download piped ' +
        `into \`BlockBlobClient.uploadStream\` (${bytes(UPLOAD_BUFFER_BYTES)} × ${UPLOAD_MAX_BUFFERS} ` +
        `buffers, as the app) into the same Azurite, in turn with the bot (order alternating), ${runs} ` +
        'run(s) after a 1 MB warm-up of both. Memory: VmRSS of the bot process sampled every ' +
        `${SAMPLE_EVERY_MS} ms and its VmHWM (reset before each upload); growth = peak − RSS just ` +
        'before; the largest growth of the runs. Size and SHA-256 of the stored document are checked.',
      '',
      '| run | through the bot | plain uploadStream | share | RSS before | peak growth |',
      '|---|---|---|---|---|---|',
      ...uploads.map(
        (u, i) =>
          `| ${i + 1} | ${seconds(u.botMs)} | ${seconds(u.plainMs)} | ${percent(u.plainMs / u.botMs)} | ${bytes(u.baseRss)} | ${bytes(u.growth)} |`,
      ),
      ...(slowest > TEAMS_TIMEOUT_MS
        ? [
            '',
            `The slowest file turn took ${seconds(slowest)}: Teams retries a turn it has no ` +
              `answer to after ${seconds(TEAMS_TIMEOUT_MS)}, so a file this size would be sent to ` +
              'the bot again while it is still being stored.',
          ]
        : []),
    ],
  };
}
