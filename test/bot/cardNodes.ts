/** A node of a card's JSON. */
export type Node = Record<string, unknown>;

/** Every object of a card with this `type` (`Chart.Donut`, `FactSet`, …), in document order. */
export function ofType(card: unknown, type: string): Node[] {
  const out: Node[] = [];
  const go = (n: unknown): void => {
    if (Array.isArray(n)) n.forEach(go);
    else if (n && typeof n === 'object') {
      if ((n as Node).type === type) out.push(n as Node);
      Object.values(n).forEach(go);
    }
  };
  go(card);
  return out;
}
