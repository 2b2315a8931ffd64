import type { Cancellation } from '../model/schema.js';

/**
 * Whether a cancellation waits for a later date (and can be undone until then): one chosen at the
 * period's end while the period still ran. One made once the period was over took effect at once.
 */
export function takesEffectLater(c: Cancellation): boolean {
  return c.option === 'period_end' && Date.parse(c.effectiveAt) > Date.parse(c.receivedAt);
}
