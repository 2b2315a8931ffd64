/**
 * Stored times carry their own offsets (`+08:00` from the seed, `Z` from the clock), so they are
 * compared as instants, never as strings.
 */
export function hasPassed(iso: string, now: Date): boolean {
  return Date.parse(iso) <= now.getTime();
}
