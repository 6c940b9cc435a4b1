import { InputIssue, invalidInput } from '../../domain/errors';
import { readText } from '../../domain/text';
import type { CardData, VerbHandler } from '../handlers';
import type { Turn } from '../turn';

/** A verb file's handlers by verb: a key that is not its handler's verb is a compile error. */
export type VerbTable<K extends string> = { readonly [V in K]: VerbHandler<V> };

/** A required free text from card data, or INVALID_INPUT naming the field. */
export function requiredText(data: CardData, field: string, max: number): string {
  const issues: InputIssue[] = [];
  const text = readText(issues, field, data[field], max);
  if (issues.length) throw invalidInput(issues);
  return text;
}

export function optionalText(data: CardData, field: string, max: number): string {
  const issues: InputIssue[] = [];
  const text = readText(issues, field, data[field], max, { required: false });
  if (issues.length) throw invalidInput(issues);
  return text;
}

/** The turn's time, as the domain records it. */
export const now = (turn: Turn): string => turn.now.toISOString();
