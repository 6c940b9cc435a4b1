import assert from 'node:assert/strict';
import type { Claim, DuplicateFlag } from '../../src/domain/claim';
import type { Actor } from '../../src/domain/roles';
import { renderCard } from '../../testkit/cardRenderer';
import { WIDTH, card, draft, owner, renderingPage, reviewer } from './claimCards';

/** Issue 29's height limit for the claim card with 12 documents (rendered.test.ts). */
const MAX_HEIGHT = 900;

/** The claim with 12 documents, submitted, its invoice also on two claims (one not the viewer's). */
const FLAGS: readonly DuplicateFlag[] = [
  { key: `f.${'f'.repeat(64)}`, named: ['CLM-0012'], unnamed: 1 },
  { key: 'n.INV2026117.USD.389700', named: ['CLM-0031'], unnamed: 0 },
];
const submitted = (): Claim => ({ ...draft(12), status: 'submitted' });
const flagged = (who: Actor, locale: 'en-US' | 'nl-NL') => card(submitted(), who, locale, FLAGS);

describe('cards rendered at 340 px: duplicate invoice flags (issue 32)', function () {
  this.timeout(120_000);
  const { page } = renderingPage();

  for (const locale of ['en-US', 'nl-NL'] as const) {
    it(`a reviewer's card with two flags and their buttons: no cut title, at most ${MAX_HEIGHT} px, ${locale}`, async () => {
      const r = await renderCard(page(), flagged(reviewer, locale), {
        width: WIDTH,
        theme: 'light',
      });
      const button =
        locale === 'en-US' ? 'Checked, not a duplicate' : 'Gecontroleerd, geen duplicaat';
      assert.equal(r.buttons.filter((b) => b === button).length, 2, r.buttons.join(', '));
      assert.deepEqual(r.truncated, [], `cut: ${r.truncated.join(', ')}`);
      assert.ok(r.height <= MAX_HEIGHT, `${r.height} px`);
    });

    it(`the owner's card with two flags stays at most ${MAX_HEIGHT} px, ${locale}`, async () => {
      const r = await renderCard(page(), flagged(owner, locale), { width: WIDTH, theme: 'light' });
      assert.ok(r.height <= MAX_HEIGHT, `${r.height} px`);
    });
  }
});
