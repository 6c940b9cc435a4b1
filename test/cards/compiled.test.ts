import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Expression, ExpressionType } from 'adaptive-expressions';
import { Template } from 'adaptivecards-templating';
import fc from 'fast-check';
import { compileTemplate, prepareTemplate } from '../../cards/compiled';

/**
 * The compiled renderer must expand every card exactly as adaptivecards-templating does: for any
 * data shaped like what the card's bindings read (fields present or missing, of any type), and for
 * the corner cases of the template language, both give the same JSON or both throw.
 */

const CARDS_DIR = path.resolve(__dirname, '../../../cards');
/** Random data sets per card: each one expanded by the library and by the compiled renderer. */
const RUNS = 150;

/** What each scope of a template reads: fields, and the item shape of lists bound with `$data`. */
interface Shape {
  readonly fields: Map<string, Shape>;
  item?: Shape;
}
const newShape = (): Shape => ({ fields: new Map() });

function field(shape: Shape, name: string): Shape {
  let child = shape.fields.get(name);
  if (!child) shape.fields.set(name, (child = newShape()));
  return child;
}

/** `a.b[0].c` as parts, with `[]` for an element access; undefined if not a plain path. */
function chain(e: Expression, into: string[], visit: (e: Expression) => void): boolean {
  if (e.type === ExpressionType.Accessor) {
    into.unshift(String((e.children[0] as unknown as { value: unknown }).value));
    return e.children[1] ? chain(e.children[1], into, visit) : true;
  }
  if (e.type === ExpressionType.Element) {
    visit(e.children[1]);
    into.unshift('[]');
    return chain(e.children[0], into, visit);
  }
  return false;
}

/** Records the paths an expression reads in `scope` (or the root). */
function readPaths(e: Expression, scope: Shape, root: Shape): Shape | undefined {
  const parts: string[] = [];
  const visit = (x: Expression): void => void readPaths(x, scope, root);
  if (!chain(e, parts, visit)) {
    e.children.forEach(visit);
    return undefined;
  }
  const first = parts[0].toLowerCase();
  if (first === '$index') return undefined;
  let shape = first === '$root' ? root : scope;
  for (const part of first.startsWith('$') ? parts.slice(1) : parts) {
    shape = part === '[]' ? (shape.item ??= newShape()) : field(shape, part);
  }
  return shape;
}

function collect(node: unknown, scope: Shape, root: Shape): void {
  if (node instanceof Expression) readPaths(node, scope, root);
  else if (Array.isArray(node)) node.forEach((n) => collect(n, scope, root));
  else if (node && typeof node === 'object') {
    const record = node as Record<string, unknown>;
    let inner = scope;
    if (record.$data instanceof Expression) {
      const list = readPaths(record.$data, scope, root);
      if (list) inner = list.item ??= newShape();
    }
    for (const [key, value] of Object.entries(record)) {
      if (key !== '$data') collect(value, inner, root);
    }
  }
}

function shapeOf(template: unknown): Shape {
  const root = newShape();
  collect(prepareTemplate(template), root, root);
  return root;
}

/** Any value a binding might meet: text (with template and markdown syntax), numbers, and more. */
const leaf: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom('', 'x', 'Q3 ${title} **bold**', 'Zoë – “quoted”', '0'),
  fc.integer({ min: -2, max: 3 }),
  fc.double({ noNaN: true, min: -10, max: 10 }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.constantFrom('a', 'b', ''), { maxLength: 2 }),
);

function dataOf(shape: Shape): fc.Arbitrary<unknown> {
  const options: fc.Arbitrary<unknown>[] = [];
  if (shape.fields.size > 0) {
    const fields = Object.fromEntries([...shape.fields].map(([k, s]) => [k, dataOf(s)]));
    options.push(fc.record(fields, { requiredKeys: [] }));
  }
  if (shape.item) options.push(fc.array(dataOf(shape.item), { maxLength: 3 }));
  return options.length === 0
    ? leaf
    : fc.oneof({ weight: 8, arbitrary: fc.oneof(...options) }, leaf);
}

/** What an expansion gives: its JSON, or that it threw (and with which message). */
function outcome(expand: () => unknown): { json?: string; threw?: string } {
  try {
    return { json: JSON.stringify(expand()) };
  } catch (e) {
    return { threw: e instanceof Error ? e.message : String(e) };
  }
}

function sameAsLibrary(template: unknown): (data: unknown) => void {
  const library = new Template(template);
  const compiled = compileTemplate(template);
  return (data) =>
    assert.deepEqual(
      outcome(() => compiled(data)),
      outcome(() => library.expand({ $root: data })),
      `data: ${JSON.stringify(data)}`,
    );
}

