import assert from 'node:assert/strict';
import { addDocument, addMetric } from '../../src/domain/claim';
import { CARD_TYPE, Card, TeamsUser, TurnResult } from '../support/teams';
import { World, actorOf, addFund, createClaim, grant, startWorld } from '../bot/world';

/** A link in Markdown, as a hostile user types it into any text field. */
const EVIL = '[Verify payee](https://evil.example/login)';
/** An unescaped Markdown link (or image) anywhere in a text Teams renders as Markdown. */
const MARKDOWN_LINK = /(?<!\\)\]\(/;

/** Every text of a card that Teams renders as Markdown (TextBlocks, facts), and every TextRun. */
function textsOf(card: unknown): { markdown: string[]; runs: string[] } {
  const markdown: string[] = [];
  const runs: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const n = node as Card;
    if (n.type === 'TextBlock' && typeof n.text === 'string') markdown.push(n.text);
    if (n.type === 'TextRun' && typeof n.text === 'string') runs.push(n.text);
    if (n.type === 'FactSet' && Array.isArray(n.facts)) {
      for (const f of n.facts as { title: string; value: string }[])
        markdown.push(f.title, f.value);
    }
    Object.values(n).forEach(visit);
  };
  visit(card);
  return { markdown, runs };
}

/**
 * Text users typed is shown literally on every card (issue 28, hole 4): a claim title, note,
 * comment, explanation, file name, fund name, display name, reason or feedback holding a Markdown
 * link shows the brackets, never a link, to its author and to everyone else.
 */
describe('trust: what users typed is shown literally on every card (issue 28, hole 4)', () => {
  let w: World;
  let olga: TeamsUser;
  let rita: TeamsUser;
  let admin: TeamsUser;
  let number: string;
  /** Every card answered or sent, by where it was seen. */
  const seen: { where: string; card: unknown }[] = [];
  const keep = (where: string, r: TurnResult): TurnResult => {
    assert.equal(r.status, 200, where);
    if (r.card) seen.push({ where, card: r.card });
    return r;
  };

  before(async () => {
    w = await startWorld();
    const tenant = w.teams.tenant('contoso');
    admin = w.teams.user(tenant, 'Ada Admin', { aadObjectId: w.bootstrapAdmins[0] });
    olga = w.teams.user(tenant, `Olga ${EVIL}`);
    rita = w.teams.user(tenant, 'Rita Reviewer');
    const group = w.teams.groupChat(tenant, [admin, olga, rita]);
    await grant(w, admin, group, olga, 'incentives user');
    await grant(w, admin, group, rita, 'reviewer');
    await w.teams.send(rita, rita.personal, 'help');
    await addFund(w, admin, { Name: `Fund ${EVIL}` });
    ({ number } = await createClaim(w, olga, {
      Title: `Webinar ${EVIL}`,
      Description: `About ${EVIL}`,
    }));
    const actor = actorOf(olga);
    const now = new Date().toISOString();
    await w.app.services.claims.update(tenant.id, number, 'seed', (claim) =>
      addMetric(
        (['invoice', 'poe'] as const).reduce(
          (c, type) =>
            addDocument(
              c,
              actor,
              {
                id: `doc-${type}`,
                type,
                fileName: `${type} ${EVIL}.pdf`,
                blobName: `${tenant.id}/${number}/doc-${type}/${type}.pdf`,
                size: 1000,
                contentType: 'application/pdf',
                sha256: '0'.repeat(64),
                explanation: `The ${type} ${EVIL}`,
              },
              now,
            ),
          claim,
        ),
        actor,
        { name: `Leads ${EVIL}`, value: 20 },
        now,
      ),
    );
    const claim = { claim: number };
    keep(
      'comment',
      await w.teams.invoke(olga, olga.personal, 'comment', { ...claim, comment: `Note ${EVIL}` }),
    );
    keep('submit', await w.teams.invoke(olga, olga.personal, 'submit', claim));
    keep('startReview', await w.teams.invoke(rita, rita.personal, 'startReview', claim));
    keep(
      'commentOnItem',
      await w.teams.invoke(rita, rita.personal, 'commentOnItem', {
        ...claim,
        item: 'doc-poe',
        feedback: `Feedback ${EVIL}`,
      }),
    );
    keep(
      'requestInformation',
      await w.teams.invoke(rita, rita.personal, 'requestInformation', {
        ...claim,
        note: `Question ${EVIL}`,
        infoItem: 'doc-invoice',
        infoFeedback: `More ${EVIL}`,
      }),
    );
    await w.app.notifications.idle();
  });
  after(async () => {
    await w?.stop();
  });

  it('the Documents list shows the evil title literally (the hole as found)', async () => {
    const r = keep(
      'documentsPage',
      await w.teams.invoke(rita, rita.personal, 'documentsPage', { claim: number, page: 0 }),
    );
    const { markdown } = textsOf(r.card);
    const line = markdown.find((t) => t.includes('Verify payee'));
    assert.ok(line, 'the title is on the list');
    assert.doesNotMatch(line, MARKDOWN_LINK, line);
  });

  it('no card anyone saw holds a Markdown link made of user text; TextRuns show it unescaped', async () => {
    for (const u of [olga, rita]) {
      keep(`claims ${u.name}`, await w.teams.send(u, u.personal, 'claims'));
      keep(`claim ${u.name}`, await w.teams.send(u, u.personal, `claim ${number}`));
      keep(`history ${u.name}`, await w.teams.send(u, u.personal, `history ${number}`));
      for (const document of ['doc-invoice', 'doc-poe']) {
        keep(
          `documentDetails ${u.name}`,
          await w.teams.invoke(u, u.personal, 'documentDetails', { claim: number, document }),
        );
      }
    }
    keep('review', await w.teams.send(rita, rita.personal, 'review'));
    keep('funds', await w.teams.send(admin, admin.personal, 'funds'));
    for (const r of w.connector.since(0)) {
      for (const a of (r.activity.attachments ?? []) as { contentType: string; content: Card }[]) {
        if (a.contentType === CARD_TYPE) seen.push({ where: `sent (${r.op})`, card: a.content });
      }
    }
    const shown = seen.map(({ where, card }) => ({ where, ...textsOf(card) }));
    const evilShown = shown
      .flatMap((s) => [...s.markdown, ...s.runs])
      .filter((t) => t.includes('evil'));
    assert.ok(evilShown.length > 30, `user text is on the cards (${evilShown.length} places)`);
    const offenders = shown.flatMap(({ where, markdown, runs }) => [
      ...markdown.filter((t) => MARKDOWN_LINK.test(t)).map((t) => `${where}: ${t}`),
      ...runs.filter((t) => t.includes('\\[')).map((t) => `${where}: escaped in a TextRun: ${t}`),
    ]);
    assert.deepEqual([...new Set(offenders)], []);
  });
});
