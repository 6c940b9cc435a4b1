import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { AdaptiveCard } from '../../cards';
import { WIDTH, admin, card, draft, owner, reviewer, renderingPage } from './claimCards';
import { Theme, renderCard } from '../../testkit/cardRenderer';

/** Issue 29's done-when: the claim card of a claim with 12 documents fits this height at 340 px. */
const MAX_HEIGHT = 900;

describe('cards rendered at 340 px, light and dark (issue 29)', function () {
  this.timeout(120_000);
  const { page: currentPage, shots } = renderingPage();

  const views: [string, () => AdaptiveCard][] = [
    ['owner-12-documents', () => card(draft(12), owner)],
    ['owner-empty', () => card(draft(0), owner)],
    ['owner-12-documents-nl', () => card(draft(12), owner, 'nl-NL')],
    ['admin-12-documents', () => card(draft(12), admin)],
  ];
  for (const theme of ['light', 'dark'] as Theme[]) {
    for (const [name, make] of views) {
      it(`${name}, ${theme}: every button title in full`, async () => {
        const r = await renderCard(currentPage(), make(), {
          width: WIDTH,
          theme,
          png: join(shots, `${name}-${theme}.png`),
        });
        assert.deepEqual(
          r.truncated,
          [],
          `cut: ${r.truncated.join(', ')} of ${r.buttons.join(', ')}`,
        );
      });
    }
  }

  for (const theme of ['light', 'dark'] as Theme[]) {
    for (const locale of ['en-US', 'nl-NL'] as const) {
      it(`the claim card with 12 documents is at most ${MAX_HEIGHT} px tall, ${theme}, ${locale}`, async () => {
        const r = await renderCard(currentPage(), card(draft(12), owner, locale), {
          width: WIDTH,
          theme,
        });
        assert.ok(r.height <= MAX_HEIGHT, `${r.height} px`);
      });
    }
  }

  it('the renderer finds a cut button title', async () => {
    const long = {
      type: 'AdaptiveCard',
      version: '1.5',
      body: [{ type: 'TextBlock', text: 'A claim' }],
      actions: ['Request information', 'Approve this claim now', 'Reject'].map((title) => ({
        type: 'Action.Execute',
        verb: 'x',
        title,
      })),
    };
    const r = await renderCard(currentPage(), long, { width: WIDTH, theme: 'light' });
    assert.ok(r.truncated.length > 0, r.buttons.join(', '));
  });

  it('a reviewer sees the same claim without a cut title', async () => {
    const r = await renderCard(currentPage(), card(draft(12), reviewer), {
      width: WIDTH,
      theme: 'light',
    });
    assert.deepEqual(r.truncated, []);
  });
});
