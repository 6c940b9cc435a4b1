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
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Locator, type Page } from 'playwright-core';
import { cards, escapeRegExp, isPage, within } from './cardInputs';

export { launchChromium, openPlayground } from './chromium';
export { cards, fillInput, readInput, type InputValue } from './cardInputs';

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

export function testScreenshotPath(name: string): string {
  return path.resolve(__dirname, '..', 'test-screenshots', name);
}

/** Full-page PNG (creates the folder). */
export async function screenshot(page: Page, file: string): Promise<void> {
  mkdirSync(path.dirname(file), { recursive: true });
  await page.screenshot({ path: file, fullPage: true });
}
