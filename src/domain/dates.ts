/** Calendar days as `YYYY-MM-DD` (UTC), the way claims, funds and deadlines store them. */

export const isoDay = (d: Date): string => d.toISOString().slice(0, 10);

/** The day `days` after `day` (before it when negative). */
export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return isoDay(d);
}
