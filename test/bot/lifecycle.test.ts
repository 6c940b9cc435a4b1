import assert from 'node:assert/strict';
import { addDocument } from '../../src/domain/claim';
import type { Actor } from '../../src/domain/roles';
import type { Recorded } from '../../testkit/connector';
import {
  Chat,
  TeamsUser,
  Tenant,
  TurnResult,
  buttonTitles,
  cardText,
  factAmount,
  factValue,
} from '../support/teams';
import { World, addFund, createClaim, essence, eventually, grant, startWorld } from './world';

/** "who what" of every event on a history card, in the order shown. */
function events(r: TurnResult): string[] {
  const lines = cardText(r.card).split('\n');
  return lines.flatMap((line, i) =>
    /^(created the claim|added a metric|commented|submitted the claim|added a document)$/.test(line)
      ? [`${lines[i - 1].trim()} ${line}`]
      : [],
  );
}

describe('bot: one claim, its owner and an incentives admin', () => {
  let w: World;
  let tenant: Tenant;
  let admin: TeamsUser;
  let olga: TeamsUser;
  let ian: TeamsUser;
  let rita: TeamsUser;
  let rhea: TeamsUser;
  let rolf: TeamsUser;
  let group: Chat;
  let number: string;

  const stored = async () => {
    const claim = await w.app.services.claims.get(tenant.id, number);
    assert.ok(claim);
    return claim;
  };
  const open = (u: TeamsUser) => w.teams.send(u, u.personal, `claim ${number}`);

  before(async () => {
    // One claim's whole life end to end, on the emulators as in production.
    w = await startWorld({ storage: 'emulators' });
    tenant = w.teams.tenant('contoso');
    admin = w.teams.user(tenant, 'Ada Admin', { aadObjectId: w.bootstrapAdmins[0] });
    olga = w.teams.user(tenant, 'Olga Owner');
    ian = w.teams.user(tenant, 'Ian Incentives');
    rita = w.teams.user(tenant, 'Rita Reviewer');
    // Reviewers who never wrote to the bot: one has the app, one has not installed it.
    rhea = w.teams.user(tenant, 'Rhea Reviewer');
    rolf = w.teams.user(tenant, 'Rolf Reviewer', { appInstalled: false });
    group = w.teams.groupChat(tenant, [admin, olga, ian, rita, rhea, rolf]);
    await grant(w, admin, group, olga, 'incentives user');
    await grant(w, admin, group, ian, 'incentives admin');
    for (const r of [rita, rhea, rolf]) await grant(w, admin, group, r, 'reviewer');
    await addFund(w, ian, { 'Allocated amount': '10,000.00' });
  });
  after(() => w?.stop());

  it('the owner creates a claim and the incentives admin finds it in claims', async () => {
    ({ number } = await createClaim(w, olga, { Amount: '2,000.00' }));
    const claims = await w.teams.send(ian, ian.personal, 'claims');
    assert.match(cardText(claims.card), new RegExp(`^${number} $`, 'm'));
    assert.match(cardText(claims.card), /^Editing · \$2,000\.00$/m);
    const detail = await w.teams.click(ian, ian.personal, claims, 'Open', {}, number);
    assert.equal(factValue(detail.card, 'Owner'), 'Olga Owner');
    for (const b of ['Add metric', 'Edit information', 'Comment', 'Submit claim']) {
      assert.ok(buttonTitles(detail.card ?? {}).includes(b), b);
    }
  });

  it('a reviewer does not see a claim that is still being edited', async () => {
    const r = await open(rita);
    assert.match(r.text, new RegExp(`Claim ${number} was not found`));
  });

  it('the admin adds a metric and the owner sees it, with who added it', async () => {
    const r = await w.teams.click(ian, ian.personal, await open(ian), 'Add metric', {
      Metric: 'Leads',
      Value: '40',
    });
    assert.equal(factValue(r.card, 'Leads'), '40');
    const mine = await open(olga);
    assert.equal(factValue(mine.card, 'Leads'), '40');
    assert.match(cardText(mine.card), /^Ian Incentives added a metric$/m);
  });

  it('the owner comments and the admin reads the history, newest first', async () => {
    await w.teams.click(olga, olga.personal, await open(olga), 'Comment', {
      Comment: 'Thanks Ian',
    });
    const history = await w.teams.send(ian, ian.personal, `history ${number}`);
    assert.deepEqual(events(history), [
      'Olga Owner commented',
      'Ian Incentives added a metric',
      'Olga Owner created the claim',
    ]);
    assert.match(cardText(history.card), /Thanks Ian/);
  });

  it('Submit claim names the missing documents and changes nothing', async () => {
    const before = await stored();
    const r = await w.teams.click(olga, olga.personal, await open(olga), 'Submit claim');
    const items = cardText(r.card)
      .split('\n')
      .filter((l) => l.startsWith('• '));
    assert.deepEqual(items, [
      '• At least one invoice or CSR',
      '• At least one proof of execution (PoE)',
    ]);
    assert.deepEqual(essence(await stored()), essence(before));
  });

  it('with an invoice and a PoE the owner submits: Submitted, no longer editable, still open to comments', async () => {
    // Files reach the bot through Teams file messages (covered with the upload flow); here they
    // are filed directly in the store, as the owner.
    const owner: Actor = {
      tenantId: tenant.id,
      userId: olga.aadObjectId,
      name: olga.name,
      roles: new Set(['incentivesUser']),
    };
    await w.app.services.claims.update(tenant.id, number, 'seed-documents', (claim) =>
      (['invoice', 'poe'] as const).reduce(
        (c, type) =>
          addDocument(
            c,
            owner,
            {
              id: `doc-${type}`,
              type,
              fileName: `${type}.pdf`,
              blobName: `${tenant.id}/${number}/${type}.pdf`,
              size: 1234,
              contentType: 'application/pdf',
              sha256: '0'.repeat(64),
              explanation: `The ${type}`,
            },
            new Date().toISOString(),
          ),
        claim,
      ),
    );
    const r = await w.teams.click(olga, olga.personal, await open(olga), 'Submit claim');
    assert.equal(r.invokeStatus, 200);
    assert.match(r.text, /Submitted\. Reviewers have been told\./);
    assert.equal(factValue(r.card, 'Status'), 'Submitted');
    const buttons = buttonTitles(r.card ?? {});
    for (const gone of ['Add metric', 'Edit information', 'Add document', 'Submit claim']) {
      assert.equal(buttons.includes(gone), false, `no ${gone}`);
    }
    assert.ok(buttons.includes('Comment'));
    assert.equal((await stored()).status, 'submitted');
  });

  it('tells the reviewers in their 1:1 chats, opening the chat where the app is installed', async () => {
    const about = (u: TeamsUser) => (r: Recorded) =>
      r.conversationId === u.personal.id && JSON.stringify(r.activity).includes(number);
    const seen = () => w.connector.records.map((r) => `${r.op} ${r.conversationId}`).join(', ');
    assert.ok(await w.connector.waitFor(about(rita)), `Rita was not told: ${seen()}`);
    assert.ok(await w.connector.waitFor(about(rhea)), `Rhea was not told: ${seen()}`);
    const refused = await eventually(() =>
      w.connector.requests.find(
        (q) => q.method === 'POST' && /\/v3\/conversations\/?$/.test(q.path) && q.status === 403,
      ),
    );
    assert.ok(refused, 'the bot tried to open a chat with Rolf, who has not installed the app');
    assert.equal(w.connector.since(0, rolf.personal.id).length, 0);
  });

  it('the admin cannot change the submitted claim (told why, nothing changes) but may comment', async () => {
    const before = await stored();
    for (const [verb, data] of [
      ['addMetric', { metricName: 'Clicks', metricValue: '9' }],
      [
        'editInformation',
        {
          title: 'Changed',
          activityType: 'webinar',
          activityStart: before.activityStart,
          activityEnd: before.activityEnd,
          amount: '1',
        },
      ],
      ['submit', {}],
    ] as const) {
      const r = await w.teams.invoke(ian, ian.personal, verb, { ...data, claim: number });
      assert.equal(r.invokeStatus, 200, verb);
      assert.match(r.text, /This cannot be done while the claim is Submitted/, verb);
      assert.equal(factValue(r.card, 'Status'), 'Submitted', verb);
    }
    assert.deepEqual(essence(await stored()), essence(before));
    const c = await w.teams.invoke(ian, ian.personal, 'comment', {
      claim: number,
      comment: 'Looks complete',
    });
    assert.match(c.text, /Looks complete/);
    assert.equal((await stored()).history.length, before.history.length + 1);
  });

  it('the totals count the submitted claim as pending', async () => {
    const claims = await w.teams.send(ian, ian.personal, 'claims');
    assert.match(cardText(claims.card), /^Submitted · \$2,000\.00$/m);
    assert.equal(factAmount(claims.card, 'Pending'), '$2,000.00');
    assert.equal(factAmount(claims.card, 'Remaining'), '$8,000.00');
  });

  it('a reviewer starts the review and approves at most the claimed amount', async () => {
    const queue = await w.teams.send(rita, rita.personal, 'review');
    assert.match(cardText(queue.card), new RegExp(`^${number} $`, 'm'));
    const detail = await w.teams.click(rita, rita.personal, queue, 'Open', {}, number);
    const started = await w.teams.click(rita, rita.personal, detail, 'Start review');
    assert.equal(factValue(started.card, 'Status'), 'Under review');
    const over = await w.teams.click(rita, rita.personal, started, 'Approve', {
      'Approved amount': '2,500.00',
    });
    assert.match(over.text, /cannot be more than the reimbursable amount/);
    assert.equal((await stored()).status, 'underReview');
    const ok = await w.teams.click(rita, rita.personal, over, 'Approve', {
      'Approved amount': '1,500.00',
      'Reason for approving less': 'Part of the cost is not eligible.',
    });
    assert.equal(factValue(ok.card, 'Status'), 'Approved');
    assert.equal(factValue(ok.card, 'Approved'), '$1,500.00');
  });

  it('the owner sees the decision and the admin the new totals', async () => {
    const mine = await w.teams.send(olga, olga.personal, 'claims');
    assert.match(cardText(mine.card), /^Approved · \$2,000\.00 · Approved amount \$1,500\.00$/m);
    const claims = await w.teams.send(ian, ian.personal, 'claims');
    assert.equal(factAmount(claims.card, 'Approved'), '$1,500.00');
    assert.equal(factAmount(claims.card, 'Remaining'), '$8,500.00');
  });

  it('an admin without a hand in the claim disputes the decision; the owner and Ian (who added a metric) cannot', async () => {
    const refused = await w.teams.invoke(olga, olga.personal, 'dispute', {
      claim: number,
      reason: 'More please',
    });
    assert.match(refused.text, /not allowed/);
    const byIan = await w.teams.invoke(ian, ian.personal, 'dispute', {
      claim: number,
      reason: 'More please',
    });
    assert.match(byIan.text, /another incentives admin must dispute its decision/);
    assert.equal((await stored()).status, 'approved');
    const detail = await open(admin);
    const r = await w.teams.click(admin, admin.personal, detail, 'Dispute', {
      Reason: 'The approved amount misses the venue',
    });
    assert.equal(factValue(r.card, 'Status'), 'Disputed');
    assert.equal((await stored()).status, 'disputed');
  });
});
