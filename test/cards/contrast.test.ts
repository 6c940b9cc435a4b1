import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  CONTAINER_STYLES,
  ContainerStyle,
  SHOW_CARD_STYLE,
  TEAMS_THEMES,
  TEXT_COLORS,
  TextColor,
  contrast,
} from '../../testkit/teamsHostConfig';

/** WCAG 2 AA for normal text. */
const MIN_CONTRAST = 4.5;
const TEMPLATES = join(__dirname, '..', '..', '..', 'cards');
/** Elements that take a container style (a background). */
const STYLED = new Set(['Container', 'Column', 'ColumnSet', 'Table', 'TableCell']);
const COLOUR_KEYS = ['color', 'style', 'backgroundColor'];

type Node = Record<string, unknown>;

/** The names a property can take: a literal, the quoted names of an `${if(...)}`, or any. */
function possible<T extends string>(value: unknown, names: readonly T[], fallback: T): T[] {
  if (value === undefined) return [fallback];
  const text = String(value);
  // A name the host does not know (or a hex colour, reported apart) has no shades to check.
  if (!text.includes('${')) return names.filter((n) => n === text.toLowerCase());
  const quoted = [...text.matchAll(/'(\w+)'/g)].map((m) => m[1].toLowerCase() as T);
  const known = quoted.filter((q) => names.includes(q));
  // A colour bound to data could be any: only named colours the template spells out are checked.
  return known.length ? known : [...names];
}

const subtleness = (value: unknown): boolean[] =>
  value === undefined || value === false ? [false] : value === true ? [true] : [false, true];

/** Every text colour of the template below 4.5:1 in Teams' light or dark theme, and every hex colour. */
function contrastProblems(template: unknown): string[] {
  const out: string[] = [];
  const check = (
    where: string,
    styles: ContainerStyle[],
    colors: TextColor[],
    subtle: boolean[],
  ) => {
    for (const [themeName, theme] of Object.entries(TEAMS_THEMES)) {
      for (const style of styles) {
        const container = theme[style];
        for (const color of colors) {
          for (const s of subtle) {
            const shades = container.foregroundColors[color];
            const ratio = contrast(s ? shades.subtle : shades.default, container.backgroundColor);
            if (ratio < MIN_CONTRAST) {
              const name = `${color}${s ? ' subtle' : ''}`;
              out.push(`${where}: ${name} on ${style} in ${themeName}, ${ratio.toFixed(2)}:1`);
            }
          }
        }
      }
    }
  };
  const go = (node: unknown, styles: ContainerStyle[], where: string): void => {
    if (Array.isArray(node)) return node.forEach((n, i) => go(n, styles, `${where}[${i}]`));
    if (!node || typeof node !== 'object') return;
    const n = node as Node;
    for (const key of COLOUR_KEYS) {
      if (typeof n[key] === 'string' && /#[0-9a-f]{3,8}\b/i.test(n[key])) {
        out.push(`${where}: hex colour ${key} ${n[key]}`);
      }
    }
    let inner = styles;
    if (n.type === 'AdaptiveCard' && where !== '') inner = [SHOW_CARD_STYLE];
    if (STYLED.has(String(n.type)) && n.style !== undefined) {
      inner = possible(n.style, CONTAINER_STYLES, 'default');
    }
    const here = `${where}/${String(n.type ?? '')}`;
    if (n.type === 'TextBlock' || n.type === 'TextRun') {
      check(here, inner, possible(n.color, TEXT_COLORS, 'default'), subtleness(n.isSubtle));
    } else if (n.type === 'FactSet' || String(n.type).startsWith('Input.')) {
      check(here, inner, ['default'], [false]);
    }
    for (const [key, value] of Object.entries(n)) go(value, inner, `${here}.${key}`);
  };
  go(template, ['default'], '');
  return out;
}

describe('cards: text contrast in Teams light and dark themes (WCAG 4.5:1, issue 29)', () => {
  it('the checker finds low contrast, colours bound to data and hex colours', () => {
    const card = {
      type: 'AdaptiveCard',
      body: [
        { type: 'TextBlock', text: 'x', color: 'Warning' },
        { type: 'TextBlock', text: 'x', color: '${tone}' },
        { type: 'Container', style: 'emphasis', items: [{ type: 'TextBlock', color: '#f8d22a' }] },
      ],
    };
    const found = contrastProblems(card).join('\n');
    assert.match(found, /warning on default in light, 1\.\d\d:1/);
    assert.match(found, /body\[1\]\/TextBlock: good on default in light/);
    assert.match(found, /hex colour color #f8d22a/);
    assert.deepEqual(contrastProblems({ type: 'AdaptiveCard', body: [{ type: 'TextBlock' }] }), []);
  });

  it('the host colours are those of the designer: Teams light text on white is 15.5:1', () => {
    const light = TEAMS_THEMES.light.default;
    const ratio = contrast(light.foregroundColors.default.default, light.backgroundColor);
    assert.equal(ratio.toFixed(1), '15.5');
  });

  const files = readdirSync(TEMPLATES).filter((f) => f.endsWith('.json'));
  it('finds every template', () => assert.ok(files.length >= 16, files.join(', ')));
  for (const file of files) {
    it(file, () => {
      const template: unknown = JSON.parse(readFileSync(join(TEMPLATES, file), 'utf8'));
      assert.deepEqual(contrastProblems(template), []);
    });
  }
});
