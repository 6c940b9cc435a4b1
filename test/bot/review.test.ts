import assert from 'node:assert/strict';
import {
  Card,
  Chat,
  TeamsUser,
  Tenant,
  TurnResult,
  buttonTitles,
  cardText,
  factValue,
} from '../support/teams';
import {
  ConfiguredWorld,
  pdfBytes,
  pressIn,
  recordedCard,
  recordedText,
  sendFiles,
  listedDocument,
  shownDocument,
  startWorldWith,
} from './fileKit';
import { sleep } from '../notify/helpers';
import { FileServer } from './fileServer';
import {
  NOT_ALLOWED,
  assertButtons,
  feedbackShown,
  forbiddenIn,
  fund,
  fundTotals,
  invokeRefused,
  notified,
  storedClaim,
} from './reviewKit';
import { addFund, assertNotFound, createClaim, essence, grant, seedReady } from './world';

describe('bot: the review loop for owner, contributor, reviewer and admin (issue 5)', () => {
  let w: ConfiguredWorld;
  let drive: FileServer;
  let tenant: Tenant;
  let otherTenant: Tenant;
  let admin: TeamsUser;
  let olga: TeamsUser;
  let carl: TeamsUser;
  let ian: TeamsUser;
  let rita: TeamsUser;
  let rhea: TeamsUser;
  let otto: TeamsUser;
  let group: Chat;
  /** The claim that goes all the way round; B is rejected, C approved in full. */
  let A: string;
  let B: string;
  let C: string;
  /** Cards users saw earlier, pressed again later (replays). */
  let ownerEditingCard: TurnResult;
  let ritaSubmittedCard: TurnResult;
  let ritaUnderReviewCard: TurnResult;
  /** Where the connector stood just before A was approved. */
  let approvedSince = 0;

  const stored = (n: string) => storedClaim(w, tenant.id, n);
  /**
   * A message in the user's 1:1 chat, once notifications still on their way have arrived: the answer
   * is then the last card of the turn, not a notification that happened to land during it.
   */
  const say = async (u: TeamsUser, text: string): Promise<TurnResult> => {
    await w.app.notifications.idle();
    return w.teams.send(u, u.personal, text);
  };
  const open = (u: TeamsUser, n = A) => say(u, `claim ${n}`);
  const refresh = (u: TeamsUser, n = A) =>
    w.teams.invoke(u, u.personal, 'refreshClaim', { claim: n });
  const totals = () => fundTotals(w, ian);
  const assertFeedback = (u: TeamsUser, file: string, who: string, text: string) =>
    feedbackShown(w, A, u, file, who, text);

  before(async () => {
    drive = await FileServer.start();
    w = await startWorldWith({ ALLOWED_DOWNLOAD_HOSTS: '127.0.0.1' }, { bootstrapAdmins: 2 });
    tenant = w.teams.tenant('contoso');
    otherTenant = w.teams.tenant('fabrikam');
    admin = w.teams.user(tenant, 'Ada Admin', { aadObjectId: w.bootstrapAdmins[0] });
    olga = w.teams.user(tenant, 'Olga Owner');
    carl = w.teams.user(tenant, 'Carl Contributor');
    ian = w.teams.user(tenant, 'Ian Incentives');
    rita = w.teams.user(tenant, 'Rita Reviewer');
    rhea = w.teams.user(tenant, 'Rhea Reviewer');
    otto = w.teams.user(otherTenant, 'Otto Other', { aadObjectId: w.bootstrapAdmins[1] });
    group = w.teams.groupChat(tenant, [admin, olga, carl, ian, rita, rhea]);
    await grant(w, admin, group, olga, 'incentives user');
    await grant(w, admin, group, ian, 'incentives admin');
    await grant(w, admin, group, rita, 'reviewer');
    await grant(w, admin, group, rhea, 'reviewer');
    await addFund(w, ian, { 'Allocated amount': '10,000.00' });
  });
  after(async () => {
    // Notifications may still be on their way (behind rate-limited card updates), and stop()
    // waits for them: let them finish first, bounded.
    await Promise.race([w?.app.notifications.idle(), sleep(15_000)]);
    await w?.stop();
    await drive?.stop();
  });

  it('the owner builds a claim that meets the core requirements and asks a colleague for proof', async () => {
    ({ number: A } = await createClaim(w, olga, { Title: 'Partner summit', Amount: '2,000.00' }));
    const asked = await w.teams.send(
      olga,
      olga.personal,
      `request <at>Carl Contributor</at> poe for ${A} Photos of the sessions please`,
    );
    assert.match(asked.text, /Asked Carl Contributor/);
    for (const [text, name] of [
      [`${A} invoice: venue and catering`, 'invoice.pdf'],
      [`${A} poe: screenshots of both sessions`, 'screenshots.pdf'],
    ]) {
      const url = drive.serve(name, pdfBytes(10_000));
      const r = await sendFiles(w.teams, olga, olga.personal, text, [{ name, url }]);
      assert.match(r.text, new RegExp(`Added ${name.replace('.', '\\.')}`));
    }
    const metric = await w.teams.click(olga, olga.personal, await open(olga), 'Add metric', {
      Metric: 'Attendees',
      Value: '120',
    });
    assert.equal(factValue(metric.card, 'Attendees'), '120');

    ownerEditingCard = await open(olga);
    assertButtons(ownerEditingCard, ['Submit claim', 'Add document', 'Add metric'], ['Approve']);
    const card = ownerEditingCard.card as Card;
    assert.equal(card.refresh?.action?.verb, 'refreshClaim');
    assert.deepEqual(card.refresh?.action?.data, { claim: A });
    assert.deepEqual([...card.refresh.userIds].sort(), [olga.id, carl.id].sort());
  });

  it('the colleague asked to upload (no role) sends a PoE file; their card offers Add document, not Submit claim', async () => {
    const poe = await sendFiles(w.teams, carl, carl.personal, `${A} poe: photos of the sessions`, [
      { name: 'photos.pdf', url: drive.serve('photos.pdf', pdfBytes(30_000)) },
    ]);
    assert.match(poe.text, /Added photos\.pdf/);
    assert.ok(shownDocument(poe.card, 'photos.pdf'));
    const listed = await listedDocument(w.teams, carl, carl.personal, A, 'photos.pdf');
    assert.equal(listed.uploaded, 'Carl Contributor, 29.3 KB');
    assert.equal((await stored(A)).uploadRequests[0]?.fulfilledAt !== undefined, true);
    assertButtons(await refresh(carl), ['Add document'], ['Submit claim', 'Approve']);
  });

  it('before the submit: the contributor may not submit, and reviewers do not see the claim', async () => {
    const before = essence(await stored(A));
    await invokeRefused(w, carl, 'submit', { claim: A }, NOT_ALLOWED);
    assertNotFound(await open(rita), A);
    await invokeRefused(
      w,
      rita,
      'startReview',
      { claim: A },
      new RegExp(`Claim ${A} was not found`),
    );
    assert.deepEqual(essence(await stored(A)), before);
  });

  it('the owner submits: Submitted, and each reviewer gets a card in their 1:1 chat', async () => {
    const since = w.connector.seq;
    const r = await w.teams.click(olga, olga.personal, await open(olga), 'Submit claim');
    assert.match(r.text, /Submitted\. Reviewers have been told\./);
    assert.equal(factValue(r.card, 'Status'), 'Submitted');
    assert.equal((await stored(A)).status, 'submitted');
    for (const reviewer of [rita, rhea]) {
      const card = await notified(
        w,
        reviewer,
        since,
        'Claim submitted',
        'Olga Owner submitted a claim for review',
      );
      assert.match(recordedText(card), new RegExp(A));
      assert.match(recordedText(card), /Open claim/);
    }
    assertButtons(await refresh(carl), [], ['Submit claim', 'Add document']);
  });

  it('Start review: Under review, with the reviewer recorded and added to the refresh list', async () => {
    ({ number: B } = await createClaim(w, olga, { Title: 'Spring ads', Amount: '1,000.00' }));
    ({ number: C } = await createClaim(w, olga, { Title: 'Training day', Amount: '500.00' }));
    for (const n of [B, C]) {
      await seedReady(w, olga, n);
      const s = await w.teams.invoke(olga, olga.personal, 'submit', { claim: n });
      assert.match(s.text, /Submitted\./, `${n}: ${s.text}`);
    }
    const queue = await say(rita, 'review');
    ritaSubmittedCard = await w.teams.click(rita, rita.personal, queue, 'Open', {}, A);
    // Start review is offered (to tell the others), but a decision does not wait for it.
    assertButtons(ritaSubmittedCard, ['Start review', 'Approve', 'Reject'], ['Submit claim']);
    ritaUnderReviewCard = await w.teams.click(
      rita,
      rita.personal,
      ritaSubmittedCard,
      'Start review',
    );
    assert.equal(factValue(ritaUnderReviewCard.card, 'Status'), 'Under review');
    const claim = await stored(A);
    assert.equal(claim.status, 'underReview');
    assert.equal(claim.reviewer?.id, rita.aadObjectId);
    assert.equal(claim.history.at(-1)?.kind, 'reviewStarted');
    assert.equal(claim.history.at(-1)?.by.id, rita.aadObjectId);
    const ids = (ritaUnderReviewCard.card as Card).refresh.userIds as string[];
    assert.deepEqual([...ids].sort(), [olga.id, carl.id, rita.id].sort());
  });

  it('review lists the waiting claims: Submitted first, oldest first', async () => {
    const queue = await say(rhea, 'review');
    const listed = [...cardText(queue.card).matchAll(/^(CLM-\d{4}) $/gm)].map((m) => m[1]);
    assert.deepEqual(listed, [B, C, A], 'submitted B and C (oldest first), then A under review');
  });

  it('refresh returns each viewer their own card while Under review', async () => {
    const decide = ['Approve', 'Reject', 'Request information', 'Comment on item'];
    assertButtons(await refresh(rita), decide, ['Start review', 'Submit claim', 'Add document']);
    assertButtons(await refresh(rhea), ['Approve', 'Reject'], ['Submit claim']);
    assertButtons(await refresh(olga), ['Comment'], [...decide, 'Submit claim', 'Add document']);
    assertButtons(await refresh(carl), [], [...decide, 'Submit claim', 'Add document']);
    assertNotFound(await refresh(otto), A);
  });

  it('posted claim cards are updated in place, in each viewer’s view, after a decision', async () => {
    const posted = await open(olga, C);
    assert.equal(factValue(posted.card, 'Status'), 'Submitted');
    const postedId = posted.cardActivityId;
    assert.ok(postedId);
    const since = w.connector.seq;
    await w.teams.click(rita, rita.personal, await open(rita, C), 'Approve', {});
    const update = await w.connector.waitFor(
      (r) =>
        r.seq > since &&
        r.op === 'update' &&
        r.conversationId === olga.personal.id &&
        r.activityId === postedId &&
        factValue(recordedCard(r), 'Status') === 'Approved',
      15_000,
    );
    const updates = w.connector
      .since(since)
      .filter((r) => r.op === 'update')
      .map((r) => `${r.conversationId}/${r.activityId}: ${factValue(recordedCard(r), 'Status')}`);
    assert.ok(update, `the owner's card was not updated to Approved (updates: ${updates})`);
    const card = recordedCard(update);
    assert.equal(factValue(card, 'Approved'), '$500.00');
    assert.equal(buttonTitles(card ?? {}).includes('Approve'), false, 'the owner’s view');
    assert.equal(w.connector.latest(olga.personal.id, postedId)?.op, 'update');
    assert.deepEqual(await totals(), fund('$10,000.00', '$500.00', '$3,000.00', '$6,500.00'));
  });

  it('refuses every forbidden transition and role, naming the status or saying not allowed / not found, and changes nothing', async () => {
    const before = { a: essence(await stored(A)), b: essence(await stored(B)) };
    const notFound = (n: string) => new RegExp(`Claim ${n} was not found`);
    const metric = { metricName: 'Clicks', metricValue: '9' };
    const cases: [TeamsUser, string, Record<string, string>, RegExp][] = [
      // wrong role
      [olga, 'approve', { claim: A, approvedAmount: '2,000.00' }, NOT_ALLOWED],
      [olga, 'reject', { claim: A, reason: 'no' }, NOT_ALLOWED],
      [olga, 'startReview', { claim: A }, NOT_ALLOWED],
      [carl, 'submit', { claim: A }, NOT_ALLOWED],
      [carl, 'approve', { claim: A, approvedAmount: '1.00' }, NOT_ALLOWED],
      [rita, 'addMetric', { claim: A, ...metric }, NOT_ALLOWED],
      [rita, 'dispute', { claim: A, reason: 'mine' }, NOT_ALLOWED],
      // wrong status
      [olga, 'addMetric', { claim: A, ...metric }, forbiddenIn('Under review')],
      [olga, 'submit', { claim: A }, forbiddenIn('Under review')],
      [rita, 'startReview', { claim: A }, forbiddenIn('Under review')],
      [ian, 'dispute', { claim: A, reason: 'early' }, forbiddenIn('Under review')],
      // bad amounts and forged data
      [
        rita,
        'approve',
        { claim: A, approvedAmount: '2,500.00' },
        /cannot be more than the reimbursable amount/,
      ],
      [rita, 'reject', { claim: A }, /Please check what you entered/],
      [carl, 'addMetric', { claim: B, ...metric }, notFound(B)],
      [olga, 'approve', { claim: B, approvedAmount: '1,000.00' }, NOT_ALLOWED],
      [rita, 'approve', { claim: 'CLM-0999', approvedAmount: '1.00' }, notFound('CLM-0999')],
      [
        rita,
        'requestInformation',
        { claim: A, note: 'see item', infoItem: `seed-poe-${B}`, infoFeedback: 'wrong claim' },
        /Document is not valid/,
      ],
      [rita, 'commentOnItem', { claim: A, item: `seed-poe-${B}`, feedback: 'x' }, /not valid/],
      // other tenant
      [otto, 'approve', { claim: A, approvedAmount: '2,000.00' }, notFound(A)],
      [otto, 'startReview', { claim: A }, notFound(A)],
    ];
    for (const [u, verb, data, expected] of cases) await invokeRefused(w, u, verb, data, expected);
    assertNotFound(await open(otto), A);

    // Old cards pressed again after the status changed.
    const replays: [TeamsUser, TurnResult, string, Record<string, string>][] = [
      [olga, ownerEditingCard, 'Submit claim', {}],
      [olga, ownerEditingCard, 'Add metric', { Metric: 'Clicks', Value: '9' }],
      [rita, ritaSubmittedCard, 'Start review', {}],
    ];
    for (const [u, card, title, inputs] of replays) {
      const r = await w.teams.click(u, u.personal, card, title, inputs);
      assert.match(r.text, forbiddenIn('Under review'), `replayed ${title}`);
      assert.equal(factValue(r.card, 'Status'), 'Under review');
    }
    assert.deepEqual(essence(await stored(A)), before.a);
    assert.deepEqual(essence(await stored(B)), before.b);
  });

  it('Request information with feedback on the PoE: Action required, owner and contributor told, feedback next to the PoE', async () => {
    const since = w.connector.seq;
    const r = await w.teams.click(rita, rita.personal, ritaUnderReviewCard, 'Request information', {
      Note: 'Please add the attendee list',
      Document: 'screenshots.pdf (Proof of execution)',
      Feedback: 'The screenshots do not show the date',
    });
    assert.equal(factValue(r.card, 'Status'), 'Action required');
    const claim = await stored(A);
    assert.equal(claim.status, 'actionRequired');
    const event = claim.history.at(-1);
    assert.equal(event?.kind, 'informationRequested');
    assert.match(event?.item ?? '', /^screenshots\.pdf\b/, 'the event names the item');
    assert.equal(event?.note, 'Please add the attendee list');
    for (const u of [olga, carl]) {
      const told = await notified(
        w,
        u,
        since,
        'Information requested',
        'Rita Reviewer needs more information',
      );
      assert.match(recordedText(told), /Please add the attendee list/);
      assert.match(recordedText(told), /About: screenshots\\?\.pdf/);
    }
    await assertFeedback(
      olga,
      'screenshots.pdf',
      'Rita Reviewer',
      'The screenshots do not show the date',
    );
    const invoice = await listedDocument(w.teams, olga, olga.personal, A, 'invoice.pdf');
    assert.deepEqual(invoice.feedback, []);
  });

  it('in Action required the claim is editable again, and each viewer gets their buttons', async () => {
    assertButtons(await refresh(olga), ['Submit claim', 'Add document', 'Add metric'], ['Approve']);
    assertButtons(await refresh(carl), ['Add document'], ['Submit claim', 'Approve']);
    assertButtons(await refresh(rita), ['Comment'], ['Approve', 'Add document', 'Submit claim']);
    const r = await w.teams.invoke(olga, olga.personal, 'addMetric', {
      claim: A,
      metricName: 'Leads',
      metricValue: '35',
    });
    assert.equal(factValue(r.card, 'Leads'), '35');
    assert.equal((await stored(A)).metrics.length, 2);
    await invokeRefused(
      w,
      rita,
      'addMetric',
      { claim: A, metricName: 'X', metricValue: '1' },
      NOT_ALLOWED,
    );
  });

  it('a card a button was pressed on is answered by the invoke, not updated again; other posted cards are', async () => {
    // A claim of its own in Ian's chat, where no earlier card update is under way.
    const { number: D } = await createClaim(w, ian, { Title: 'Card update check' });
    const pressed = await open(ian, D);
    const other = await open(ian, D);
    assert.ok(pressed.cardActivityId && other.cardActivityId);
    const since = w.connector.seq;
    const r = await w.teams.click(ian, ian.personal, pressed, 'Comment', {
      Comment: 'First note',
    });
    assert.match(cardText(r.card), /First note/);
    const updateOf = (id: string | undefined, text: RegExp) =>
      w.connector.waitFor(
        (x) =>
          x.seq > since &&
          x.op === 'update' &&
          x.activityId === id &&
          text.test(cardText(recordedCard(x))),
        15_000,
      );
    assert.ok(await updateOf(other.cardActivityId, /First note/), 'the other card was updated');
    // A change made elsewhere updates every posted card; wait for it on the pressed one.
    await w.teams.invoke(admin, admin.personal, 'comment', { claim: D, comment: 'Second note' });
    assert.ok(await updateOf(pressed.cardActivityId, /Second note/), 'the pressed card is updated');
    const redundant = w.connector.since(since).filter((x) => {
      const text = cardText(recordedCard(x));
      return (
        x.op === 'update' &&
        x.activityId === pressed.cardActivityId &&
        /First note/.test(text) &&
        !/Second note/.test(text)
      );
    });
    assert.equal(
      redundant.length,
      0,
      'the card the invoke answered was updated with its own change',
    );
  });

  it('resubmit runs the core-requirements check again', async () => {
    const list = await sendFiles(w.teams, olga, olga.personal, `${A} other`, [
      { name: 'attendees.pdf', url: drive.serve('attendees.pdf', pdfBytes(4000)) },
    ]);
    assert.match(list.text, /Added attendees\.pdf/);
    const refused = await w.teams.invoke(olga, olga.personal, 'submit', { claim: A });
    assert.match(refused.text, /Before you can submit, this is missing:/);
    assert.match(refused.text, /An explanation for the document "attendees\.pdf"/);
    assert.equal((await stored(A)).status, 'actionRequired');

    const { verb, data } = pressIn(
      (await refresh(olga)).card,
      'Manage documents',
      'Save explanation',
      {
        Document: 'attendees.pdf (Other)',
        'New explanation': 'Attendee list from the registration tool',
      },
    );
    const saved = await w.teams.invoke(olga, olga.personal, verb, data);
    assert.ok(shownDocument(saved.card, 'attendees.pdf'));
    assert.equal(
      (await listedDocument(w.teams, olga, olga.personal, A, 'attendees.pdf')).explanation,
      'Attendee list from the registration tool',
    );
    const since = w.connector.seq;
    const ok = await w.teams.click(olga, olga.personal, await open(olga), 'Submit claim');
    assert.match(ok.text, /Submitted\. Reviewers have been told\./);
    assert.equal((await stored(A)).status, 'submitted');
    await notified(w, rita, since, 'Claim submitted', 'Olga Owner submitted a claim for review');
  });

  it('Comment on item: feedback on one document, no status change, a history event naming it', async () => {
    const since = w.connector.seq;
    const r = await w.teams.click(rita, rita.personal, await open(rita), 'Comment on item', {
      Document: 'invoice.pdf (Invoice)',
      Feedback: 'Invoice date matches the event',
    });
    assert.equal(factValue(r.card, 'Status'), 'Submitted');
    const claim = await stored(A);
    assert.equal(claim.status, 'submitted');
    const event = claim.history.at(-1);
    assert.equal(event?.kind, 'itemFeedback');
    assert.match(event?.item ?? '', /^invoice\.pdf\b/, 'the event names the item');
    assert.equal(event?.note, 'Invoice date matches the event');
    await assertFeedback(rita, 'invoice.pdf', 'Rita Reviewer', 'Invoice date matches the event');
    await notified(
      w,
      olga,
      since,
      'Feedback on a document',
      'Rita Reviewer gave feedback on a document',
    );
  });

  it('Approve with a lower amount: Approved, the difference freed in the fund totals', async () => {
    assert.deepEqual(await totals(), fund('$10,000.00', '$500.00', '$3,000.00', '$6,500.00'));
    const detail = await open(rita);
    ritaUnderReviewCard = await w.teams.click(rita, rita.personal, detail, 'Start review');
    approvedSince = w.connector.seq;
    const r = await w.teams.click(rita, rita.personal, ritaUnderReviewCard, 'Approve', {
      'Approved amount': '1,500.00',
      'Reason for approving less': 'Part of the cost is not eligible.',
      Note: 'Venue cost capped',
    });
    assert.equal(factValue(r.card, 'Status'), 'Approved');
    assert.equal(factValue(r.card, 'Approved'), '$1,500.00');
    const claim = await stored(A);
    assert.equal(claim.status, 'approved');
    assert.deepEqual(claim.approvedAmount, { minor: 150000, currency: 'USD' });
    assert.deepEqual(await totals(), fund('$10,000.00', '$2,000.00', '$1,000.00', '$7,000.00'));
    const overview = await say(olga, 'claims');
    assert.match(
      cardText(overview.card),
      /^Approved · \$2,000\.00 · Approved amount \$1,500\.00$/m,
    );
    assert.equal(factValue(overview.card, 'Remaining'), '$7,000.00 · 70%');
  });

  it('the owner and the contributor are told of the approval; the contributor’s access ends', async () => {
    for (const u of [olga, carl]) {
      const told = await notified(
        w,
        u,
        approvedSince,
        'Claim approved',
        'Rita Reviewer approved the claim',
      );
      assert.match(recordedText(told), new RegExp(`^${A} $`, 'm'));
      assert.match(recordedText(told), /Approved amount: \$1,500\.00/);
      assert.match(recordedText(told), /Venue cost capped/);
    }
    assertNotFound(await open(carl), A);
  });

  it('Reject with a reason: Rejected, the fund no longer counts it, the owner is told', async () => {
    const since = w.connector.seq;
    const opened = await open(rhea, B);
    const noReason = await w.teams.click(rhea, rhea.personal, opened, 'Reject', { Reason: '' });
    assert.match(noReason.text, /Please check what you entered/);
    assert.equal((await stored(B)).status, 'submitted', 'a refused decision starts no review');
    const r = await w.teams.click(rhea, rhea.personal, opened, 'Reject', {
      Reason: 'No proof of the event date',
    });
    assert.equal(factValue(r.card, 'Status'), 'Rejected');
    const claim = await stored(B);
    assert.equal(claim.status, 'rejected');
    assert.equal(claim.decisionNote, 'No proof of the event date');
    assert.equal(claim.history.at(-1)?.kind, 'rejected');
    assert.deepEqual(await totals(), fund('$10,000.00', '$2,000.00', '$0.00', '$8,000.00'));
    const told = await notified(
      w,
      olga,
      since,
      'Claim rejected',
      'Rhea Reviewer rejected the claim',
    );
    assert.match(recordedText(told), /No proof of the event date/);
  });

  it('an incentives admin disputes an approval (owner and reviewer may not); the reviewer is told and decides', async () => {
    await invokeRefused(w, olga, 'dispute', { claim: A, reason: 'more' }, NOT_ALLOWED);
    await invokeRefused(w, rita, 'dispute', { claim: A, reason: 'more' }, NOT_ALLOWED);
    assert.equal((await stored(A)).status, 'approved');
    const since = w.connector.seq;
    const disputed = await w.teams.click(ian, ian.personal, await open(ian), 'Dispute', {
      Reason: 'The venue cost was pre-approved',
    });
    assert.equal(factValue(disputed.card, 'Status'), 'Disputed');
    assert.equal((await stored(A)).history.at(-1)?.kind, 'disputed');
    const told = await notified(
      w,
      rita,
      since,
      'Decision disputed',
      'Ian Incentives disputed the decision',
    );
    assert.match(recordedText(told), /The venue cost was pre-approved/);
    assert.deepEqual(await totals(), fund('$10,000.00', '$500.00', '$2,000.00', '$7,500.00'));

    const detail = await open(rita);
    assertButtons(detail, ['Approve', 'Reject', 'Request information'], ['Dispute']);
    const decided = await w.teams.click(rita, rita.personal, detail, 'Approve', {
      'Approved amount': '2,000.00',
    });
    assert.equal(factValue(decided.card, 'Status'), 'Approved');
    assert.equal(factValue(decided.card, 'Approved'), '$2,000.00');
    assert.deepEqual(await totals(), fund('$10,000.00', '$2,500.00', '$0.00', '$7,500.00'));

    // The Under review card from before, pressed again after the decision.
    const replay = await w.teams.click(rita, rita.personal, ritaUnderReviewCard, 'Approve', {
      'Approved amount': '1.00',
    });
    assert.match(replay.text, forbiddenIn('Approved'));
    assert.deepEqual((await stored(A)).approvedAmount, { minor: 200000, currency: 'USD' });
  });

  it('a disputed rejection counts as pending again until a reviewer decides it', async () => {
    const disputed = await w.teams.click(ian, ian.personal, await open(ian, B), 'Dispute', {
      Reason: 'The date is on page 2',
    });
    assert.equal(factValue(disputed.card, 'Status'), 'Disputed');
    assert.deepEqual(await totals(), fund('$10,000.00', '$2,500.00', '$1,000.00', '$6,500.00'));
    const r = await w.teams.click(rhea, rhea.personal, await open(rhea, B), 'Approve', {
      'Approved amount': '800.00',
      'Reason for approving less': 'Part of the cost is not eligible.',
    });
    assert.equal(factValue(r.card, 'Status'), 'Approved');
    assert.deepEqual(await totals(), fund('$10,000.00', '$3,300.00', '$0.00', '$6,700.00'));
  });

  it('keeps every step of the loop in the claim history, in order', async () => {
    const review = new Set([
      'submitted',
      'reviewStarted',
      'informationRequested',
      'itemFeedback',
      'approved',
      'rejected',
      'disputed',
    ]);
    const kinds = (await stored(A)).history.map((e) => e.kind).filter((k) => review.has(k));
    assert.deepEqual(kinds, [
      'submitted',
      'reviewStarted',
      'informationRequested',
      'submitted',
      'itemFeedback',
      'reviewStarted',
      'approved',
      'disputed',
      'approved',
    ]);
  });
});
