import path from 'node:path';
import type { Browser, Page } from 'playwright-core';

/**
 * Renders Adaptive Card JSON with the `adaptivecards` JS renderer in a blank page, with a host
 * config close to Teams' light or dark theme, at Teams' message width. For pictures of cards in a
 * theme the Agents Playground does not offer (it has no dark theme), and for measuring cards.
 */
export type Theme = 'light' | 'dark';

interface Palette {
  readonly background: string;
  readonly emphasis: string;
  readonly colors: Readonly<Record<string, { default: string; subtle: string }>>;
}

/** Teams' foreground colours per theme (Fluent UI tokens Teams uses for cards). */
const PALETTES: Readonly<Record<Theme, Palette>> = {
  light: {
    background: '#ffffff',
    emphasis: '#f5f5f5',
    colors: {
      default: { default: '#242424', subtle: '#616161' },
      dark: { default: '#242424', subtle: '#616161' },
      light: { default: '#ffffff', subtle: '#e0e0e0' },
      accent: { default: '#5b5fc7', subtle: '#4f52b2' },
      good: { default: '#0e700e', subtle: '#107c10' },
      warning: { default: '#835b00', subtle: '#8a5d00' },
      attention: { default: '#c4314b', subtle: '#b10e1c' },
    },
  },
  dark: {
    background: '#292929',
    emphasis: '#1f1f1f',
    colors: {
      default: { default: '#ffffff', subtle: '#d6d6d6' },
      dark: { default: '#ffffff', subtle: '#d6d6d6' },
      light: { default: '#ffffff', subtle: '#d6d6d6' },
      accent: { default: '#a6a7dc', subtle: '#c5c5ec' },
      good: { default: '#92c353', subtle: '#a7d07a' },
      warning: { default: '#f8d22a', subtle: '#f9dc5c' },
      attention: { default: '#f9526b', subtle: '#fc7a8e' },
    },
  },
};

/** The Adaptive Cards host config of a Teams theme. */
export function teamsHostConfig(theme: Theme): Record<string, unknown> {
  const p = PALETTES[theme];
  const foregroundColors = p.colors;
  const style = (backgroundColor: string) => ({ backgroundColor, foregroundColors });
  return {
    fontFamily: "'Segoe UI', system-ui, -apple-system, 'Helvetica Neue', sans-serif",
    supportsInteractivity: true,
    containerStyles: {
      default: style(p.background),
      emphasis: style(p.emphasis),
      accent: style(theme === 'light' ? '#e8ebfa' : '#2f2f4a'),
      good: style(theme === 'light' ? '#e7f2da' : '#1d3b1d'),
      warning: style(theme === 'light' ? '#fbf6d9' : '#463f1a'),
      attention: style(theme === 'light' ? '#fcf4f6' : '#3e1f25'),
    },
    actions: { maxActions: 6, buttonSpacing: 8, actionsOrientation: 'horizontal' },
    spacing: { small: 4, default: 8, medium: 16, large: 20, extraLarge: 24, padding: 16 },
  };
}

/** Buttons as Teams draws them: outlined, rounded; the primary (positive) one filled. */
const BUTTON_CSS = [
  '.ac-pushButton { font: 600 14px "Segoe UI", system-ui, sans-serif; padding: 5px 12px;',
  '  border-radius: 4px; border: 1px solid var(--line); background: var(--button);',
  '  color: var(--text); cursor: pointer; overflow: hidden; text-overflow: ellipsis; }',
  '.ac-pushButton.style-positive { background: var(--primary); border-color: var(--primary); color: #fff; }',
  '.ac-pushButton.style-destructive { color: var(--attention); }',
  'body.light { --line: #d1d1d1; --button: #ffffff; --text: #242424; --primary: #5b5fc7; --attention: #c4314b; }',
  'body.dark { --line: #666666; --button: #292929; --text: #ffffff; --primary: #5b5fc7; --attention: #f9526b; }',
  'input, textarea, select { font: 14px system-ui, sans-serif; }',
].join('\n');

/** Teams' chat message width for a card. */
export const TEAMS_CARD_WIDTH = 500;

const RENDERER = path.join(
  path.dirname(require.resolve('adaptivecards/package.json')),
  'dist',
  'adaptivecards.js',
);

/** A page ready to render cards (one per theme change is cheap: the renderer stays loaded). */
export async function cardPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 900, height: 1200 } });
  const page = await context.newPage();
  await page.setContent(
    `<!doctype html><html><head><style>${BUTTON_CSS}</style></head><body style="margin:0"><div id="card"></div></body></html>`,
  );
  await page.addScriptTag({ path: RENDERER });
  return page;
}

/** Renders `card` in `theme` at `width` px and writes a PNG of it to `file`. */
export async function renderCardPng(
  page: Page,
  card: unknown,
  o: { theme: Theme; file: string; width?: number },
): Promise<void> {
  const config = teamsHostConfig(o.theme);
  const width = o.width ?? TEAMS_CARD_WIDTH;
  await page.evaluate(
    ({ card, config, width, background, theme }) => {
      // In the page: its globals (the renderer, the DOM), untyped here (no DOM lib in this project).
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const g = globalThis as any;
      const AC = g.AdaptiveCards;
      // Bold, italics and backslash escapes as Teams shows them; everything else stays text.
      AC.AdaptiveCard.onProcessMarkdown = (text: string, result: Record<string, unknown>) => {
        const escaped = text.replace(/[&<>]/g, (c) => `&#${c.charCodeAt(0)};`);
        result.outputHtml = escaped
          .replace(/\*\*(.+?)\*\*/g, '<b>$1</b>')
          .replace(/(^|\s)_(.+?)_(?=\s|$)/g, '$1<i>$2</i>')
          .replace(/\\([\\`*_{}[\]()#+\-.!|~])/g, '$1');
        result.didProcess = true;
      };
      const host = g.document.getElementById('card');
      host.style.width = `${width}px`;
      host.style.padding = '12px';
      host.style.background = background;
      g.document.body.style.background = background;
      g.document.body.className = theme;
      const adaptive = new AC.AdaptiveCard();
      adaptive.hostConfig = new AC.HostConfig(config);
      adaptive.parse(card);
      host.replaceChildren(adaptive.render());
    },
    { card, config, width, background: PALETTES[o.theme].background, theme: o.theme },
  );
  await page.locator('#card').screenshot({ path: o.file });
}
