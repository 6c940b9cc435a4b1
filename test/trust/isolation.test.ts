import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Claim } from '../../src/domain/claim';
import { isOpen } from '../../src/domain/notification';
import { verbHandlers } from '../../src/bot/verbs';
import { Card, Chat, TeamsUser, Tenant, TurnResult, actions, press } from '../support/teams';
import { CLAIM, World, addFund, createClaim, day, grant } from '../bot/world';
import {
  FileServer,
  everythingIn,
  makeSubmittable,
  requestUploadFrom,
  sendFile,
  snapshot,
  startTrustWorld,
  submitClaim,
} from './kit';

/** What a user changes on a claim: everything but the posted-card list and the delivery outbox. */
function core(claim: Claim | undefined): unknown {
  if (!claim) return undefined;
  const kept = Object.entries(claim).filter(([k]) => k !== 'postedCards' && k !== 'outbox');
  return snapshot(Object.fromEntries(kept));
}

/** Every card verb the bot handles. */
const VERBS = verbHandlers().map((h) => h.verb);
type Verb = string;

/** Verbs of fund requests: they name a request, never a claim. */
const REQUEST_VERBS: readonly Verb[] = [
  'newFundRequestForm',
  'createFundRequest',
  'openFundRequest',
  'approveRequest',
  'declineRequest',
  'claimFromRequest',
  'withdrawRequest',
];

/** Verbs that name a claim in their data: other people's claims must be "not found" for them. */
const CLAIM_VERBS: readonly Verb[] = VERBS.filter(
  (v) =>
    ![
      'claimsPage',
      'reviewPage',
      'nextClaim',
      'newClaimForm',
      'createClaim',
      'addFund',
      'completeUpload',
      'savePolicy',
      'insightsPage',
      ...REQUEST_VERBS,
    ].includes(v),
);

