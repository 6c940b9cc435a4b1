/**
 * What a document store hands back: a copy, as JSON carries it (fields set to undefined are gone),
 * never the object it keeps; so a caller changing it changes nothing stored.
 */
export const stored = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
