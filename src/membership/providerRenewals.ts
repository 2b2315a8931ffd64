import type { Clock } from '../core/clock.js';
import type { RandomSource } from '../core/random.js';
import type { Repository } from '../model/repository.js';
import type { Membership, Plan } from '../model/schema.js';
import type { Notifier } from '../notify/notifier.js';
import { NO_EVENTS, renewedEvent, type DomainEvents } from './domainEvents.js';
import { MembershipNotActiveError, MembershipNotFoundError } from './membershipErrors.js';
import { cycleOf } from './billingZone.js';
import { nextPeriodEnd } from './periods.js';

/** A renewal the provider's billing charged itself, reported to us. */
export interface RenewalReport {
  membershipId: string;
  /** The billing's id of the charge: one charge pays for one period, so a repeat names it again. */
  chargeId: string;
  amount: number;
  currency: Plan['currency'];
  /** The start of the period the charge pays for: the current period's end. */
  periodStart: string;
  /** The API key's id. */
  actor: string;
}

export interface RenewalResult {
  membership: Membership;
  /** True when the charge was already on record: nothing changed. */
  replayed: boolean;
}

/** The period named is not the one after the current one: already paid by another charge, or not next. */
export class RenewalPeriodError extends Error {
  constructor(
    readonly membershipId: string,
    readonly reason: 'already_paid' | 'not_next',
    detail: string,
  ) {
    super(detail);
    this.name = 'RenewalPeriodError';
  }
}

const sameInstant = (a: string, b: string) => Date.parse(a) === Date.parse(b);

/**
 * Renewals charged by the provider's own billing: the membership moves to the period the charge
 * paid for, as when the lifecycle pass renews it (the same notice, audit entry and event). Nothing
 * is charged here; the lifecycle pass charges only a membership whose period has ended, so a period
 * recorded this way is never charged by it, and a charge named twice applies once.
 */
export class ProviderRenewals {
  constructor(
    private readonly repo: Repository,
    private readonly notifier: Notifier,
    private readonly clock: Clock,
    private readonly random: RandomSource,
    private readonly events: DomainEvents = NO_EVENTS,
  ) {}

  async record(report: RenewalReport): Promise<RenewalResult> {
    return this.repo.transact(async (tx) => {
      const m = await tx.membership(report.membershipId);
      const plan = m && (await tx.plan(m.planId));
      const member = m && (await tx.memberById(m.memberId));
      if (!m || !plan || !member) throw new MembershipNotFoundError(report.membershipId);
      if (m.lastChargeId === report.chargeId) return { membership: m, replayed: true };
      if (m.status !== 'active') throw new MembershipNotActiveError(m.id, m.status, 'renew');
      if (Date.parse(report.periodStart) < Date.parse(m.currentPeriodEnd))
        throw new RenewalPeriodError(
          m.id,
          'already_paid',
          `The period from ${report.periodStart} is already paid (charge ${m.lastChargeId ?? 'at the start'}); the current period ends ${m.currentPeriodEnd}.`,
        );
      if (!sameInstant(report.periodStart, m.currentPeriodEnd))
        throw new RenewalPeriodError(
          m.id,
          'not_next',
          `The next period of ${m.id} starts ${m.currentPeriodEnd}, not ${report.periodStart}.`,
        );
      const { graceUntil: _grace, renewalCharge: _asked, ...rest } = m;
      const periodEnd = nextPeriodEnd(m.currentPeriodEnd, plan.period, cycleOf(m, member, plan));
      const renewed: Membership = {
        ...rest,
        currentPeriodStart: m.currentPeriodEnd,
        currentPeriodEnd: periodEnd,
        pricePaid: report.amount,
        lastChargeId: report.chargeId,
      };
      const charge = { chargeId: report.chargeId, amount: report.amount, currency: report.currency };
      tx.put('memberships', renewed);
      tx.put(
        'outbox',
        this.notifier.compose(member, {
          template: 'membership-renewed',
          planName: plan.name,
          membershipId: m.id,
          periodEnd,
          charge: { amount: report.amount, currency: report.currency },
        }),
      );
      tx.put('audit', {
        id: `au-${this.random.hex(8)}`,
        at: this.clock.now().toISOString(),
        type: 'membership.renewed',
        memberId: m.memberId,
        membershipId: m.id,
        data: { ...charge, periodEnd, actor: report.actor },
      });
      this.events.record(tx, renewedEvent(m, charge, periodEnd, report.actor));
      return { membership: renewed, replayed: false };
    });
  }
}
