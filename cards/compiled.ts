import { Expression, ExpressionType, MemoryInterface, Options } from 'adaptive-expressions';
import { Template } from 'adaptivecards-templating';
import { BoundedMap } from '../src/domain/boundedMap';

/**
 * A card template compiled once into closures that expand it the way adaptivecards-templating's
 * `Template.expand` does, for a fifth of the CPU. The library still parses the template (its own
 * `parseInterpolatedString`) and its expression engine, adaptive-expressions, still evaluates every
 * expression that calls a function or an operator (`count(x) > 0`, `a && b`); what changes is that
 * property paths (`${title}`, `${$root.t.open}`) — nearly all of a card's bindings — are looked up
 * directly, not through a fresh memory, options object and case-insensitive search of every key
 * each time. test/cards/compiled.test.ts expands every card both ways and requires the same JSON.
 */

/** What the library's EvaluationContext holds while it expands a node. */
interface Scope {
  readonly $root: unknown;
  readonly $data: unknown;
  readonly $index: number | undefined;
}

type Expand = (scope: Scope) => unknown;
/** An expression that failed, with the error the library reports (thrown in value position). */
class Failure {
  constructor(readonly error: unknown) {}
}
/** An expression's value, or its Failure. */
type Evaluate = (scope: Scope) => unknown;

/** Fields of a template object that steer the expansion and never reach the card. */
const RESERVED = new Set(['$data', '$when', '$root', '$index', '$host', '$_acTemplateVersion']);
/** Scope fields a path can start with (the library matches them case-insensitively). */
const SCOPE_FIELDS = ['$root', '$data', '$index'] as const;

/** The library's parsed form of a template: strings with `${…}` become expressions. */
export const prepareTemplate = (node: unknown): unknown => {
  if (typeof node === 'string') return Template.parseInterpolatedString(node);
  if (Array.isArray(node)) return node.map(prepareTemplate);
  if (node && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, prepareTemplate(v)]));
  }
  return node;
};

/** A property of a value as adaptive-expressions finds it (names match case-insensitively). */
function property(instance: unknown, name: string): unknown {
  if (!instance) return undefined;
  if (instance instanceof Map) {
    const found = instance.get(name) as unknown;
    if (found !== undefined) return found;
    const key = [...instance.keys()].find(
      (k) => typeof k === 'string' && k.toLowerCase() === name.toLowerCase(),
    );
    return key === undefined ? undefined : (instance.get(key) as unknown);
  }
  // Card data never holds two keys that differ only in case, so an exact key is the one the
  // library's search would find first.
  if (typeof instance === 'object' && Object.prototype.hasOwnProperty.call(instance, name)) {
    return (instance as Record<string, unknown>)[name];
  }
  const key = Object.keys(instance).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : (instance as Record<string, unknown>)[key];
}

/** `a.b.c` of an expression made of property accessors only; undefined for anything else. */
function pathOf(expression: Expression): string[] | undefined {
  const parts: string[] = [];
  for (let e: Expression | undefined = expression; e; e = e.children[1]) {
    if (e.type !== ExpressionType.Accessor) return undefined;
    parts.unshift(String((e.children[0] as unknown as { value: unknown }).value));
  }
  return parts;
}

/** A path as the library's memory reads it: `a.b[0]['c']` → `a`, `b`, `0`, `c`; others under `$data`. */
function parsePath(path: string): string[] {
  const full = path.startsWith('$') ? path : `$data.${path}`;
  return full
    .split(/[.[\]]+/)
    .filter((part) => part !== '')
    .map((part) =>
      (part.startsWith('"') && part.endsWith('"')) || (part.startsWith("'") && part.endsWith("'"))
        ? part.slice(1, -1)
        : part,
    );
}

/**
 * A path made ready once: the scope field it starts from (`$root`, `$data` or `$index`, matched
 * case-insensitively as the library's TemplateObjectMemory does; none for anything else) and its
 * steps, numbers indexing arrays as in the library's SimpleObjectMemory.
 */
interface Steps {
  readonly field: (typeof SCOPE_FIELDS)[number] | undefined;
  readonly names: readonly string[];
  readonly indexes: readonly number[];
}

function stepsOf(path: string): Steps {
  const [first = '', ...names] = parsePath(path);
  const lower = first.toLowerCase();
  return {
    field: SCOPE_FIELDS.find((f) => f === lower),
    names,
    indexes: names.map((name) => parseInt(name, 10)),
  };
}

function follow(scope: Scope, steps: Steps): unknown {
  if (!steps.field) return undefined;
  let value: unknown = scope[steps.field];
  for (let i = 0; i < steps.names.length; i++) {
    const index = steps.indexes[i];
    if (!isNaN(index) && Array.isArray(value)) {
      value = index >= 0 && index < value.length ? (value[index] as unknown) : undefined;
    } else {
      value = property(value, steps.names[i]);
    }
  }
  return value;
}

/** Paths adaptive-expressions asks the memory for, made ready once (a bounded few per template). */
const knownSteps = new BoundedMap<Steps>(1000);

/** The scope as adaptive-expressions memory, for the expressions it evaluates itself. */
class ScopeMemory implements MemoryInterface {
  constructor(private readonly scope: Scope) {}
  getValue(path: string): unknown {
    return path === ''
      ? undefined
      : follow(
          this.scope,
          knownSteps.getOrMake(path, () => stepsOf(path)),
        );
  }
  setValue(): void {
    throw new Error('Card templates cannot change their data.');
  }
  version(): string {
    return '';
  }
}

