import type { Clock } from '../core/clock.js';
import { hasPassed } from '../core/instant.js';
import type { RandomSource } from '../core/random.js';
import type { Repository, Transaction } from '../model/repository.js';
import type { Member, Membership, Plan } from '../model/schema.js';
import type { Notifier } from '../notify/notifier.js';
import type { AuditEvent } from './membershipService.js';
import type { BillingPort, ChargeResult } from './billing.js';
import { NO_EVENTS, renewedEvent, type DomainEvents } from './domainEvents.js';
import { cycleOf } from './billingZone.js';
import { nextPeriodEnd } from './periods.js';
import { defaultReminderPolicy, jurisdictionOf, type ReminderPolicy } from './reminderPolicy.js';
import { renewalChargeKey } from './renewalCharge.js';
import { renewalPrice } from './renewalPrice.js';

const DAY_MS = 86_400_000;
/** Memberships handled per look-up; each is its own transaction. */
const BATCH = 200;
/** Memberships whose period ended, claimed at a time: each may wait on a charge. */
const CLAIM_BATCH = 50;
/**
 * How long a pass holds the memberships it claimed: longer than a batch takes with a billing that
 * answers; a pass that dies lets them go then. A hold that runs out early costs only repeated
 * work, as every change is checked again in its transaction.
 */
const CLAIM_LEASE_MS = 10 * 60_000;

export interface LifecyclePolicy {
  /** Days a refused renewal keeps its benefits before the charge is tried once more. */
  graceDays: number;
  /** Days before a renewal or a price change that its notice is sent, by jurisdiction. */
  reminders: ReminderPolicy;
}

/**
 * The defaults: a reminder a week before a monthly renewal (China asks for at least 5 days) and
 * 15 days before a yearly one (Massachusetts and California ask for 5–30); a week's grace.
 */
export const DEFAULT_LIFECYCLE_POLICY: LifecyclePolicy = { graceDays: 7, reminders: defaultReminderPolicy() };

export interface LifecycleCounts {
  reminded: number;
  priceNotices: number;
  renewed: number;
  refused: number;
  expired: number;
}

type Outcome = 'renewed' | 'refused' | 'expired' | 'skipped';

/** A membership whose period is over, read again in the transaction that settles it. */
interface Settled {
  tx: Transaction;
  m: Membership;
  member: Member;
  plan: Plan;
  price: number;
}

/** Whose membership an event is about. */
const ids = (m: Membership) => ({ memberId: m.memberId, membershipId: m.id });

/**
 * Memberships in time: reminders before each automatic renewal, and at each period's end a renewal
 * (a new period, charged through the billing port) or the end of the membership. A pass may run on
 * several instances at once and be killed anywhere: every change is re-checked in its own
 * transaction, and each charge carries a key per membership period, which the provider charges once.
 */
export class LifecycleService {
  constructor(
    private readonly repo: Repository,
    private readonly notifier: Notifier,
    private readonly billing: BillingPort,
    private readonly clock: Clock,
    private readonly random: RandomSource,
    private readonly policy: LifecyclePolicy = DEFAULT_LIFECYCLE_POLICY,
    /** Told when the billing gave no answer for a membership; the next pass asks again with the same key. */
    private readonly onChargeError: (membershipId: string, err: Error) => void = () => undefined,
    private readonly events: DomainEvents = NO_EVENTS,
    /** A link that opens the chat at this membership's cancellation, working until `until`. */
    private readonly cancelLink: (membershipId: string, until: string) => string = () => '',
  ) {}

  /** One pass: price-change notices and reminders due, then periods ended. */
  async run(): Promise<LifecycleCounts> {
    const counts: LifecycleCounts = { reminded: 0, priceNotices: 0, renewed: 0, refused: 0, expired: 0 };
    for (;;) {
      const due = await this.repo.priceNoticesDue(this.now(), BATCH);
      let settled = 0;
      for (const m of due) {
        const outcome = await this.announcePrice(m.id);
        if (outcome !== 'skipped') settled += 1;
        if (outcome === 'sent') counts.priceNotices += 1;
      }
      if (settled === 0 || due.length < BATCH) break;
    }
    for (;;) {
      const due = await this.repo.renewalsToRemind(this.now(), this.policy.reminders, BATCH);
      let sent = 0;
      for (const m of due) if (await this.remind(m.id)) sent += 1;
      counts.reminded += sent;
      if (sent === 0 || due.length < BATCH) break;
    }
    await this.endPeriods(counts);
    return counts;
  }