describe('trust: hostile users against other people’s claims', function () {
  this.timeout(120_000);
  let w: World;
  let files: FileServer;
  let contoso: Tenant;
  let fabrikam: Tenant;
  let ada: TeamsUser;
  let olivia: TeamsUser;
  let bob: TeamsUser;
  let carl: TeamsUser;
  let rita: TeamsUser;
  let nora: TeamsUser;
  let fay: TeamsUser;
  let zed: TeamsUser;
  let group: Chat;
  /** Olivia's claim in Editing: visible to her and admins only. */
  let secret: string;
  /** Olivia's submitted claim: reviewers see it. */
  let submitted: string;
  /** Bob's claim; Carl was asked to contribute. */
  let decoy: string;
  /** Olivia's New claim form, as she filled it in: replayed by others. */
  let oliviaForm: { verb: string; data: Record<string, unknown> };
  let secretCard: Card;
  let documentId: string;
  /** The duplicate invoice key of the secret claim's document (its file). */
  let invoiceKey: string;
  /** Olivia's approved fund request, with a secret activity and amount. */
  let secretRequest: string;
  let contosoFundId: string;

  const SECRET_WORDS = ['Zanzibar', 'Confidential agenda', 'Secret leads'];
  const SECRET_AMOUNT = '7,777.77';

  const stored = (number: string, tenant = contoso): Promise<Claim | undefined> =>
    w.app.services.claims.get(tenant.id, number);

  /** Traces of the secret claim in anything the turn produced (cards, texts, error messages). */
  function leaks(r: TurnResult, what: string): string[] {
    const everything = everythingIn(r, [olivia]);
    const found = SECRET_WORDS.filter((word) => everything.includes(word));
    if (r.text.includes(SECRET_AMOUNT)) found.push(SECRET_AMOUNT);
    const problems = found.map((x) => `${what}: "${x}" leaked`);
    if (r.status >= 500) problems.push(`${what}: HTTP ${r.status}`);
    if (r.invokeStatus !== undefined && r.invokeStatus !== 200) {
      problems.push(`${what}: invoke status ${r.invokeStatus}`);
    }
    return problems;
  }

  /** Valid inputs for each verb: what would change the claim if the user were allowed to. */
  function validInputs(verb: Verb, user: TeamsUser): Record<string, unknown> {
    const inputs: Record<Verb, Record<string, unknown> | undefined> = {
      openClaim: {},
      refreshClaim: {},
      claimsPage: {},
      insightsPage: {},
      reviewPage: {},
      nextClaim: {},
      newClaimForm: {},
      // A copy of Olivia's form with a fresh form id (the same form id: see the test below).
      createClaim: { ...oliviaForm.data, formId: randomUUID() },
      history: {},
      requestUpload: {
        colleagues: user.aadObjectId,
        requestTypes: 'invoice,poe',
        requestNote: 'let me in',
      },
      addFund: {
        formId: randomUUID(),
        fundName: 'Hostile fund',
        allocated: '1.00',
        currency: 'USD',
        periodStart: day(-1),
        periodEnd: day(1),
      },
      addMetric: { metricName: 'Hostile metric', metricValue: '1' },
      editInformation: {
        title: 'Hijacked',
        activityType: 'webinar',
        activityStart: day(-20),
        activityEnd: day(-10),
        amount: '1.00',
        description: 'hijacked',
        additionalInfo: 'hijacked',
      },
      comment: { comment: 'hostile comment' },
      submit: {},
      startUpload: { documentType: 'invoice', explanation: 'hostile' },
      completeUpload: { documentType: 'invoice', explanation: 'hostile' },
      startReplace: { document: documentId, newExplanation: 'hostile' },
      editExplanation: { document: documentId, newExplanation: 'hijacked' },
      removeDocument: { document: documentId },
      startReview: {},
      recordPayment: { paymentDate: day(0), paymentReference: 'PAY-HOSTILE' },
      approve: { approvedAmount: SECRET_AMOUNT, note: 'ok' },
      reject: { reason: 'no' },
      requestInformation: { note: 'more', infoItem: documentId, infoFeedback: 'x' },
      commentOnItem: { item: documentId, feedback: 'hostile feedback' },
      dispute: { reason: 'hostile dispute' },
      openDocument: { document: documentId },
      documentsPage: { page: 0 },
      documentDetails: { document: documentId, page: 0 },
      cancelUploadRequest: { request: 'r1-0' },
      newFundRequestForm: {},
      createFundRequest: {
        formId: randomUUID(),
        activity: 'Hostile request',
        activityType: 'event',
        plannedStart: day(10),
        plannedEnd: day(11),
        plannedAmount: '1.00',
        fundId: contosoFundId,
      },
      openFundRequest: { request: secretRequest },
      approveRequest: { request: secretRequest },
      declineRequest: { request: secretRequest, reason: 'hostile decline' },
      claimFromRequest: { request: secretRequest },
      withdrawRequest: { request: secretRequest, reason: 'hostile withdrawal' },
      requestExtension: { extensionReason: 'hostile extension' },
      grantExtension: { extendTo: day(300) },
      declineExtension: { extensionNote: 'hostile decline' },
      savePolicy: { secondAboveUSD: '1.00', reviewWithinDays: '1' },
      markNotDuplicate: { invoiceKey },
    };
    // A new verb is pressed here too: it needs its inputs above.
    return inputs[verb] ?? assert.fail(`no valid inputs for the verb ${verb}`);
  }

  /** Fields a forger adds: identities, roles, statuses and amounts that must all be ignored. */
  const forged = (): Record<string, unknown> => ({
    tenantId: contoso.id,
    userId: olivia.aadObjectId,
    aadObjectId: olivia.aadObjectId,
    from: { id: olivia.id, aadObjectId: olivia.aadObjectId },
    owner: { id: olivia.aadObjectId, name: olivia.name },
    roles: ['globalAdmin', 'incentivesAdmin', 'reviewer'],
    role: 'globalAdmin',
    isAdmin: true,
    status: 'underReview',
    approvedAmount: SECRET_AMOUNT,
    number: secret,
    id: secret,
    seq: 1,
  });

  /** The action data on Olivia's own card for a verb (what a replayed click carries). */
  function replayed(verb: Verb): Record<string, unknown> | undefined {
    const hit = actions(secretCard).find(
      (a) => a.action.type === 'Action.Execute' && a.action.verb === verb,
    );
    return hit ? { ...(hit.action.data as Record<string, unknown>) } : undefined;
  }

  before(async () => {
    files = await FileServer.start();
    w = await startTrustWorld({}, { bootstrapAdmins: 2 });
    contoso = w.teams.tenant('contoso');
    fabrikam = w.teams.tenant('fabrikam');
    ada = w.teams.user(contoso, 'Ada Admin', { aadObjectId: w.bootstrapAdmins[0] });
    olivia = w.teams.user(contoso, 'Olivia Owner');
    bob = w.teams.user(contoso, 'Bob Other');
    carl = w.teams.user(contoso, 'Carl Contributor');
    rita = w.teams.user(contoso, 'Rita Reviewer');
    nora = w.teams.user(contoso, 'Nora Norole');
    fay = w.teams.user(fabrikam, 'Fay Admin', { aadObjectId: w.bootstrapAdmins[1] });
    zed = w.teams.user(fabrikam, 'Zed Zimmer');
    group = w.teams.groupChat(contoso, [ada, olivia, bob, carl, rita]);
    await grant(w, ada, group, olivia, 'incentives user');
    await grant(w, ada, group, bob, 'incentives user');
    await grant(w, ada, group, rita, 'reviewer');
    await grant(w, fay, w.teams.groupChat(fabrikam, [fay, zed]), zed, 'incentives user');
    await addFund(w, ada, { Name: 'Contoso secret fund' });
    await addFund(w, fay, { Name: 'Fabrikam hidden fund' });

    contosoFundId = (await w.app.services.funds.list(contoso.id))[0].id;
    const asked = await w.teams.invoke(olivia, olivia.personal, 'createFundRequest', {
      formId: randomUUID(),
      activity: 'Zanzibar gala pre-approval',
      activityType: 'event',
      plannedStart: day(10),
      plannedEnd: day(11),
      plannedAmount: SECRET_AMOUNT,
      fundId: contosoFundId,
    });
    secretRequest = /REQ-\d{4}/.exec(asked.text)?.[0] ?? '';
    assert.ok(secretRequest, asked.text);
    const approvedRequest = await w.teams.invoke(ada, ada.personal, 'approveRequest', {
      request: secretRequest,
    });
    assert.match(approvedRequest.text, /Approved: /);

    const form = await w.teams.send(olivia, olivia.personal, 'new claim');
    const click = press(form.card ?? {}, 'Create claim', {
      ...CLAIM,
      Title: 'Zanzibar gala',
      Amount: SECRET_AMOUNT,
      Description: 'Confidential agenda for Q9',
    });
    const created = await w.teams.invoke(olivia, olivia.personal, click.verb, click.data);
    secret = /CLM-\d{4}/.exec(created.text)?.[0] ?? '';
    assert.ok(secret, created.text);
    // What any copy of her card carries when pressed: the same formId, a fund of the tenant.
    oliviaForm = {
      verb: click.verb,
      data: { ...click.data, title: 'Copied form', amount: '10.00', description: 'copy' },
    };
    assert.equal((await stored(secret))?.formId, oliviaForm.data.formId, 'the form id replayed');
    const doc = await sendFile(
      w,
      files,
      olivia,
      `${secret} invoice: Zanzibar venue`,
      'zanzibar.pdf',
    );
    assert.match(doc.text, /added/i, doc.text);
    await w.teams.invoke(olivia, olivia.personal, 'addMetric', {
      claim: secret,
      metricName: 'Secret leads',
      metricValue: '4242',
    });
    const open = await w.teams.invoke(olivia, olivia.personal, 'openClaim', { claim: secret });
    secretCard = open.card ?? {};
    documentId = (await stored(secret))?.documents[0]?.id ?? '';
    assert.ok(documentId);
    invoiceKey = `f.${(await stored(secret))?.documents[0]?.sha256 ?? ''}`;

    ({ number: submitted } = await createClaim(w, olivia, {
      Title: 'Kilimanjaro summit',
      Amount: '3,141.59',
    }));
    await makeSubmittable(w, files, olivia, submitted);
    await submitClaim(w, olivia, submitted);

    ({ number: decoy } = await createClaim(w, bob, { Title: 'Bob decoy', Amount: '100.00' }));
    await requestUploadFrom(w, bob, group, carl, decoy);
    assert.ok((await stored(decoy))?.contributors.some((p) => p.id === carl.aadObjectId));

    // Background deliveries (submitted → reviewers, request → Carl) settle before comparing.
    for (const n of [submitted, decoy]) {
      const done = async (): Promise<boolean> => !((await stored(n))?.outbox ?? []).some(isOpen);
      const end = Date.now() + 10_000;
      while (!(await done()) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    }
  });

  after(async () => {
    await w?.stop();
    await files?.stop();
  });

  const HOSTILE: [string, () => TeamsUser][] = [
    ['another tenant’s global admin', () => fay],
    ['another tenant’s incentives user', () => zed],
    ['a colleague without a role', () => nora],
    ['a contributor of another claim', () => carl],
    ['a reviewer (the claim is in Editing)', () => rita],
    ['the owner of another claim', () => bob],
  ];

  for (const [who, pick] of HOSTILE) {
    it(`${who}: every verb, replayed and forged, changes nothing and reveals nothing`, async () => {
      const user = pick();
      // The bot reads the secret claim's invoice in the background: settled before the snapshot.
      await w.app.invoices.idle();
      const before = snapshot(await stored(secret));
      const fundsBefore = snapshot(await w.app.services.funds.list(contoso.id));
      const requestNow = async () =>
        snapshot(await w.app.services.fundRequests.get(contoso.id, secretRequest));
      const requestBefore = await requestNow();
      const policyBefore = await w.app.services.policy.get(contoso.id);
      const problems: string[] = [];
      // A file waiting for a claim, so completeUpload has something to file (into the secret claim).
      problems.push(...leaks(await sendFile(w, files, user, '', 'hostile.pdf'), `${who} file`));
      const spellings = [secret, secret.toLowerCase(), ` ${secret} `, 'clm-1', 'CLM-000000001'];
      for (const [i, verb] of VERBS.entries()) {
        // A click replayed from Olivia's card (where it has the button), then forged on top.
        const card = replayed(verb);
        const base = { ...(card ?? {}), claim: secret, ...validInputs(verb, user) };
        const withForgery = { ...base, ...forged(), claim: spellings[i % spellings.length] };
        const variants = card ? [base, withForgery] : [withForgery];
        for (const [k, data] of variants.entries()) {
          const r = await w.teams.invoke(user, user.personal, verb, data);
          const what = `${who} ${verb}#${k}`;
          problems.push(...leaks(r, what));
          const named = CLAIM_VERBS.includes(verb) || /Request$/.test(verb);
          if (named && verb !== 'createFundRequest' && !/was not found/.test(r.text)) {
            problems.push(`${what}: not "not found": ${r.text.slice(0, 160)}`);
          }
        }
      }
      for (const text of [
        `claim ${secret}`,
        `history ${secret}`,
        `claim clm-1`,
        `fund request ${secretRequest}`,
        `request <at>${user.name}</at> invoice for ${secret} let me in`,
      ]) {
        const r = await w.teams.send(user, user.personal, text);
        problems.push(...leaks(r, `${who} "${text}"`));
        if (!/was not found/.test(r.text)) {
          problems.push(`${who} "${text}": not "not found": ${r.text.slice(0, 160)}`);
        }
      }
      problems.push(...leaks(await w.teams.send(user, user.personal, 'claims'), `${who} claims`));
      assert.deepEqual(snapshot(await stored(secret)), before, 'the secret claim is unchanged');
      assert.deepEqual(await requestNow(), requestBefore, 'the secret request is unchanged');
      assert.deepEqual(
        await w.app.services.policy.get(contoso.id),
        policyBefore,
        'no policy change',
      );
      assert.deepEqual(snapshot(await w.app.services.funds.list(contoso.id)), fundsBefore);
      assert.deepEqual(problems, [], 'nothing leaks; other people’s claims are "not found"');
    });
  }

  it('another tenant sees none of this tenant: no funds, no totals, no claims, same numbers not found', async () => {
    for (const user of [fay, zed]) {
      for (const text of ['claims', 'new claim', 'funds', 'review']) {
        const r = await w.teams.send(user, user.personal, text);
        assert.doesNotMatch(
          everythingIn(r, [ada, olivia, bob, carl, rita, nora]),
          /Contoso secret fund|Kilimanjaro|Bob decoy|3,141\.59/,
        );
      }
      for (const number of [secret, submitted, decoy]) {
        const r = await w.teams.invoke(user, user.personal, 'openClaim', {
          claim: number,
          tenantId: contoso.id,
        });
        assert.match(r.text, new RegExp(`Claim ${number} was not found`));
      }
    }
    const names = async (t: Tenant): Promise<string[]> =>
      (await w.app.services.funds.list(t.id)).map((f) => f.name);
    assert.deepEqual(await names(contoso), ['Contoso secret fund']);
    assert.ok(!(await names(fabrikam)).includes('Contoso secret fund'));
  });

  it('a copy of someone’s New claim form (same formId) never shows or touches their claim', async () => {
    // In a group chat everyone sees the same New claim card: pressing Create claim on it after its
    // author did replays the author's formId.
    const problems: string[] = [];
    for (const user of [bob, rita]) {
      const before = snapshot(await stored(secret));
      const r = await w.teams.invoke(user, user.personal, 'createClaim', { ...oliviaForm.data });
      problems.push(...leaks(r, `${user.name} pressing Olivia's Create claim`));
      assert.deepEqual(snapshot(await stored(secret)), before);
    }
    assert.deepEqual(problems, []);
  });

  describe('users who may see a claim cannot do what their role does not allow', () => {
    const attempts = (): [string, () => TeamsUser, () => string, Verb[]][] => [
      [
        'a reviewer edits, submits or disputes a submitted claim',
        () => rita,
        () => submitted,
        [
          'editInformation',
          'addMetric',
          'submit',
          'startUpload',
          'startReplace',
          'editExplanation',
          'removeDocument',
          'requestUpload',
          'dispute',
        ],
      ],
      [
        'an owner reviews, approves or disputes their own claim',
        () => olivia,
        () => submitted,
        ['startReview', 'approve', 'reject', 'requestInformation', 'commentOnItem', 'dispute'],
      ],
      [
        'a contributor submits, asks others, reviews or disputes',
        () => carl,
        () => decoy,
        ['submit', 'requestUpload', 'dispute', 'startReview', 'approve', 'reject', 'commentOnItem'],
      ],
      [
        'an owner approves their claim in Editing with a forged status',
        () => bob,
        () => decoy,
        ['startReview', 'approve', 'reject', 'requestInformation', 'dispute'],
      ],
    ];
    for (const [name, who, which, verbs] of attempts()) {
      it(name, async () => {
        const user = who();
        const number = which();
        const before = core(await stored(number));
        const answers: string[] = [];
        for (const verb of verbs) {
          const data = { ...validInputs(verb, user), ...forged(), claim: number };
          const r = await w.teams.invoke(user, user.personal, verb, data);
          assert.equal(r.invokeStatus, 200, verb);
          assert.ok(r.invokeCard, `${verb}: a card`);
          answers.push(`${verb}: ${/not allowed|cannot be done while|not found/.test(r.text)}`);
        }
        assert.deepEqual(core(await stored(number)), before, 'the claim is unchanged');
        assert.deepEqual(
          answers.filter((a) => a.endsWith('false')),
          [],
          'each refusal says why',
        );
      });
    }
  });
});