/** What the library evaluates with where it substitutes a missing value with its binding. */
const SUBSTITUTING = new Options();
SUBSTITUTING.nullSubstitution = (path: string) => `\${${path}}`;

/** A property path (`title`, `$root.t.open`), made ready once. */
function compilePath(path: readonly string[], substitute: boolean): Evaluate {
  const text = path.join('.');
  const steps = stepsOf(text);
  const missing = `\${${text}}`;
  return (scope) => {
    const value = follow(scope, steps);
    return value === undefined && substitute ? missing : value;
  };
}

function compileExpression(expression: Expression, substitute: boolean): Evaluate {
  if (/\$host|\$_acTemplateVersion/i.test(expression.toString())) {
    throw new Error(`Card templates do not support $host or $_acTemplateVersion: ${expression}`);
  }
  const path = pathOf(expression);
  if (path) return compilePath(path, substitute);
  if (expression.type === ExpressionType.Constant) {
    const value = (expression as unknown as { value: unknown }).value;
    return () => value;
  }
  if (expression.type === ExpressionType.Concat && substitute) {
    // As the library does: each part on its own, a failing part shown as its own text.
    const parts = expression.children.map((child) => {
      if (child.type === ExpressionType.Concat) {
        throw new Error(`Card templates do not support nested string interpolation: ${child}`);
      }
      const evaluate = compileExpression(child, true);
      const failed = `\${${child.toString()}}`;
      return (scope: Scope): unknown => {
        try {
          const value = evaluate(scope);
          return value instanceof Failure ? failed : value;
        } catch {
          return failed;
        }
      };
    });
    return (scope) => {
      let text = '';
      for (let i = 0; i < parts.length; i++) {
        text += (parts[i](scope) as { toString(): string }).toString();
      }
      return text;
    };
  }
  const options = substitute ? SUBSTITUTING : undefined;
  return (scope) => {
    const r = expression.tryEvaluate(new ScopeMemory(scope), options);
    return r.error ? new Failure(r.error) : r.value;
  };
}

function compileValue(expression: Expression): Expand {
  const evaluate = compileExpression(expression, true);
  return (scope) => {
    const value = evaluate(scope);
    if (value instanceof Failure) throw new Error(String(value.error));
    return value;
  };
}

/** `$when`: kept only when it evaluates to true; a `$when` that is not an expression drops it. */
function compileWhen(when: unknown): ((scope: Scope) => boolean) | undefined {
  if (when instanceof Expression) {
    const evaluate = compileExpression(when, false);
    return (scope) => evaluate(scope) === true;
  }
  return when ? () => false : undefined;
}

function compileObject(node: Readonly<Record<string, unknown>>): Expand {
  const keys = Object.keys(node).filter((key) => !RESERVED.has(key));
  const expands = keys.map((key) => compileNode(node[key]));
  const when = compileWhen(node.$when);
  const source = node.$data;
  const data: Expand | undefined =
    source === undefined
      ? undefined
      : source instanceof Expression
        ? compileValue(source)
        : () => source;
  const expandOne = (scope: Scope): Record<string, unknown> | undefined => {
    if (when && !when(scope)) return undefined;
    const result: Record<string, unknown> = {};
    for (let i = 0; i < keys.length; i++) {
      const value = expands[i](scope);
      if (value !== undefined) result[keys[i]] = value;
    }
    return result;
  };
  return (scope) => {
    if (!data) return expandOne(scope) ?? null;
    const context = data(scope);
    const results: Record<string, unknown>[] = [];
    if (Array.isArray(context)) {
      // Like the library: an undefined item keeps the previous item's $data.
      let current = scope.$data;
      for (let i = 0; i < context.length; i++) {
        if (context[i] !== undefined) current = context[i];
        const expanded = expandOne({ $root: scope.$root, $data: current, $index: i });
        if (expanded) results.push(expanded);
      }
    } else {
      const expanded = expandOne(
        context === undefined
          ? scope
          : { $root: scope.$root, $data: context, $index: scope.$index },
      );
      if (expanded) results.push(expanded);
    }
    return results.length === 0 ? null : results.length === 1 ? results[0] : results;
  };
}

function compileArray(items: readonly unknown[]): Expand {
  const expands = items.map(compileNode);
  return (scope) => {
    const result: unknown[] = [];
    for (let i = 0; i < expands.length; i++) {
      const item = expands[i](scope);
      if (item === null) continue;
      if (Array.isArray(item)) for (const each of item as unknown[]) result.push(each);
      else result.push(item);
    }
    return result;
  };
}

function compileNode(node: unknown): Expand {
  if (Array.isArray(node)) return compileArray(node);
  if (node instanceof Expression) return compileValue(node);
  if (node && typeof node === 'object') return compileObject(node as Record<string, unknown>);
  return () => node;
}

/** The template compiled; its expansion equals `new Template(json).expand({ $root: data })`. */
export function compileTemplate(json: unknown): (data: unknown) => unknown {
  const expand = compileNode(prepareTemplate(json));
  return (data) => expand({ $root: data, $data: data, $index: undefined });
}