  /**
   * Claims the memberships whose period ended, a batch at a time, and renews or ends each: instances
   * passing at once take different ones. What it claimed is let go at the end, so a membership left
   * due (the billing gave no answer) is the next pass's at once.
   */
  private async endPeriods(counts: LifecycleCounts): Promise<void> {
    const claimed: string[] = [];
    try {
      for (;;) {
        const ended = await this.repo.claimPeriodsEnded(this.now(), CLAIM_LEASE_MS, CLAIM_BATCH);
        claimed.push(...ended.map((m) => m.id));
        for (const m of ended) {
          const outcome = await this.endPeriod(m);
          if (outcome !== 'skipped') counts[outcome] += 1;
        }
        if (ended.length < CLAIM_BATCH) break;
      }
    } finally {
      await this.repo.releasePeriodClaims(claimed);
    }
  }

  private now(): string {
    return this.clock.now().toISOString();
  }

  /** Sends the period's renewal reminder, once: the mark and the message commit together. */
  private async remind(membershipId: string): Promise<boolean> {
    return this.repo.transact(async (tx) => {
      const m = await tx.membership(membershipId);
      const plan = m && (await tx.plan(m.planId));
      const member = m && (await tx.memberById(m.memberId));
      if (!m || !plan || !member || !this.reminderDue(m, plan, member)) return false;
      tx.put('memberships', { ...m, remindedFor: m.currentPeriodEnd });
      tx.put(
        'outbox',
        this.notifier.compose(member, {
          template: 'renewal-reminder',
          planName: plan.name,
          membershipId: m.id,
          renewsAt: m.currentPeriodEnd,
          charge: { amount: renewalPrice(m, plan), currency: plan.currency },
          link: this.cancelLink(m.id, m.currentPeriodEnd),
        }),
      );
      this.audit(tx, {
        type: 'membership.reminded',
        memberId: m.memberId,
        membershipId: m.id,
        data: { periodEnd: m.currentPeriodEnd },
      });
      const charge = { amount: plan.price, currency: plan.currency };
      this.events.record(tx, { type: 'reminder.sent', ...ids(m), renewsAt: m.currentPeriodEnd, ...charge });
      return true;
    });
  }

  private reminderDue(m: Membership, plan: Plan, member: Member): boolean {
    const sent = m.remindedFor !== undefined && Date.parse(m.remindedFor) === Date.parse(m.currentPeriodEnd);
    const days = this.policy.reminders.days[jurisdictionOf(member, plan, this.policy.reminders)][plan.period];
    const opens = Date.parse(m.currentPeriodEnd) - days * DAY_MS;
    const ours = !m.appStore;
    return (
      ours && m.status === 'active' && m.autoRenew && !m.graceUntil && !sent && opens <= this.clock.now().getTime()
    );
  }

  /**
   * Sends a price change's notice, once, while the membership still renews; a change whose
   * membership ends first is settled without a message (nothing will be charged at that price).
   */
  private async announcePrice(membershipId: string): Promise<'sent' | 'dropped' | 'skipped'> {
    return this.repo.transact(async (tx) => {
      const m = await tx.membership(membershipId);
      const change = m?.priceChange;
      const plan = m && (await tx.plan(m.planId));
      const member = m && (await tx.memberById(m.memberId));
      if (!m || !change || change.notifiedAt || !plan || !member) return 'skipped';
      if (!hasPassed(change.noticeAt, this.clock.now())) return 'skipped';
      if (m.status !== 'active' || !m.autoRenew) {
        const { priceChange: _dropped, ...rest } = m;
        tx.put('memberships', rest);
        return 'dropped';
      }
      tx.put('memberships', { ...m, priceChange: { ...change, notifiedAt: this.now() } });
      tx.put(
        'outbox',
        this.notifier.compose(member, {
          template: 'price-change',
          planName: plan.name,
          membershipId: m.id,
          from: change.firstChargeAt,
          before: { amount: m.price ?? plan.price, currency: plan.currency },
          after: { amount: change.amount, currency: plan.currency },
        }),
      );
      this.audit(tx, {
        type: 'membership.price_notice_sent',
        memberId: m.memberId,
        membershipId: m.id,
        data: { amount: change.amount, firstChargeAt: change.firstChargeAt },
      });
      return 'sent';
    });
  }

