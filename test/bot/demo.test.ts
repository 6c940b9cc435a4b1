import assert from 'node:assert/strict';
import type { Claim } from '../../src/domain/claim';
import { money } from '../../src/domain/money';
import { DEMO_CLAIMS } from '../../src/demo/demoClaims';
import { DEMO_TENANT_ID, DEMO_USERS } from '../../src/demo/seed';
import { Chat, TeamsUser, Tenant } from '../support/teams';
import { World, grant, startWorld } from './world';

const DEMO: Tenant = { id: DEMO_TENANT_ID, name: 'contoso' };

describe('bot: the local demo (help, welcome, reset demo)', function () {
  this.timeout(30_000);
  let w: World;
  let megan: TeamsUser;
  let adele: TeamsUser;
  let isaiah: TeamsUser;
  let lynne: TeamsUser;
  let group: Chat;

  const demoUser = (first: string): TeamsUser => {
    const u = DEMO_USERS.find((d) => d.name.startsWith(`${first} `));
    assert.ok(u);
    return w.teams.user(DEMO, u.name, { aadObjectId: u.id });
  };

  /** The demo tenant's claims by number: status, history length and whether it was reviewed. */
  const claimsState = async (): Promise<string[]> => {
    const page = await w.app.services.claims.list(DEMO_TENANT_ID, { kind: 'tenant' }, { size: 50 });
    const claims = await Promise.all(
      page.items.map((s) => w.app.services.claims.get(DEMO_TENANT_ID, s.number)),
    );
    return claims
      .filter((c): c is Claim => c !== undefined)
      .map((c) => `${c.number} ${c.status} ${c.history.length} ${c.title}`)
      .sort();
  };

  before(async () => {
    w = await startWorld({ storage: 'emulators', env: { DEMO_SEED: 'true' } });
    megan = demoUser('Megan');
    adele = demoUser('Adele');
    isaiah = demoUser('Isaiah');
    lynne = demoUser('Lynne');
    group = w.teams.groupChat(DEMO, [megan, adele, isaiah, lynne]);
  });
  after(async () => {
    // The seed has the bot read its invoices in the background; a stopping app waits for them.
    await w?.app.invoices.idle();
    await w?.stop();
  });

  it('points to the demo in help and in the welcome on install, only in the demo tenant', async () => {
    const help = await w.teams.send(adele, adele.personal, 'help');
    assert.match(help.text, /This is the local demo: try \*\*claims\*\*/);
    const welcome = await w.teams.addBot(isaiah, isaiah.personal);
    assert.match(welcome.text, /Welcome to Co-op Claims!/);
    assert.match(welcome.text, /npm run dev -- --as reviewer/);

    const other = w.teams.tenant('fabrikam');
    const admin = w.teams.user(other, 'Fay Admin', { aadObjectId: w.bootstrapAdmins[0] });
    const elsewhere = await w.teams.send(admin, admin.personal, 'help');
    assert.match(elsewhere.text, /Your roles: Global admin/);
    assert.doesNotMatch(elsewhere.text, /local demo/);
  });

  it('refuses reset demo to anyone but a global admin of the demo, changing nothing', async () => {
    const before = await claimsState();
    const notAdmin = await w.teams.send(adele, adele.personal, 'reset demo');
    assert.match(notAdmin.text, /You are not allowed to do that\./);

    const other = w.teams.tenant('northwind');
    const admin = w.teams.user(other, 'Nora Admin', { aadObjectId: w.bootstrapAdmins[0] });
    const outside = await w.teams.send(admin, admin.personal, 'reset demo');
    assert.match(outside.text, /reset demo works only in the local demo/);

    const noRole = await w.teams.send(lynne, lynne.personal, 'reset demo');
    assert.match(noRole.text, /no role/i);
    assert.deepEqual(await claimsState(), before);
  });

  it('puts claims, funds and roles back as the seed made them; the caches follow', async () => {
    const seeded = await claimsState();
    assert.equal(seeded.length, DEMO_CLAIMS.length);

    // What a newcomer might do: review a claim, grant a role, add a fund and a claim.
    const submitted = seeded.find((s) => / submitted /.test(s))?.split(' ')[0];
    assert.ok(submitted);
    const open = await w.teams.send(isaiah, isaiah.personal, `claim ${submitted}`);
    const reviewed = await w.teams.click(isaiah, isaiah.personal, open, 'Start review');
    assert.match(reviewed.text, /Under review/);
    await grant(w, megan, group, lynne, 'reviewer');
    await w.app.services.funds.create({
      id: 'extra-fund',
      tenantId: DEMO_TENANT_ID,
      name: 'Extra fund',
      periodStart: '2026-01-01',
      periodEnd: '2027-12-31',
      allocated: money(100_000, 'USD'),
      createdBy: { id: megan.aadObjectId, name: megan.name },
      createdAt: new Date().toISOString(),
    });
    assert.equal((await w.app.services.funds.list(DEMO_TENANT_ID)).length, 4);
    const created = await w.teams.send(megan, megan.personal, 'new claim');
    const claim = await w.teams.click(megan, megan.personal, created, 'Create claim', {
      Title: 'Added after the seed',
      'Activity start': '2026-11-01',
      'Activity end': '2026-11-02',
      Amount: '100',
    });
    assert.match(claim.text, /Added after the seed/);
    assert.notDeepEqual(await claimsState(), seeded);

    const started = performance.now();
    const reset = await w.teams.send(megan, megan.personal, 'reset demo');
    const ms = performance.now() - started;
    // An answer well inside Teams' 15 s (it retries after that), also on a busy machine.
    assert.ok(ms < 10_000, `reset demo took ${Math.round(ms)} ms`);
    assert.match(
      reset.text,
      new RegExp(`The demo is back as it started: ${DEMO_CLAIMS.length} claims`),
    );
    assert.deepEqual(await claimsState(), seeded);
    assert.deepEqual((await w.app.services.funds.list(DEMO_TENANT_ID)).map((f) => f.name).sort(), [
      'FY27 Co-op fund',
      'FY27 Events fund',
      'FY27 Partner marketing (50 %)',
    ]);
    assert.deepEqual(
      (await w.app.services.users.get(DEMO_TENANT_ID, lynne.aadObjectId))?.roles,
      [],
    );
    const overview = await w.teams.send(megan, megan.personal, 'claims');
    assert.doesNotMatch(overview.text, /Added after the seed/);
    let blobs = 0;
    for await (const _blob of w.app.services.files.list(`${DEMO_TENANT_ID}/`)) blobs += 1;
    const documents = DEMO_CLAIMS.flatMap((c) => c.steps.filter((s) => s.kind === 'document'));
    assert.equal(blobs, documents.length, 'the files of the demo, and no others');

    // The reviewer starts the same review again, on the claim as the seed made it.
    const again = await w.teams.send(isaiah, isaiah.personal, `claim ${submitted}`);
    assert.match(again.text, /Submitted/);
    const restarted = await w.teams.click(isaiah, isaiah.personal, again, 'Start review');
    assert.match(restarted.text, /Under review/);
    const stored = await w.app.services.claims.get(DEMO_TENANT_ID, submitted);
    assert.equal(stored?.status, 'underReview');
    assert.equal(stored?.history.filter((e) => e.kind === 'reviewStarted').length, 1);
  });
});
