import type { Plan } from '../model/schema.js';

/** One renewal's charge, as the provider's billing is asked for it. */
export interface ChargeRequest {
  /**
   * One a membership period (and one for the retry after a grace period): the provider charges a
   * key at most once however often it is asked, so a pass killed between the charge and its record
   * charges nothing twice when it runs again.
   */
  idempotencyKey: string;
  memberId: string;
  membershipId: string;
  planId: string;
  amount: number;
  currency: Plan['currency'];
  /** The period the charge pays for. */
  periodStart: string;
  periodEnd: string;
}

export type ChargeResult = { status: 'charged'; chargeId: string } | { status: 'refused'; reason: string };

/**
 * The provider's billing, the source of truth for money taken. `charge` resolves with the outcome
 * the provider decided; it throws when there is no answer (the pass tries again later, same key).
 */
export interface BillingPort {
  /**
   * Asks the provider to take one renewal's charge.
   *
   * @param request - What to charge, under its idempotency key.
   * @returns `charged` with the provider's charge id, or `refused` with its reason (a declined card).
   * @remarks Asked again with the same key, the provider answers as it did the first time and
   * charges nothing more. A throw means no answer (a timeout, a 5xx): the renewal stays due and
   * the pass asks again later with the same key.
   */
  charge(request: ChargeRequest): Promise<ChargeResult>;
}