  /**
   * Renews (charging first, outside any transaction) or ends one membership whose period is over.
   * The charge is marked on the membership first, in a transaction that checks it is still due:
   * a cancellation then waits for the outcome (renewalCharge.ts) instead of racing the charge.
   */
  private async endPeriod(listed: Membership): Promise<Outcome> {
    const plan = await this.repo.plan(listed.planId);
    if (!plan) return 'skipped';
    const marked = await this.markCharge(listed, plan);
    if (!marked) return 'skipped';
    const { seen, price } = marked;
    const result = seen.autoRenew ? await this.charge(seen, marked.member, plan, price) : undefined;
    if (result === 'unanswered') return 'skipped';
    return this.repo.transact(async (tx) => {
      const m = await tx.membership(seen.id);
      const member = m && (await tx.memberById(m.memberId));
      if (!m || !member || !this.unchanged(m, seen)) {
        this.keepUnapplied(tx, seen, m, result);
        return 'skipped';
      }
      const { renewalCharge: _settled, ...rest } = m;
      const settled = { tx, m: rest, member, plan, price };
      if (result?.status === 'charged') return this.renew(settled, result.chargeId);
      if (result?.status === 'refused' && !m.graceUntil) return this.startGrace(settled, result.reason);
      return this.expire(settled, result ? 'payment_refused' : 'not_renewed');
    });
  }

  /**
   * Reads the membership again (the batch was claimed a while ago: a member who cancelled since, or
   * an instance that renewed it, must not be charged) and, when it renews, marks the charge about
   * to be asked for; undefined when it is no longer due.
   */
  private async markCharge(listed: Membership, plan: Plan) {
    return this.repo.transact(async (tx) => {
      const m = await tx.membership(listed.id);
      const member = m && (await tx.memberById(m.memberId));
      if (!m || !member || !this.unchanged(m, listed)) return undefined;
      if (!m.autoRenew) return { seen: m, member, price: 0 };
      const seen = { ...m, renewalCharge: { key: renewalChargeKey(m), askedAt: this.now() } };
      tx.put('memberships', seen);
      return { seen, member, price: renewalPrice(m, plan) };
    });
  }

  /** Asks the billing for the next period, with the period's key; 'unanswered' when it gave no answer. */
  private async charge(
    seen: Membership,
    member: Member,
    plan: Plan,
    price: number,
  ): Promise<ChargeResult | 'unanswered'> {
    try {
      return await this.billing.charge({
        idempotencyKey: renewalChargeKey(seen),
        memberId: seen.memberId,
        membershipId: seen.id,
        planId: plan.id,
        amount: price,
        currency: plan.currency,
        periodStart: seen.currentPeriodEnd,
        periodEnd: nextPeriodEnd(seen.currentPeriodEnd, plan.period, cycleOf(seen, member, plan)),
      });
    } catch (err) {
      this.onChargeError(seen.id, err as Error);
      return 'unanswered';
    }
  }

  /** Another instance, or the member, got there first: a charge taken for it is put on record for a refund. */
  private keepUnapplied(tx: Transaction, seen: Membership, m: Membership | undefined, result?: ChargeResult): void {
    if (result?.status !== 'charged' || (m && this.renewedBy(m, result.chargeId))) return;
    this.audit(tx, {
      type: 'renewal.charge_unapplied',
      memberId: seen.memberId,
      membershipId: seen.id,
      data: { chargeId: result.chargeId },
    });
  }

