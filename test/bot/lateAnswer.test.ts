import assert from 'node:assert/strict';
import { cardText, TeamsUser, Tenant } from '../support/teams';
import { pdfBytes, recordedText, sendFiles, shownDocument, recordedCard } from './fileKit';
import { waitUntil } from '../notify/helpers';
import { FileServer } from './fileServer';
import { World, ownerWithClaim, startWorld } from './world';

const KB = 1024;
const LATE_AFTER_MS = 1500;

describe('bot: a card action that takes longer than Teams waits (a large file filed from the question card)', () => {
  let w: World;
  let drive: FileServer;
  let tenant: Tenant;
  let olga: TeamsUser;
  let number: string;

  before(async () => {
    drive = await FileServer.start();
    w = await startWorld({
      env: { ALLOWED_DOWNLOAD_HOSTS: '127.0.0.1' },
      app: { lateAnswerAfterMs: LATE_AFTER_MS },
    });
    ({ tenant, owner: olga, number } = await ownerWithClaim(w, 'Olga Owner'));
  });
  after(async () => {
    await w?.stop();
    await drive?.stop();
  });

  it('answers "still working" in time, then puts the claim card in place of the clicked card', async () => {
    const url = drive.serve('big.pdf', pdfBytes(300 * KB), { overMs: 4000 });
    const question = await sendFiles(w.teams, olga, olga.personal, '', [{ name: 'big.pdf', url }]);
    assert.match(cardText(question.card), /Which claim is this for\?/);

    const clickedAt = Date.now();
    const answer = await w.teams.click(olga, olga.personal, question, 'Add document', {
      Claim: number,
      Type: 'Invoice',
      Explanation: 'The big one',
    });
    assert.equal(answer.invokeStatus, 200);
    assert.ok(Date.now() - clickedAt < LATE_AFTER_MS + 1000, 'answered before Teams gives up');
    assert.match(answer.text, /Still working on it/);

    const late = await w.connector.waitFor(
      (s) =>
        s.op === 'update' &&
        s.activityId === question.cardActivityId &&
        /Added big\.pdf/.test(recordedText(s)),
      15_000,
    );
    assert.ok(late, 'the clicked card shows the answer once the file is filed');
    assert.equal(shownDocument(recordedCard(late), 'big.pdf').group, 'Invoice');
    // The card is remembered by a write of its own after the update: under load it lands later.
    const claim = await waitUntil('that card is kept up to date from now on', async () => {
      const stored = await w.app.services.claims.get(tenant.id, number);
      return stored?.postedCards?.some((c) => c.activityId === question.cardActivityId) && stored;
    });
    assert.equal(claim.documents.filter((d) => d.fileName === 'big.pdf').length, 1);
  });

  it('answers a quick card action in the invoke response, as always', async () => {
    const r = await w.teams.invoke(olga, olga.personal, 'refreshClaim', { claim: number });
    assert.equal(r.invokeStatus, 200);
    assert.match(cardText(r.card), new RegExp(number));
  });
});
