/**
 * End-to-end support: drives the Agents Playground's web UI (a Teams-like client) in headless
 * Chromium with playwright-core (see chooseBrowser). Start the playground with ./playground.ts first.
 *
 * The UI renders Adaptive Cards with the Fluent UI v9 renderer:
 * - every input has `<label class="ac-richTextBlock" for=ID>` (a required one ends in " *");
 * - Input.Text → `<input type=text>` / `<textarea>` (isMultiline); Input.Number → spin button text box;
 * - Input.Date → Fluent DatePicker: `<input role=combobox aria-haspopup=dialog>` shows "October 1, 2026",
 *   accepts typed M/D/YYYY + Enter (en-US), else a "Calendar" dialog; the card submits YYYY-MM-DD;
 * - Input.ChoiceSet compact → Fluent Combobox `<input role=combobox>`; its popup is a listbox of
 *   `option`s, or for isMultiSelect a menu of `menuitemcheckbox`es; expanded → `role=radiogroup` of
 *   radios, or for isMultiSelect a div of checkboxes (aria-label = choice title);
 * - Input.Toggle → `<input type=checkbox>`; Input.Time → combobox "Select a time..." (30-min options);
 * - a people picker (`choices.data` Data.Query) renders a box the label does not point at: unusable;
 * - actions → `.ac-actionSet button[aria-label=title]`; after an Action.Execute the card is replaced
 *   in place and shows "Your response was sent to the app".
 * Bot messages are `.fai-OutputCard`; the compose box is the Lexical editor
 * `[data-lexical-editor="true"]`; @mentions come from the `#typeahead-menu` menu items.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

/** Debian's and Ubuntu's Chromium, where the machine has one. */
const SYSTEM_CHROMIUM_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** Flags for a system Chromium on a machine with no network but loopback (and as root). */
const SYSTEM_CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export interface BrowserChoice {
  executablePath: string;
  args: string[];
  /** Where it came from, for error messages and logs. */
  source: 'CHROMIUM_PATH' | 'system' | '@sparticuz/chromium';
}

/**
 * Which Chromium to drive, without root: `CHROMIUM_PATH` when set, else a system Chromium, else
 * the headless build that `npm install` brings (@sparticuz/chromium, a devDependency; its first use
 * unpacks it into the temp folder, about 2 s). Throws, saying what was tried, when none can run.
 */
export async function chooseBrowser(env: NodeJS.ProcessEnv = process.env): Promise<BrowserChoice> {
  const explicit = env.CHROMIUM_PATH;
  if (explicit) {
    if (!existsSync(explicit)) throw new Error(`CHROMIUM_PATH=${explicit}: no such file`);
    return { executablePath: explicit, args: SYSTEM_CHROMIUM_ARGS, source: 'CHROMIUM_PATH' };
  }
  const system = SYSTEM_CHROMIUM_PATHS.find((p) => existsSync(p));
  if (system) return { executablePath: system, args: SYSTEM_CHROMIUM_ARGS, source: 'system' };
  try {
    const bundled = (await import('@sparticuz/chromium')).default;
    return {
      executablePath: await bundled.executablePath(),
      args: [...bundled.args, '--disable-background-networking', '--disable-component-update'],
      source: '@sparticuz/chromium',
    };
  } catch (e) {
    throw new Error(
      `No Chromium to run: CHROMIUM_PATH is not set, ${SYSTEM_CHROMIUM_PATHS.join(' and ')} do not exist, ` +
        `and @sparticuz/chromium (a devDependency: run npm install) failed: ${(e as Error).message}`,
    );
  }
}

/**
 * Launches headless Chromium (see chooseBrowser; playwright-core gives every launch a fresh,
 * temporary user-data dir, removed on close). Throws when none can run: never skip silently.
 */
export async function launchChromium(opts: { slowMo?: number } = {}): Promise<Browser> {
  const choice = await chooseBrowser();
  try {
    return await chromium.launch({
      executablePath: choice.executablePath,
      headless: true,
      args: choice.args,
      slowMo: opts.slowMo,
    });
  } catch (e) {
    throw new Error(
      `Chromium from ${choice.source} (${choice.executablePath}) did not start: ${(e as Error).message}`,
    );
  }
}