  /** A new period, paid for by the charge; a price change charged for the first time becomes the membership's price. */
  private renew({ tx, m, member, plan, price }: Settled, chargeId: string): Outcome {
    const { graceUntil: _grace, priceChange, ...rest } = m;
    const periodEnd = nextPeriodEnd(m.currentPeriodEnd, plan.period, cycleOf(m, member, plan));
    const changed = priceChange && price === priceChange.amount && priceChange.notifiedAt;
    tx.put('memberships', {
      ...rest,
      ...(priceChange && !changed ? { priceChange } : {}),
      ...(changed ? { price } : {}),
      currentPeriodStart: m.currentPeriodEnd,
      currentPeriodEnd: periodEnd,
      pricePaid: price,
      lastChargeId: chargeId,
    });
    const notice = { planName: plan.name, membershipId: m.id, charge: { amount: price, currency: plan.currency } };
    tx.put('outbox', this.notifier.compose(member, { template: 'membership-renewed', ...notice, periodEnd }));
    this.audit(tx, {
      type: 'membership.renewed',
      memberId: m.memberId,
      membershipId: m.id,
      data: { chargeId, amount: price, currency: plan.currency, periodEnd },
    });
    const charge = { chargeId, amount: plan.price, currency: plan.currency };
    this.events.record(tx, renewedEvent(m, charge, periodEnd, 'billing'));
    return 'renewed';
  }

  /** The billing refused: the benefits stay for the grace period, after which the charge is tried once more. */
  private startGrace({ tx, m, member, plan, price }: Settled, reason: string): Outcome {
    const graceUntil = new Date(this.clock.now().getTime() + this.policy.graceDays * DAY_MS).toISOString();
    tx.put('memberships', { ...m, graceUntil });
    const notice = { planName: plan.name, membershipId: m.id, charge: { amount: price, currency: plan.currency } };
    tx.put('outbox', this.notifier.compose(member, { template: 'renewal-refused', ...notice, graceUntil }));
    this.audit(tx, {
      type: 'membership.renewal_refused',
      memberId: m.memberId,
      membershipId: m.id,
      data: { reason, graceUntil },
    });
    this.events.record(tx, { type: 'renewal.refused', ...ids(m), reason, graceUntil });
    return 'refused';
  }

  /** Not renewed, or refused again after the grace: the membership ends, its points and coupons with it. */
  private expire({ tx, m, member, plan }: Settled, reason: 'payment_refused' | 'not_renewed'): Outcome {
    const { graceUntil: _grace, ...rest } = m;
    tx.put('memberships', { ...rest, status: 'expired', points: 0, coupons: [], effectiveAt: this.now() });
    tx.put(
      'outbox',
      this.notifier.compose(member, { template: 'membership-expired', planName: plan.name, membershipId: m.id }),
    );
    this.audit(tx, { type: 'membership.expired', memberId: m.memberId, membershipId: m.id, data: { reason } });
    this.events.record(tx, { type: 'membership.expired', ...ids(m), reason, expiredAt: this.now() });
    return 'expired';
  }

  /** Still the membership the pass looked at: same period, same grace, still active and due. */
  private unchanged(m: Membership, seen: Membership): boolean {
    const same = (a?: string, b?: string) =>
      a === undefined ? b === undefined : b !== undefined && Date.parse(a) === Date.parse(b);
    return (
      m.status === 'active' &&
      m.autoRenew === seen.autoRenew &&
      same(m.currentPeriodEnd, seen.currentPeriodEnd) &&
      same(m.graceUntil, seen.graceUntil) &&
      hasPassed(m.graceUntil ?? m.currentPeriodEnd, this.clock.now())
    );
  }

  private renewedBy(m: Membership, chargeId: string): boolean {
    return m.lastChargeId === chargeId;
  }

  private audit(tx: Transaction, event: AuditEvent): void {
    tx.put('audit', { id: `au-${this.random.hex(8)}`, at: this.now(), ...event });
  }
}
