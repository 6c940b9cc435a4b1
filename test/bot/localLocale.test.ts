import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../src/config';
import { World, startWorld } from './world';

/**
 * Issue 29: `npm run dev -- --locale nl-NL` (LOCAL_LOCALE). The Agents Playground always says en-US,
 * so in the local loop the bot reads every activity in the chosen language; nowhere else.
 */
describe('bot: the local loop in Dutch (LOCAL_LOCALE, issue 29)', function () {
  this.timeout(30_000);
  let w: World;

  before(async () => {
    w = await startWorld({
      storage: 'emulators',
      env: { DEMO_SEED: 'true', LOCAL_LOCALE: 'nl-NL' },
    });
  });
  after(async () => {
    await w?.app.invoices.idle();
    await w?.stop();
  });

  it('answers in Dutch what the client sent as en-US', async () => {
    const tenant = w.teams.tenant('contoso');
    const ada = w.teams.user(tenant, 'Ada Admin', { aadObjectId: w.bootstrapAdmins[0] });
    const r = await w.teams.send(ada, ada.personal, 'help', { locale: 'en-US' });
    assert.match(r.text, /Opdrachten/);
    assert.doesNotMatch(r.text, /\bCommands\b/);
  });

  it('is refused outside the local loop, and must name a language the app speaks', () => {
    assert.throws(
      () => loadConfig({ DEMO_SEED: 'false', LOCAL_LOCALE: 'nl-NL' }),
      (e: unknown) => e instanceof ConfigError && e.variable === 'LOCAL_LOCALE',
    );
    assert.throws(() => loadConfig({ LOCAL_LOCALE: 'fr-FR' }), /LOCAL_LOCALE/);
    assert.equal(loadConfig({ LOCAL_LOCALE: 'NL-nl' }).localLocale, 'nl-NL');
    assert.equal(loadConfig({}).localLocale, undefined);
  });
});
