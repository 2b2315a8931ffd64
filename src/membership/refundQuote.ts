import { hasPassed } from '../core/instant.js';
import type { CancelOption, Coupon, Localized, Membership, Plan } from '../model/schema.js';

const DAY_MS = 86_400_000;

export interface QuoteOption {
  option: CancelOption;
  /** When benefits end. */
  effectiveAt: string;
  refund: number;
  fee: number;
}

export interface CancellationQuote {
  membershipId: string;
  planName: Localized;
  currency: Plan['currency'];
  periodEnd: string;
  /**
   * "period_end" always comes first; "immediate" only under a pro-rata plan whose period runs. Once
   * the period is over with no renewal on record, "period_end" takes effect now: no date past.
   */
  options: QuoteOption[];
  /** The period is over and no renewal is on record: cancelling stops the renewal today. */
  renewalDue: boolean;
  forfeited: { points: number; coupons: Coupon[]; couponTotal: number; tier: Localized };
  retentionOffer?: Plan;
}

/** Whole days from `from` to `to`, never negative. */
export function wholeDays(from: Date, to: Date): number {
  return Math.max(0, Math.floor((to.getTime() - from.getTime()) / DAY_MS));
}

/**
 * The refund for stopping now: price × unused whole days ÷ days in the period − the fee, rounded
 * down to the minor unit and never below zero. Integer arithmetic throughout.
 */
export function proRataRefund(pricePaid: number, periodStart: Date, periodEnd: Date, now: Date, fee: number): number {
  const daysInPeriod = Math.max(1, Math.round((periodEnd.getTime() - periodStart.getTime()) / DAY_MS));
  const unused = Math.min(daysInPeriod, wholeDays(now, periodEnd));
  return Math.max(0, Math.floor((pricePaid * unused) / daysInPeriod) - fee);
}

/** What each way of cancelling would mean, computed before anything changes. */
export function quoteCancellation(
  membership: Membership,
  plan: Plan,
  now: Date,
  retentionPlan?: Plan,
): CancellationQuote {
  const periodEnd = membership.currentPeriodEnd;
  const renewalDue = hasPassed(periodEnd, now);
  const options: QuoteOption[] = [
    { option: 'period_end', effectiveAt: renewalDue ? now.toISOString() : periodEnd, refund: 0, fee: 0 },
  ];
  if (plan.refundPolicy === 'prorata' && !renewalDue) {
    options.push({
      option: 'immediate',
      effectiveAt: now.toISOString(),
      refund: proRataRefund(
        membership.pricePaid,
        new Date(membership.currentPeriodStart),
        new Date(periodEnd),
        now,
        plan.cancellationFee,
      ),
      fee: plan.cancellationFee,
    });
  }
  const coupons = membership.coupons.filter((c) => !hasPassed(c.expiresAt, now));
  return {
    membershipId: membership.id,
    planName: plan.name,
    currency: plan.currency,
    periodEnd,
    options,
    renewalDue,
    forfeited: {
      points: membership.points,
      coupons,
      couponTotal: coupons.reduce((sum, c) => sum + c.value, 0),
      tier: plan.tier,
    },
    retentionOffer: retentionPlan,
  };
}