export interface OpenPlaygroundOptions {
  viewport?: { width: number; height: number };
  /** Default 30 s: the UI is a 9 MB bundle that takes 5–10 s to start on 2 cores. */
  timeoutMs?: number;
}

/**
 * Opens the playground's UI in a new browser context (en-US, UTC) with every non-loopback request
 * blocked (its fonts and animations come from *.cdn.office.net), and waits until the chat list shows.
 */
export async function openPlayground(
  browser: Browser,
  url: string,
  opts: OpenPlaygroundOptions = {},
): Promise<Page> {
  const context = await browser.newContext({
    viewport: opts.viewport ?? { width: 1280, height: 900 },
    locale: 'en-US',
    timezoneId: 'UTC',
  });
  const timeout = opts.timeoutMs ?? 30_000;
  context.setDefaultTimeout(10_000);
  context.setDefaultNavigationTimeout(timeout);
  await context.route(isExternal, (route) => route.abort('blockedbyclient'));
  const page = await context.newPage();
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  await page.getByRole('treeitem', { name: 'Personal Chat' }).waitFor({ timeout });
  return page;
}

/** A network request that leaves the machine (loopback, data: and blob: URLs stay allowed). */
function isExternal(u: URL): boolean {
  if (!['http:', 'https:', 'ws:', 'wss:'].includes(u.protocol)) return false;
  return !LOOPBACK_HOSTS.has(u.hostname);
}

// ---------------------------------------------------------------------------------------------------
// Conversations and the compose box

/** Opens the 1:1 chat of the current user with the bot (the UI then installs the bot there). */
export async function openPersonalChat(page: Page): Promise<void> {
  await openConversation(page, 'Personal Chat');
}

/** Opens the group chat (e.g. "Contoso marketing"). */
export async function openGroupChat(page: Page, name: string): Promise<void> {
  await openConversation(page, name);
}

async function openConversation(page: Page, name: string): Promise<void> {
  await page.getByRole('treeitem', { name: new RegExp(`^${escapeRegExp(name)}\\b`) }).click();
  await composeBox(page).waitFor();
}

/** The chat's compose box; in a channel, the reply box of the newest thread. */
function composeBox(page: Page): Locator {
  return page.locator('[data-lexical-editor="true"]').last();
}

/**
 * Types a message in the open chat and sends it with Enter. `mention`: the name of the bot (or a
 * user) to @mention first, picked from the typeahead menu, as Teams users do in a group chat.
 */
export async function typeMessage(
  page: Page,
  text: string,
  opts: { mention?: string } = {},
): Promise<void> {
  await enterText(page, composeBox(page), text, opts.mention);
  await page.keyboard.press('Enter');
}

/** Starts a new thread in the open channel (the "Start a new post" box, then Post). */
export async function postInChannel(
  page: Page,
  text: string,
  opts: { mention?: string } = {},
): Promise<void> {
  await enterText(page, page.locator('[data-lexical-editor="true"]').first(), text, opts.mention);
  await page.getByRole('button', { name: 'Post', exact: true }).click();
}

async function enterText(
  page: Page,
  box: Locator,
  text: string,
  mention: string | undefined,
): Promise<void> {
  await box.click();
  if (mention) {
    await box.pressSequentially(`@${mention.split(' ')[0]}`);
    // The item's accessible name and text carry the avatar too ("AAdele Vance"): match the end.
    await page
      .locator('#typeahead-menu')
      .getByRole('menuitem')
      .filter({ hasText: new RegExp(`${escapeRegExp(mention)}\\s*$`) })
      .click();
    await box.pressSequentially(' ');
  }
  // insertText is one input event (fast); the editor takes it like typing.
  await page.keyboard.insertText(text);
}

/**
 * Opens the playground's search message extension in the open chat, names the command and its
 * parameter (the playground reads no manifest), types `text` and waits for the first result or
 * "no matches". Returns the search panel.
 */
