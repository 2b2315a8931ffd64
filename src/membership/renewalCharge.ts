import type { Membership } from '../model/schema.js';

/**
 * The idempotency key of a membership's next renewal charge: one a period, and one for the retry
 * after a grace period. The provider charges a key at most once however often it is asked.
 */
export function renewalChargeKey(m: Pick<Membership, 'id' | 'currentPeriodEnd' | 'graceUntil'>): string {
  return `${m.id}:${m.currentPeriodEnd}${m.graceUntil ? ':after-grace' : ''}`;
}

/**
 * True while a renewal charge for the membership's current period was asked for and no outcome
 * is on record: the lifecycle pass marks it before it asks and clears it with the renewal, grace
 * or end it records. A pass that died meanwhile leaves it until the next pass asks again under the
 * same key and records the answer.
 */
export function renewalInProgress(m: Membership): boolean {
  return m.status === 'active' && m.renewalCharge?.key === renewalChargeKey(m);
}
