import assert from 'node:assert/strict';
import type { Claim, HistoryEvent } from '../../src/domain/claim';
import { isOpen } from '../../src/domain/notification';
import { Chat, TeamsUser, Tenant, press } from '../support/teams';
import { CLAIM, World, addFund, createClaim, grant } from '../bot/world';
import { FileServer, requestUploadFrom, sendFile, startTrustWorld } from './kit';

describe('trust: retried activities and parallel changes', function () {
  this.timeout(120_000);
  let w: World;
  let files: FileServer;
  let contoso: Tenant;
  let ada: TeamsUser;
  let olivia: TeamsUser;
  let carl: TeamsUser;
  let dana: TeamsUser;
  let group: Chat;

  const stored = async (number: string): Promise<Claim> => {
    const claim = await w.app.services.claims.get(contoso.id, number);
    assert.ok(claim, `${number} exists`);
    return claim;
  };
  /** Every history event of the claim, oldest first, read a page at a time as `history` does. */
  const wholeHistory = async (claim: Claim): Promise<HistoryEvent[]> => {
    const events: HistoryEvent[] = [];
    let before: number | undefined;
    do {
      const page = await w.app.services.claims.historyPage(claim, { size: 50, before });
      events.push(...page.events);
      before = page.next;
    } while (before !== undefined);
    return events.reverse();
  };
  const kinds = (claim: Claim, kind: string): number =>
    claim.history.filter((e) => e.kind === kind).length;

  /** Waits until the claim has no undelivered notification (the dispatcher works in the background). */
  async function settled(number: string): Promise<void> {
    const end = Date.now() + 10_000;
    while (Date.now() < end) {
      if (!(await stored(number)).outbox.some(isOpen)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.fail(`notifications of ${number} still open`);
  }

  before(async () => {
    files = await FileServer.start();
    // Parallel turns on one claim: the emulator's ETags are what this suite is about.
    w = await startTrustWorld({}, { storage: 'emulators' });
    contoso = w.teams.tenant('contoso');
    ada = w.teams.user(contoso, 'Ada Admin', { aadObjectId: w.bootstrapAdmins[0] });
    olivia = w.teams.user(contoso, 'Olivia Owner');
    carl = w.teams.user(contoso, 'Carl Contributor');
    dana = w.teams.user(contoso, 'Dana Contributor');
    group = w.teams.groupChat(contoso, [ada, olivia, carl, dana]);
    await grant(w, ada, group, olivia, 'incentives user');
    // Contributors who edit metrics need the role too (colleagues without it add documents only).
    await grant(w, ada, group, carl, 'incentives user');
    await grant(w, ada, group, dana, 'incentives user');
    await addFund(w, ada);
  });
  after(async () => {
    await w?.stop();
    await files?.stop();
  });

  describe('the same activity id twice has its effect once', () => {
    let number: string;
    before(async () => {
      ({ number } = await createClaim(w, olivia, { Title: 'Retried turns' }));
    });

    it('an invoke (Add comment) retried after its answer', async () => {
      const activity = w.teams.invokeActivity(olivia, olivia.personal, 'comment', {
        claim: number,
        comment: 'said once',
      });
      const first = await w.teams.post(activity);
      const second = await w.teams.post(activity);
      for (const r of [first, second]) {
        assert.equal(r.invokeStatus, 200);
        assert.match(r.text, /said once/);
      }
      const claim = await stored(number);
      assert.equal(claim.history.filter((e) => e.note === 'said once').length, 1);
    });

    it('an invoke (Add metric) retried while the first is still running', async () => {
      const activity = w.teams.invokeActivity(olivia, olivia.personal, 'addMetric', {
        claim: number,
        metricName: 'Leads',
        metricValue: '12',
      });
      const answers = await Promise.all([w.teams.post(activity), w.teams.post(activity)]);
      assert.deepEqual(
        answers.map((r) => r.invokeStatus),
        [200, 200],
      );
      const claim = await stored(number);
      assert.equal(claim.metrics.filter((m) => m.name === 'Leads').length, 1);
      assert.equal(kinds(claim, 'metricAdded'), 1);
    });

    it('a message (request @colleague …) retried: one request, one notification', async () => {
      const seq = w.connector.seq;
      const activity = w.teams.message(
        olivia,
        group,
        `request <at>${carl.name}</at> invoice for ${number} the catering bill`,
      );
      const answers = [await w.teams.post(activity), await w.teams.post(activity)];
      assert.deepEqual(
        answers.map((r) => r.status),
        [200, 200],
      );
      await settled(number);
      const claim = await stored(number);
      assert.equal(claim.uploadRequests.filter((r) => r.to.id === carl.aadObjectId).length, 1);
      assert.equal(kinds(claim, 'uploadRequested'), 1);
      const toCarl = w.connector
        .since(seq, carl.personal.id)
        .filter((r) => r.activity.attachments?.length || r.activity.text);
      assert.equal(toCarl.length, 1, JSON.stringify(toCarl.map((r) => r.op)));
    });

    it('a file message retried: one document', async () => {
      const id = `file-${Date.now()}`;
      const text = `${number} invoice: the venue`;
      const first = await sendFile(w, files, olivia, text, 'venue.pdf', { id });
      assert.match(first.text, /added/i, first.text);
      await sendFile(w, files, olivia, text, 'venue.pdf', { id });
      const claim = await stored(number);
      assert.equal(claim.documents.filter((d) => d.fileName === 'venue.pdf').length, 1);
      assert.equal(kinds(claim, 'documentAdded'), 1);
    });

    it('a double click on Create claim (two activities, one form) creates one claim', async () => {
      const form = await w.teams.send(olivia, olivia.personal, 'new claim');
      const click = press(form.card ?? {}, 'Create claim', { ...CLAIM, Title: 'Double click' });
      const first = await w.teams.invoke(olivia, olivia.personal, click.verb, click.data);
      const second = await w.teams.invoke(olivia, olivia.personal, click.verb, click.data);
      const numbers = [first, second].map((r) => /CLM-\d{4}/.exec(r.text)?.[0]);
      assert.ok(numbers[0]);
      assert.equal(numbers[1], numbers[0]);
      // Two more clicks at the same moment, on a fresh form.
      const again = await w.teams.send(olivia, olivia.personal, 'new claim');
      const both = press(again.card ?? {}, 'Create claim', { ...CLAIM, Title: 'Twin click' });
      const twins = await Promise.all([
        w.teams.invoke(olivia, olivia.personal, both.verb, both.data),
        w.teams.invoke(olivia, olivia.personal, both.verb, both.data),
      ]);
      const twinNumbers = twins.map((r) => /CLM-\d{4}/.exec(r.text)?.[0]);
      assert.ok(twinNumbers[0]);
      assert.equal(twinNumbers[1], twinNumbers[0]);
      const page = await w.app.services.claims.list(contoso.id, { kind: 'tenant' }, { size: 50 });
      assert.equal(page.items.filter((c) => c.title === 'Double click').length, 1);
      assert.equal(page.items.filter((c) => c.title === 'Twin click').length, 1);
    });
  });

  describe('50 parallel changes to one claim', () => {
    it('keeps all 50, with a complete history in order and no lost update', async () => {
      const { number } = await createClaim(w, olivia, { Title: 'Busy claim' });
      await requestUploadFrom(w, olivia, group, carl, number);
      await requestUploadFrom(w, olivia, group, dana, number);
      await settled(number);
      const beforeHistory = await wholeHistory(await stored(number));
      const people = [olivia, carl, dana, ada];
      const changes = Array.from({ length: 50 }, (_, i) => {
        const user = people[i % people.length];
        return i % 2 === 0
          ? w.teams.invoke(user, user.personal, 'addMetric', {
              claim: number,
              metricName: `Metric ${i}`,
              metricValue: String(i),
            })
          : w.teams.invoke(user, user.personal, 'comment', {
              claim: number,
              comment: `Comment ${i}`,
            });
      });
      const answers = await Promise.all(changes);
      const refused = answers
        .map((r, i) => `${i}: ${r.status}/${r.invokeStatus} ${/Sorry|try again/.test(r.text)}`)
        .filter((a) => !a.endsWith('200/200 false'));
      assert.deepEqual(refused, [], 'every change answered with the claim card');

      const claim = await stored(number);
      // The whole history, oldest first: the claim keeps its newest events, the rest are items.
      const history = await wholeHistory(claim);
      const metrics = claim.metrics.map((m) => m.name).sort();
      const expected = Array.from({ length: 25 }, (_, k) => `Metric ${k * 2}`).sort();
      assert.deepEqual(metrics, expected);
      assert.equal(new Set(claim.metrics.map((m) => m.id)).size, 25, 'metric ids are unique');
      const comments = history.filter((e) => e.kind === 'commented').map((e) => e.note);
      assert.deepEqual(
        comments.sort(),
        Array.from({ length: 25 }, (_, k) => `Comment ${k * 2 + 1}`).sort(),
      );
      assert.equal(history.length, beforeHistory.length + 50);
      assert.deepEqual(
        history.map((e) => e.seq),
        Array.from({ length: history.length }, (_, k) => k + 1),
        'history: one event per change, numbered in order',
      );
      assert.deepEqual(history.slice(0, beforeHistory.length), beforeHistory);
      for (const [i, r] of answers.entries()) {
        const who = people[i % people.length];
        const event = history.find(
          (e) => e.note === `Comment ${i}` || e.item === `Metric ${i}: ${i}`,
        );
        assert.equal(event?.by.id, who.aadObjectId, `change ${i} is recorded as ${who.name}'s`);
        assert.equal(r.status, 200);
      }
    });
  });
});