export async function searchMessageExtension(
  page: Page,
  search: { commandId: string; parameter: string; text: string },
): Promise<Locator> {
  await page.getByRole('button', { name: 'Trigger Message Extension App' }).click();
  await page.getByRole('menuitem', { name: 'Search Command' }).click();
  await page.getByRole('button', { name: 'Specify Command ID or Parameter' }).click();
  await page.getByRole('textbox', { name: 'Command ID' }).fill(search.commandId);
  await page.getByRole('textbox', { name: 'Parameter name' }).fill(search.parameter);
  await page.getByRole('button', { name: 'Specify Command ID or Parameter' }).click();
  const box = page.getByPlaceholder('Enter a search term');
  await box.fill(search.text);
  // The innermost element holding both the panel's title and its search box.
  const panel = page
    .locator('div', { has: box })
    .filter({ hasText: 'Search-Based Message Extension' })
    .last();
  await panel
    .getByText(/ · |didn't find any matches/)
    .first()
    .waitFor();
  return panel;
}

// ---------------------------------------------------------------------------------------------------
// Cards

/** All rendered Adaptive Cards (user and bot messages), oldest first. */
export function cards(page: Page): Locator {
  return page.locator('.ac-adaptiveCard');
}

/**
 * Waits for the newest card containing `text` (a substring or a RegExp of its visible text) and
 * returns it.
 */
export async function waitForCard(
  page: Page,
  text: string | RegExp,
  opts: { timeoutMs?: number } = {},
): Promise<Locator> {
  const card = cards(page).filter({ hasText: text }).last();
  await card.waitFor({ state: 'visible', timeout: opts.timeoutMs ?? 15_000 });
  return card;
}

export type InputValue = string | string[] | boolean;

/**
 * Fills the card input labelled `label` (the Adaptive Card `label`, without the required " *").
 * `scope`: a card (from waitForCard), or the page (then the newest card having that label).
 * Values by input type:
 * - Input.Text / Input.Number: the text;
 * - Input.Date: 'YYYY-MM-DD' (what the card submits);
 * - Input.ChoiceSet: the choice's title as shown (string[] for isMultiSelect: exactly these are
 *   selected afterwards);
 * - Input.Toggle: true/false;
 * - Input.Time: the option as shown, e.g. '9:30 AM'.
 */
export async function fillInput(
  scope: Page | Locator,
  label: string,
  value: InputValue,
): Promise<void> {
  const { card, input } = await findInput(scope, label);
  const page = card.page();
  const role = await input.getAttribute('role');
  const type = await input.getAttribute('type');
  const tag = await input.evaluate((el: { tagName: string }) => el.tagName.toLowerCase());

  if (role === 'radiogroup') {
    const choice = single(value, label);
    await input.getByRole('radio', { name: choice, exact: true }).check();
    return;
  }
  if (tag === 'div') {
    // expanded multi-select choice set: checkboxes
    const wanted = new Set(many(value));
    const boxes = input.getByRole('checkbox');
    const n = await boxes.count();
    const names: string[] = [];
    for (let i = 0; i < n; i++) {
      const box = boxes.nth(i);
      const name = (await box.getAttribute('aria-label')) ?? '';
      names.push(name);
      await box.setChecked(wanted.has(name));
    }
    const unknown = [...wanted].filter((w) => !names.includes(w));
    if (unknown.length) throw new Error(`"${label}": no choice ${unknown.join(', ')} in ${names}`);
    return;
  }
  if (type === 'checkbox') {
    await input.setChecked(value === true || value === 'true');
    return;
  }
  if (role === 'combobox' && (await input.getAttribute('aria-haspopup')) === 'dialog') {
    await fillDate(page, input, single(value, label));
    return;
  }
  if (role === 'combobox') {
    // compact choice set (or time): single → a listbox of `option`s; isMultiSelect → a menu of
    // `menuitemcheckbox`es (aria-checked), which stays open.
    await input.click();
    const checkboxes = page.getByRole('menuitemcheckbox');
    const options = page.getByRole('option');
    await checkboxes.or(options).first().waitFor();
    if ((await checkboxes.count()) > 0) {
      const wanted = new Set(many(value));
      const names: string[] = [];
      for (const item of await checkboxes.all()) {
        const name = ((await item.textContent()) ?? '').trim();
        names.push(name);
        const checked = (await item.getAttribute('aria-checked')) === 'true';
        if (checked !== wanted.has(name)) await item.click();
      }
      const unknown = [...wanted].filter((w) => !names.includes(w));
      if (unknown.length)
        throw new Error(`"${label}": no choice ${unknown.join(', ')} in ${names}`);
    } else {
      await options.filter({ hasText: exactText(single(value, label)) }).click();
    }
    if ((await input.getAttribute('aria-expanded')) === 'true') await page.keyboard.press('Escape');
    return;
  }
  await input.fill(single(value, label));
}

/**
 * Clicks the card action (button) titled `name` in `scope` (a card, or the page: the newest card).
 * `row`: for a button repeated per item (e.g. **Open** per claim), the one in the innermost block
 * that also contains this text (e.g. 'CLM-0042').
 */
export async function clickCardButton(
  scope: Page | Locator,
  name: string,
  opts: { row?: string | RegExp } = {},
): Promise<void> {
  const root = isPage(scope) ? cards(scope) : scope;
  const buttonIn = (l: Page | Locator) =>
    within(l, '.ac-actionSet').getByRole('button', { name, exact: true });
  if (opts.row === undefined) {
    const shown = buttonIn(root).last();
    if ((await shown.count()) === 0 || !(await shown.isVisible())) {
      // A `mode: secondary` action sits in the overflow menu ("…"): open it, pick the item.
      if (await openOverflowFor(root, name)) return;
    }
    await shown.click();
    return;
  }
  const block = root
    .locator('div')
    .filter({ hasText: opts.row, has: buttonIn(root.page()) })
    .last();
  await buttonIn(block).first().click();
}

/**
 * Opens the card's overflow menu ("…", the renderer's place for `mode: secondary` actions) and
 * clicks its item `name`. False when the card has no overflow button or no such item in it.
 */
async function openOverflowFor(card: Locator, name: string): Promise<boolean> {
  const more = within(card, '.ac-actionSet')
    .getByRole('button', { name: /^(…|\.\.\.|more( options)?)$/i })
    .last();
  if ((await more.count()) === 0) return false;
  await more.click();
  const page = card.page();
  const item = page
    .getByRole('menuitem', { name, exact: true })
    .or(page.getByRole('menu').getByRole('button', { name, exact: true }))
    .last();
  const opened = await item.waitFor({ state: 'visible', timeout: 5000 }).then(
    () => true,
    () => false,
  );
  if (!opened) {
    await page.keyboard.press('Escape');
    return false;
  }
  await item.click();
  return true;
}

/**
 * The current value of the input labelled `label`, as the user sees it: text; a date as
 * 'YYYY-MM-DD' ('' when empty); the checked choice titles for an expanded choice set (radio: one
 * string); true/false for a toggle; the shown text for a compact choice set.
 */
export async function readInput(scope: Page | Locator, label: string): Promise<InputValue> {
  const { input } = await findInput(scope, label);
  const role = await input.getAttribute('role');
  const type = await input.getAttribute('type');
  if (role === 'radiogroup') {
    for (const radio of await input.getByRole('radio').all()) {
      if (!(await radio.isChecked())) continue;
      const id = await radio.getAttribute('id');
      return ((await input.locator(`label[for="${id}"]`).textContent()) ?? '').trim();
    }
    return '';
  }
  if (type === 'checkbox') return input.isChecked();
  if (role === null && type === null) {
    const checked: string[] = [];
    for (const box of await input.getByRole('checkbox').all()) {
      if (await box.isChecked()) checked.push((await box.getAttribute('aria-label')) ?? '');
    }
    return checked;
  }
  const value = await input.inputValue();
  if (role === 'combobox' && (await input.getAttribute('aria-haspopup')) === 'dialog') {
    const m = /^(\w+) (\d{1,2}), (\d{4})$/.exec(value);
    if (!m) return value;
    const month = String(MONTHS.indexOf(m[1]) + 1).padStart(2, '0');
    return `${m[3]}-${month}-${m[2].padStart(2, '0')}`;
  }
  return value;
}

/**
 * Where a test keeps the screenshot of what it saw: dist/test-screenshots/ in the checkout (never a
 * fixed path in /tmp, which another user's run may own).
 */
export function testScreenshotPath(name: string): string {
  return path.resolve(__dirname, '..', 'test-screenshots', name);
}

/** Full-page PNG (creates the folder). */
export async function screenshot(page: Page, file: string): Promise<void> {
  mkdirSync(path.dirname(file), { recursive: true });
  await page.screenshot({ path: file, fullPage: true });
}

// ---------------------------------------------------------------------------------------------------
// helpers

/** How long an input may take to appear after its label. */
const INPUT_RENDER_TIMEOUT_MS = 5_000;

async function findInput(
  scope: Page | Locator,
  label: string,
): Promise<{ card: Locator; input: Locator }> {
  const labelRe = new RegExp(`^\\s*${escapeRegExp(label)}(\\s*\\*)?\\s*$`);
  const labelIn = (l: Page | Locator) =>
    within(l, 'label.ac-richTextBlock').filter({ hasText: labelRe });
  const card = isPage(scope)
    ? cards(scope)
        .filter({ has: labelIn(scope) })
        .last()
    : scope;
  const labels = labelIn(card);
  await labels.first().waitFor({ state: 'visible' });
  if ((await labels.count()) > 1) throw new Error(`several inputs labelled "${label}" in the card`);
  const id = await labels.getAttribute('for');
  if (!id) throw new Error(`label "${label}" has no input (for=)`);
  const input = card.locator(`[id="${id}"]`);
  // The renderer shows a label a moment before its input on a busy machine: wait for the input.
  await input.waitFor({ state: 'attached', timeout: INPUT_RENDER_TIMEOUT_MS }).catch(() => {
    throw new Error(
      `input of "${label}" not rendered within ${INPUT_RENDER_TIMEOUT_MS} ms (a people picker? not supported offline)`,
    );
  });
  return { card, input };
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

async function fillDate(page: Page, input: Locator, iso: string): Promise<void> {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) throw new Error(`date "${iso}": use YYYY-MM-DD`);
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const shown = `${MONTHS[month - 1]} ${day}, ${year}`;
  // 1. Type it, as a keyboard user does (the picker parses M/D/YYYY in en-US).
  await input.fill(`${month}/${day}/${year}`);
  await input.press('Enter');
  await closeCalendar(page);
  if ((await input.inputValue()) === shown) return;
  // 2. Pick it in the calendar.
  await input.click();
  const calendar = page.getByRole('dialog', { name: 'Calendar' });
  await calendar.waitFor();
  for (let i = 0; i < 240; i++) {
    const header = (await calendar.getByRole('button').first().getAttribute('aria-label')) ?? '';
    const h = /^(\w+) (\d{4})$/.exec(header);
    if (!h) throw new Error(`unexpected calendar header "${header}"`);
    const diff = year * 12 + (month - 1) - (Number(h[2]) * 12 + MONTHS.indexOf(h[1]));
    if (diff === 0) break;
    await calendar
      .getByRole('button', { name: diff < 0 ? /^Previous month/ : /^Next month/ })
      .click();
  }
  await calendar
    .getByRole('button', { name: `${day}, ${MONTHS[month - 1]}, ${year}`, exact: true })
    .click();
  await closeCalendar(page);
  const value = await input.inputValue();
  if (value !== shown) throw new Error(`date input shows "${value}" instead of "${shown}"`);
}

async function closeCalendar(page: Page): Promise<void> {
  const calendar = page.getByRole('dialog', { name: 'Calendar' });
  if (await calendar.isVisible()) await page.keyboard.press('Escape');
  await calendar.waitFor({ state: 'hidden' });
}

function single(value: InputValue, label: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if (value.length === 1) return value[0];
  throw new Error(`"${label}" takes one value, got ${value.length}`);
}

function many(value: InputValue): string[] {
  if (Array.isArray(value)) return value;
  return [String(value)];
}

function within(scope: Page | Locator, selector: string): Locator {
  return isPage(scope) ? scope.locator(selector) : scope.locator(selector);
}

function isPage(scope: Page | Locator): scope is Page {
  return typeof (scope as Page).goto === 'function';
}

function exactText(s: string): RegExp {
  return new RegExp(`^\\s*${escapeRegExp(s)}\\s*$`);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
