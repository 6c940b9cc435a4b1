import assert from 'node:assert/strict';
import {
  Card,
  TeamsUser,
  Tenant,
  TurnResult,
  actions,
  cardText,
  findInput,
} from '../support/teams';
import { storedActor } from '../../src/bot/actor';
import { HISTORY_MOST, addComment } from '../../src/domain/claim';
import { World, addFund, createClaim, grant, seedReady, startWorld } from './world';

/** The top-level buttons of a claim card: title, style and whether it sits in the row or the overflow. */
function row(card: Card | undefined): { title: string; style: string; mode: string }[] {
  return ((card?.actions ?? []) as Card[]).map((a) => ({
    title: String(a.title),
    style: String(a.style ?? 'default'),
    mode: String(a.mode ?? 'primary'),
  }));
}

const positive = (r: TurnResult): string[] =>
  row(r.card)
    .filter((a) => a.style === 'positive')
    .map((a) => a.title);
const inRow = (r: TurnResult): string[] =>
  row(r.card)
    .filter((a) => a.mode === 'primary')
    .map((a) => a.title);

/** The first text of the card's body after any notice: the next-step line. */
const firstLine = (r: TurnResult): string => cardText({ body: r.card?.body ?? [] }).split('\n')[0];

describe('bot: every claim card opens with its next step (issue 29)', () => {
  let w: World;
  let tenant: Tenant;
  let admin: TeamsUser;
  let owner: TeamsUser;
  let reviewer: TeamsUser;

  before(async () => {
    w = await startWorld();
    tenant = w.teams.tenant('contoso');
    admin = w.teams.user(tenant, 'Ada Admin', { aadObjectId: w.bootstrapAdmins[0] });
    owner = w.teams.user(tenant, 'Olga Owner');
    reviewer = w.teams.user(tenant, 'Rita Reviewer');
    const chat = w.teams.groupChat(tenant, [admin, owner, reviewer]);
    await grant(w, admin, chat, owner, 'incentives user');
    await grant(w, admin, chat, reviewer, 'reviewer');
    await addFund(w, admin, { Name: 'Events fund', 'Allocated amount': '550.00' });
  });
  after(() => w?.stop());

  it('New claim shows what each fund has left', async () => {
    const form = await w.teams.send(owner, owner.personal, 'new claim');
    const fund = findInput(form.card ?? {}, 'Fund');
    assert.deepEqual(
      fund?.choices.map((c: { title: string }) => c.title),
      ['Events fund — $550.00 left'],
    );
  });

  it('a draft above what the fund has left: warned, the checklist says what is missing, Add document leads', async () => {
    const { result } = await createClaim(w, owner, { Amount: '800.00' });
    const text = cardText(result.card);
    assert.match(firstLine(result), /Not ready to submit: 4 of the checks below still to do\./);
    assert.match(
      text,
      /The amount \$800\.00 is more than Events fund has left \(\$550\.00\): lower it/,
    );
    assert.match(text, /Before you submit: 2 of 6 done/);
    assert.match(text, /○ At least one invoice or CSR/);
    assert.match(text, /✓ An explanation on every document/);
    assert.match(text, /○ An amount no higher than what the fund has left \(\$550\.00\)/);
    assert.deepEqual(positive(result), ['Add document']);
    assert.equal(inRow(result)[0], 'Add document');
    assert.ok(inRow(result).length <= 3, `row: ${inRow(result)}`);
    assert.ok(
      row(result.card).some((a) => a.mode === 'secondary'),
      'an overflow menu',
    );
  });

  it('a complete draft: "Ready to submit" and Submit claim is the primary button', async () => {
    const { number } = await createClaim(w, owner, { Amount: '500.00' });
    await seedReady(w, owner, number);
    const card = await w.teams.send(owner, owner.personal, `claim ${number}`);
    assert.match(firstLine(card), /^Ready to submit/);
    assert.match(cardText(card.card), /Before you submit: 6 of 6 done/);
    assert.deepEqual(positive(card), ['Submit claim']);
    assert.doesNotMatch(cardText(card.card), /more than Events fund has left/);

    const submitted = await w.teams.click(owner, owner.personal, card, 'Submit claim');
    assert.match(cardText(submitted.card), /Waiting for a reviewer, since today\./);
    assert.doesNotMatch(cardText(submitted.card), /Before you submit/);

    // Three days later, for the reviewer.
    const threeDaysAgo = new Date(Date.now() - 3 * 86_400_000 - 60_000).toISOString();
    await w.app.services.claims.update(tenant.id, number, `age-${number}`, (c) => ({
      ...c,
      submittedAt: threeDaysAgo,
    }));
    await w.app.notifications.idle();
    const review = await w.teams.send(reviewer, reviewer.personal, `claim ${number}`);
    assert.match(firstLine(review), /^Waiting for your review, 3 days\./);
    assert.equal(positive(review).length, 1);
  });

  /** Submitted by the owner; the reviewer asks which venue it was, with feedback on the PoE. */
  async function askForInformation(): Promise<string> {
    // Small: the fund has only $10 left after the tests above.
    const { number } = await createClaim(w, owner, { Amount: '4.00' });
    await seedReady(w, owner, number);
    await w.teams.click(
      owner,
      owner.personal,
      await w.teams.send(owner, owner.personal, `claim ${number}`),
      'Submit claim',
    );
    // The answer is the turn's last card: let the reviewers' notification arrive first.
    await w.app.notifications.idle();
    let card = await w.teams.send(reviewer, reviewer.personal, `claim ${number}`);
    if (actions(card.card ?? {}).some((a) => a.action.title === 'Start review')) {
      card = await w.teams.click(reviewer, reviewer.personal, card, 'Start review');
    }
    await w.teams.click(reviewer, reviewer.personal, card, 'Request information', {
      Note: 'Which venue was it?',
      Document: `poe-${number}.pdf (Proof of execution)`,
      Feedback: 'The photo is blurred',
    });
    await w.app.notifications.idle();
    return number;
  }

  const questionLines = async (number: string): Promise<string[]> => {
    const mine = await w.teams.send(owner, owner.personal, `claim ${number}`);
    assert.deepEqual(positive(mine), ['Submit claim']);
    return cardText({ body: mine.card?.body ?? [] })
      .split('\n')
      .slice(0, 3);
  };

  const QUESTION = [
    'Rita Reviewer asks for more information. Answer it, then submit again:',
    '• Which venue was it?',
  ];

  it("Action required: the owner's card opens with the reviewer's question and the document it names", async () => {
    const number = await askForInformation();
    const lines = await questionLines(number);
    assert.deepEqual(lines.slice(0, 2), QUESTION);
    assert.match(lines[2], /^• poe-CLM-\d{4}\.pdf: The photo is blurred$/);
  });

  it('the question stays on the card however much happens after it (the claim keeps only its newest history)', async () => {
    const number = await askForInformation();
    const ownerActor = await storedActor(w.app.services, tenant.id, {
      id: owner.aadObjectId,
      name: owner.name,
    });
    for (let i = 0; i < HISTORY_MOST + 5; i++) {
      await w.app.services.claims.update(tenant.id, number, `talk-${i}`, (c) =>
        addComment(c, ownerActor, `Looking for the venue, note ${i}`, new Date().toISOString()),
      );
    }
    const stored = await w.app.services.claims.get(tenant.id, number);
    assert.ok(!stored?.history.some((e) => e.kind === 'informationRequested'), 'moved out');
    const lines = await questionLines(number);
    assert.deepEqual(lines.slice(0, 2), QUESTION);
    assert.match(lines[2], /^• poe-CLM-\d{4}\.pdf: The photo is blurred$/);
  });

  it('in Dutch too', async () => {
    const { number } = await createClaim(w, owner, { Amount: '800.00' });
    const card = await w.teams.send(owner, owner.personal, `claim ${number}`, { locale: 'nl-NL' });
    assert.match(firstLine(card), /^Nog niet klaar om in te dienen/);
    assert.match(cardText(card.card), /Voordat je indient: 2 van 6 gedaan/);
  });
});
