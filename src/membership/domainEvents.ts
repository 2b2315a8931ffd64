import type { Transaction } from '../model/repository.js';
import type { Cancellation, CancelOption, Membership, Plan } from '../model/schema.js';

type Currency = Plan['currency'];

/**
 * What the domain tells the world it did, one fact a change. `actor` says who asked: `member` (the
 * conversation), an API key's id, or `billing` (the lifecycle's own renewal).
 */
export type DomainEvent =
  | {
      type: 'membership.cancelled';
      memberId: string;
      membershipId: string;
      reference: string;
      option: CancelOption;
      receivedAt: string;
      effectiveAt: string;
      refund: number;
      fee: number;
      currency: Currency;
      reason?: string;
      actor: string;
    }
  | {
      type: 'cancellation.undone';
      memberId: string;
      membershipId: string;
      reference: string | null;
      undoneAt: string;
      actor: string;
    }
  | { type: 'cancellation.effective'; memberId: string; membershipId: string; effectiveAt: string }
  | {
      type: 'membership.renewed';
      memberId: string;
      membershipId: string;
      chargeId: string;
      amount: number;
      currency: Currency;
      periodStart: string;
      periodEnd: string;
      actor: string;
    }
  | { type: 'renewal.refused'; memberId: string; membershipId: string; reason: string; graceUntil: string }
  | { type: 'membership.expired'; memberId: string; membershipId: string; reason: string; expiredAt: string }
  | {
      type: 'reminder.sent';
      memberId: string;
      membershipId: string;
      renewsAt: string;
      amount: number;
      currency: Currency;
    }
  | { type: 'member.erased'; memberId: string; erasedAt: string }
  | { type: 'member.updated'; memberId: string; actor: string }
  | { type: 'membership.updated'; memberId: string; membershipId: string; actor: string };

export type DomainEventType = DomainEvent['type'];

/**
 * Where the domain records its events: inside the transaction that makes them true, so an event
 * is announced if and only if its change commits (and once, however often a request is repeated).
 */
export interface DomainEvents {
  /**
   * Records an event in the transaction that makes it true.
   *
   * @param tx - The transaction making the change; the event is written with it, or not at all.
   * @param event - What happened, as the provider's webhooks announce it.
   */
  record(tx: Transaction, event: DomainEvent): void;
}

/** No one listens: the events go nowhere. */
export const NO_EVENTS: DomainEvents = { record: () => undefined };

/** The event a committed cancellation makes. */
export function cancelledEvent(c: Cancellation, actor: string): DomainEvent {
  const { reference, memberId, membershipId, option, receivedAt, effectiveAt, refund, fee, currency, reason } = c;
  return {
    type: 'membership.cancelled',
    ...{ memberId, membershipId, reference, option, receivedAt, effectiveAt, refund, fee, currency },
    ...(reason ? { reason } : {}),
    actor,
  };
}

/** The event a renewal makes: `m` as it was, before the period it pays for. */
export function renewedEvent(
  m: Membership,
  charge: { chargeId: string; amount: number; currency: Currency },
  periodEnd: string,
  actor: string,
): DomainEvent {
  const ofMembership = { memberId: m.memberId, membershipId: m.id };
  return { type: 'membership.renewed', ...ofMembership, ...charge, periodStart: m.currentPeriodEnd, periodEnd, actor };
}