describe('compiled card templates', () => {
  const files = readdirSync(CARDS_DIR).filter((f) => f.endsWith('.json'));

  it('finds every card template', () => {
    assert.ok(files.length >= 10, files.join(', '));
  });

  for (const file of files) {
    it(`${file}: the same card as Template.expand for any data of its shape`, () => {
      const template = JSON.parse(readFileSync(path.join(CARDS_DIR, file), 'utf8')) as unknown;
      const shape = shapeOf(template);
      assert.ok(shape.fields.size > 0, 'the template reads data');
      fc.assert(
        fc.property(
          fc.record(Object.fromEntries([...shape.fields].map(([k, s]) => [k, dataOf(s)])), {
            requiredKeys: [],
          }),
          sameAsLibrary(template),
        ),
        { numRuns: RUNS },
      );
    });
  }

  const corners: [string, unknown, unknown][] = [
    ['a missing field shows its binding', { text: '${title}', more: 'a ${x.y} b' }, {}],
    ['a null field', { text: '${title}', also: 'a ${title} b' }, { title: null }],
    ['null in a sentence throws', { text: 'a ${title} b' }, { title: null }],
    [
      'numbers, booleans and lists',
      { n: '${n}', s: 'n=${n} b=${b} l=${l}', b: '${b}' },
      { n: 2.5, b: false, l: ['x', 'y'] },
    ],
    ['names match case-insensitively', { text: '${Title} ${$ROOT.TITLE}' }, { title: 'T' }],
    [
      'element access',
      { a: '${list[1].v}', b: '${list[5].v}', c: "${m['k']}" },
      { list: [{ v: 1 }, { v: 2 }], m: { k: 'K' } },
    ],
    [
      'operators and functions',
      { $when: '${count(list) > 1 && flag}', x: '${list[0] == 1}' },
      { list: [1, 2], flag: true },
    ],
    ['a failing function in a sentence shows its text', { text: 'a ${count(n)} b' }, { n: 3 }],
    ['a failing function as a value throws', { text: '${count(n)}' }, { n: 3 }],
    [
      '$when not a boolean drops',
      {
        body: [
          { $when: '${n}', t: 'a' },
          { $when: true, t: 'b' },
          { $when: '${yes}', t: 'c' },
        ],
      },
      { n: 1, yes: true },
    ],
    [
      '$data lists, nested, with $root and $index',
      {
        body: [
          {
            $data: '${groups}',
            name: '${name}',
            items: [
              {
                $data: '${items}',
                text: '${$data} of ${$root.title} #${$index}',
                $when: "${$data != 'skip'}",
              },
            ],
          },
        ],
      },
      {
        title: 'T',
        groups: [{ name: 'g1', items: ['a', 'skip', 'c'] }, { name: 'g2', items: [] }, null],
      },
    ],
    [
      '$data an object, null, text or missing',
      {
        a: [
          { $data: '${o}', v: '${v}' },
          { $data: '${none}', v: '${v}' },
          { $data: '${s}', v: '${$data}' },
        ],
      },
      { o: { v: 1 }, s: 'S', v: 'root' },
    ],
    [
      'a list item bound to one element keeps its own $data',
      { body: [{ $data: '${one}', t: '${t}' }] },
      { one: [{ t: 'only' }] },
    ],
    ['reserved fields never reach the card', { $root: 'x', $index: 1, $host: 'h', keep: 'k' }, {}],
  ];
  for (const [name, template, data] of corners) {
    it(`the same as Template.expand: ${name}`, () => sameAsLibrary(template)(data));
  }

  it('corner cases give what the template language says', () => {
    const expand = (template: unknown, data: unknown) => compileTemplate(template)(data);
    assert.deepEqual(expand({ text: 'a ${x} b' }, {}), { text: 'a ${x} b' });
    assert.deepEqual(
      expand({ body: [{ $data: '${l}', t: '${$index}:${$data}' }] }, { l: ['p', 'q'] }),
      {
        body: [{ t: '0:p' }, { t: '1:q' }],
      },
    );
    assert.deepEqual(expand({ body: [{ $when: '${count(l) == 0}', t: 'none' }] }, { l: [] }), {
      body: [{ t: 'none' }],
    });
    assert.throws(() => expand({ text: 'a ${t} b' }, { t: null }), TypeError);
  });

  it('refuses templates that read $host or $_acTemplateVersion', () => {
    assert.throws(() => compileTemplate({ text: '${$host.x}' }), /\$host/);
  });
});
