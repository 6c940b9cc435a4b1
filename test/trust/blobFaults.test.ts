import assert from 'node:assert/strict';
import { BlobServiceClient, ContainerClient } from '@azure/storage-blob';
import { sharedStack } from '../support/stack';
import { fileMessage, pdfBytes, recordedText, sha256 } from '../bot/fileKit';
import { BlobFaultWorld, startBlobFaultWorld } from './blobFaultWorld';
import { Fault } from './faultProxy';
import { RejectionWatch, TRY_AGAIN, postActivity } from './http';

const MB = 1024 * 1024;
/** The Blob SDK's one retry (STORAGE_MAX_TRIES=2 tries at once), and not much more. */
const FAILED_UPLOAD_ANSWERED_WITHIN_MS = 10_000;

describe('trust: Blob storage failing in the middle of an upload', function () {
  this.timeout(120_000);
  let world: BlobFaultWorld;
  /** The app's container on Azurite itself, not through the proxy. */
  let container: ContainerClient;
  const watch = new RejectionWatch();
  const pdf = pdfBytes(10 * MB);

  const blobsOfClaim = async (): Promise<string[]> => {
    const names: string[] = [];
    const prefix = `${world.tenant.id}/${world.number}/`;
    for await (const blob of container.listBlobsFlat({ prefix })) names.push(blob.name);
    return names.sort();
  };
  /** The claim's documents once the invoice totals being read in the background are stored. */
  const documents = async () => {
    await world.w.app.invoices.idle();
    return (await world.w.app.services.claims.get(world.tenant.id, world.number))?.documents ?? [];
  };

  /** Sends the invoice; the HTTP status, the final answer in the chat and how long it took. */
  async function sendInvoice(): Promise<{ status: number; answer: string; ms: number }> {
    const { w, olivia, drive, number } = world;
    const seq = w.connector.seq;
    const started = Date.now();
    const activity = fileMessage(w.teams, olivia, olivia.personal, `${number} invoice: agency`, [
      { name: 'invoice.pdf', url: drive.serve('invoice.pdf', pdf) },
    ]);
    // Longer than TeamsClient waits: the failing upload takes the SDK's retries.
    const { status } = await postActivity(w.teams.botUrl, activity, {}, 60_000);
    // The answer: the last message posted in the turn, as last updated (it may replace the progress
    // message); background updates of older claim cards are not it.
    const here = w.connector.since(seq, olivia.personal.id);
    const posted = here.filter((r) => r.op === 'send' || r.op === 'reply').at(-1);
    const last = here.filter((r) => r.activityId === posted?.activityId).at(-1);
    return { status, answer: last ? recordedText(last) : '', ms: Date.now() - started };
  }

  before(async () => {
    world = await startBlobFaultWorld('Upload under fault');
    const { storageConnectionString } = await sharedStack();
    container = BlobServiceClient.fromConnectionString(storageConnectionString).getContainerClient(
      world.w.config.blobContainer,
    );
    watch.install();
  });
  after(async () => {
    watch.uninstall();
    await world?.stop();
  });

  const faults: [string, Fault][] = [
    ['cut off half-way through the file', { kind: 'cutAfter', bytes: 5 * MB }],
    [
      'answering 503 after the first block',
      { kind: 'status', status: 503, writesOnly: true, after: 1 },
    ],
  ];

  for (const [name, fault] of faults) {
    it(`${name}: a try-again card, no document, no blob; the next upload succeeds`, async () => {
      const documentsBefore = await documents();
      const blobsBefore = await blobsOfClaim();
      await world.proxy.fail(fault);
      const failed = await sendInvoice();
      assert.equal(failed.status, 200);
      assert.ok(world.proxy.stats.failed > 0, 'the fault was hit');
      assert.match(failed.answer, TRY_AGAIN, failed.answer);
      assert.ok(failed.ms < FAILED_UPLOAD_ANSWERED_WITHIN_MS, `answered after ${failed.ms} ms`);
      assert.deepEqual(await documents(), documentsBefore, 'no document added to the claim');
      assert.deepEqual(await blobsOfClaim(), blobsBefore, 'no blob left behind');

      await world.proxy.recover();
      const again = await sendInvoice();
      assert.match(
        again.answer,
        new RegExp(`Added invoice\\.pdf to ${world.number}`),
        again.answer,
      );
      const added = (await documents()).slice(documentsBefore.length);
      assert.equal(added.length, 1);
      assert.equal(added[0].sha256, sha256(pdf));
      assert.deepEqual(await blobsOfClaim(), [...blobsBefore, added[0].blobName].sort());
      assert.deepEqual(watch.seen, [], 'no unhandled rejection');
    });
  }
});
