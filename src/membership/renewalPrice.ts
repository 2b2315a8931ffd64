import type { Membership, Plan } from '../model/schema.js';

/**
 * What the renewal at the end of the current period charges: a price change on record from its
 * effective date on, and only once its notice went out; else the membership's own price (an earlier
 * change), else the plan's.
 */
export function renewalPrice(m: Membership, plan: Plan): number {
  const change = m.priceChange;
  if (change?.notifiedAt && Date.parse(m.currentPeriodEnd) >= Date.parse(change.effectiveAt)) return change.amount;
  return m.price ?? plan.price;
}
