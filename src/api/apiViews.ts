import { renewalPrice } from '../membership/renewalPrice.js';
import type { z } from 'zod';
import type { MembershipView } from '../membership/membershipService.js';
import type { CancellationQuote } from '../membership/refundQuote.js';
import { isErased, type Cancellation, type Member } from '../model/schema.js';
import { maskEmail, maskPhone } from '../core/mask.js';
import type { cancellationOut, memberOut, membershipOut, quoteOut } from './apiSchemas.js';

// The domain's answers as the API's responses (apiSchemas.ts): what a provider's program reads.

export function membershipBody(view: MembershipView, now: Date): z.infer<typeof membershipOut> {
  const { membership: m, plan } = view;
  const renews = m.status === 'active' && m.autoRenew;
  return {
    id: m.id,
    planId: plan.id,
    planName: plan.name,
    status: m.status,
    autoRenew: m.autoRenew,
    startedAt: m.startedAt,
    currentPeriodStart: m.currentPeriodStart,
    currentPeriodEnd: m.currentPeriodEnd,
    ...(m.effectiveAt ? { effectiveAt: m.effectiveAt } : {}),
    remainingDays: view.remainingDays,
    nextCharge: renews ? { amount: renewalPrice(m, plan), currency: plan.currency, at: m.currentPeriodEnd } : null,
    points: m.points,
    coupons: m.coupons.filter((c) => Date.parse(c.expiresAt) > now.getTime()),
    canUndo: view.canUndo,
    ...(m.timeZone ? { timeZone: m.timeZone } : {}),
  };
}

export function cancellationBody(c: Cancellation): z.infer<typeof cancellationOut> {
  return {
    reference: c.reference,
    memberId: c.memberId,
    membershipId: c.membershipId,
    planId: c.planId,
    option: c.option,
    receivedAt: c.receivedAt,
    effectiveAt: c.effectiveAt,
    refund: c.refund,
    fee: c.fee,
    currency: c.currency,
    forfeited: { points: c.forfeited.points, coupons: c.forfeited.coupons },
    ...(c.reason ? { reason: c.reason } : {}),
    ...(c.undoneAt ? { undoneAt: c.undoneAt } : {}),
  };
}

/** Personal fields in plain text only when `plain`; masked as support staff see them otherwise; none once erased. */
export function memberBody(
  member: Member,
  memberships: z.infer<typeof membershipOut>[],
  plain: boolean,
): z.infer<typeof memberOut> {
  const erased = isErased(member);
  const shown = (value: string, mask: (v: string) => string) => (erased ? null : plain ? value : mask(value));
  return {
    id: member.id,
    locale: member.locale,
    notifyChannel: member.notifyChannel,
    name: shown(member.name, (name) => `${[...name][0] ?? ''}**`),
    phone: shown(member.phone, maskPhone),
    email: shown(member.email, maskEmail),
    personalFields: erased ? 'erased' : plain ? 'plain' : 'masked',
    memberships,
  };
}

export function quoteBody(q: CancellationQuote): z.infer<typeof quoteOut> {
  return {
    membershipId: q.membershipId,
    planName: q.planName,
    currency: q.currency,
    periodEnd: q.periodEnd,
    options: q.options,
    forfeited: q.forfeited,
    ...(q.retentionOffer
      ? {
          retentionOffer: {
            planId: q.retentionOffer.id,
            planName: q.retentionOffer.name,
            price: q.retentionOffer.price,
            currency: q.retentionOffer.currency,
            period: q.retentionOffer.period,
          },
        }
      : {}),
  };
}
