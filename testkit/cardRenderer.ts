import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { TEAMS_THEMES } from './teamsHostConfig';

/**
 * Renders Adaptive Cards the way a Teams client lays them out, in headless Chromium with the
 * Adaptive Cards JS renderer (the `adaptivecards` devDependency) and the Teams host config colours of
 * testkit/teamsHostConfig.ts: at a given width, in the light or dark theme. Tells how tall a card is
 * and which button titles are cut (an ellipsis), and can save a PNG to look at.
 */

export interface Rendered {
  /** The card's height in CSS pixels. */
  readonly height: number;
  /** Titles of buttons whose text does not fit (shown cut, with an ellipsis). */
  readonly truncated: readonly string[];
  /** Every visible button title, the overflow button ("…") included. */
  readonly buttons: readonly string[];
}

export type Theme = 'light' | 'dark';

/** Teams' host config as the renderer takes it: colours, Segoe UI sizes, six actions, inline ShowCards. */
function hostConfig(theme: Theme): unknown {
  const colors = TEAMS_THEMES[theme];
  // The renderer reads #AARRGGBB, as the designer's configs write them.
  return {
    fontFamily: "'Segoe UI', Tahoma, Geneva, Verdana, sans-serif",
    fontSizes: { small: 12, default: 14, medium: 14, large: 18, extraLarge: 24 },
    fontWeights: { lighter: 200, default: 400, bolder: 600 },
    spacing: { small: 8, default: 12, medium: 16, large: 20, extraLarge: 24, padding: 16 },
    containerStyles: colors,
    actions: {
      maxActions: 6,
      buttonSpacing: 8,
      showCard: { actionMode: 'Inline', inlineTopMargin: 16, style: 'emphasis' },
      actionsOrientation: 'Horizontal',
      actionAlignment: 'Left',
    },
    factSet: { spacing: 16, title: { weight: 'Bolder', wrap: true }, value: { wrap: true } },
  };
}

const RENDERER = (): string =>
  readFileSync(require.resolve('adaptivecards/dist/adaptivecards.min.js'), 'utf8');

/** Runs in the page (no DOM types here): renders the card and measures it and its buttons. */
const IN_PAGE = `({ card, config }) => {
  const adaptive = new AdaptiveCards.AdaptiveCard();
  adaptive.hostConfig = new AdaptiveCards.HostConfig(config);
  adaptive.parse(card);
  const element = adaptive.render();
  document.getElementById('card').appendChild(element);
  const buttons = [...element.querySelectorAll('button')].filter((b) => b.offsetParent);
  // Cut: an ellipsis, or (the renderer does not shrink a row that is too wide) past the card's edge.
  const edge = element.getBoundingClientRect().right;
  const cut = (b) =>
    b.getBoundingClientRect().right > edge + 0.5 ||
    [b, ...b.querySelectorAll('*')].some((e) => e.scrollWidth > e.clientWidth + 1);
  const title = (b) => b.title || (b.textContent || '').trim();
  return {
    height: Math.round(element.getBoundingClientRect().height),
    truncated: buttons.filter(cut).map(title),
    buttons: buttons.map(title),
  };
}`;

/**
 * Renders `card` at `width` px in `theme` on `page` (reused: a single-process Chromium ends with its
 * last page); with `png`, saves a screenshot of it there.
 */
export async function renderCard(
  page: Page,
  card: unknown,
  opts: { width: number; theme: Theme; png?: string },
): Promise<Rendered> {
  await page.setViewportSize({ width: opts.width, height: 800 });
  {
    const background = TEAMS_THEMES[opts.theme].default.backgroundColor;
    await page.setContent(
      `<html><body style="margin:0;background:#${background.slice(-6)}"><div id="card" style="width:${opts.width}px"></div></body></html>`,
    );
    await page.addScriptTag({ content: RENDERER() });
    const arg = JSON.stringify({ card, config: hostConfig(opts.theme) });
    const rendered = (await page.evaluate(`(${IN_PAGE})(${arg})`)) as Rendered;
    if (opts.png) await page.locator('#card').screenshot({ path: opts.png });
    return rendered;
  }
}
