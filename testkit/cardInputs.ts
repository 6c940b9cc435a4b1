/** Filling in and reading an Adaptive Card's inputs in the Agents Playground (see ./browser.ts). */
import { type Locator, type Page } from 'playwright-core';

/** All rendered Adaptive Cards (user and bot messages), oldest first. */
export function cards(page: Page): Locator {
  return page.locator('.ac-adaptiveCard');
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

export function within(scope: Page | Locator, selector: string): Locator {
  return isPage(scope) ? scope.locator(selector) : scope.locator(selector);
}

export function isPage(scope: Page | Locator): scope is Page {
  return typeof (scope as Page).goto === 'function';
}

function exactText(s: string): RegExp {
  return new RegExp(`^\\s*${escapeRegExp(s)}\\s*$`);
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
