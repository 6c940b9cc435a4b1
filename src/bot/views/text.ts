/**
 * User text inside a TextBlock or FactSet is rendered as markdown by Teams; a backslash before every
 * markdown character shows it literally. (TextRuns are never markdown and need no escaping.)
 */
export function literal(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, '\\$&');
}
