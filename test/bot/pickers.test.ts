import assert from 'node:assert/strict';
import { TeamsUser, Tenant, TurnResult, actions, cardText } from '../support/teams';
import { World, addFund, createClaim, grant, seedReady, startWorld } from './world';

describe('bot: pickers show names, and refuse rather than drop (issue 29)', () => {
  let w: World;
  let tenant: Tenant;
  let owner: TeamsUser;
  let rita: TeamsUser;
  let number: string;

  const say = async (u: TeamsUser, text: string): Promise<TurnResult> => {
    await w.app.notifications.idle();
    return w.teams.send(u, u.personal, text);
  };

  before(async () => {
    w = await startWorld();
    tenant = w.teams.tenant('contoso');
    const admin = w.teams.user(tenant, 'Ada Admin', { aadObjectId: w.bootstrapAdmins[0] });
    owner = w.teams.user(tenant, 'Olga Owner');
    rita = w.teams.user(tenant, 'Rita Reviewer');
    const chat = w.teams.groupChat(tenant, [admin, owner, rita]);
    await grant(w, admin, chat, owner, 'incentives user');
    await grant(w, admin, chat, rita, 'reviewer');
    await addFund(w, admin);
    ({ number } = await createClaim(w, owner));
    await seedReady(w, owner, number);
  });
  after(() => w?.stop());

  it('Manage documents starts with every document by file name, none picked as an id', async () => {
    const card = (await say(owner, `claim ${number}`)).card ?? {};
    const manage = actions(card).find((a) => a.action.title === 'Manage documents');
    const input = (manage?.action.card.body as { id: string; value?: string; choices: [] }[])[0];
    assert.equal(input.id, 'document');
    assert.equal(input.value, undefined, 'no document id shown as the pick');
    assert.deepEqual(
      (input.choices as { title: string }[]).map((c) => c.title),
      [`invoice-${number}.pdf (Invoice)`, `poe-${number}.pdf (Proof of execution)`],
    );
  });

  it('Request information with Feedback but no Document is refused, and nothing changes', async () => {
    await w.teams.click(owner, owner.personal, await say(owner, `claim ${number}`), 'Submit claim');
    let card = await say(rita, `claim ${number}`);
    card = await w.teams.click(rita, rita.personal, card, 'Start review');
    const refused = await w.teams.click(rita, rita.personal, card, 'Request information', {
      Note: 'Which venue?',
      Feedback: 'The photo is blurred',
    });
    assert.match(
      cardText(refused.card),
      /Choose the document your feedback is about, or leave Feedback empty\./,
    );
    assert.equal((await w.app.services.claims.get(tenant.id, number))?.status, 'underReview');
    const dutch = await w.teams.invoke(
      rita,
      rita.personal,
      'requestInformation',
      { claim: number, note: 'Welke locatie?', infoFeedback: 'Wazig' },
      undefined,
      { locale: 'nl-NL' },
    );
    assert.match(cardText(dutch.card), /Kies het document waar je feedback over gaat/);
  });

  it('request @Name typed in the 1:1 chat, where Teams names nobody: says what works instead', async () => {
    const r = await say(owner, `request @Alex invoice for ${number} the booth photos`);
    assert.match(
      r.text,
      new RegExp(
        `In our 1:1 chat I cannot tell which colleague you mean\\. Open ${number} and press Request upload`,
      ),
    );
    const claim = await w.app.services.claims.get(tenant.id, number);
    assert.deepEqual(claim?.uploadRequests, []);
  });
});
