import type { Clock } from '../core/clock.js';
import { hasPassed } from '../core/instant.js';
import type { RandomSource } from '../core/random.js';
import type { RecordReader, Repository, Transaction } from '../model/repository.js';
import type {
  AuditEntry,
  Cancellation,
  CancelOption,
  Member,
  Membership,
  OutboxMessage,
  Plan,
} from '../model/schema.js';
import type { Notifier } from '../notify/notifier.js';
import { cancelledEvent, NO_EVENTS, type DomainEvents } from './domainEvents.js';
import {
  BilledByAppStoreError,
  CancelOptionUnavailableError,
  MembershipNotActiveError,
  RenewalInProgressError,
  MembershipNotFoundError,
  UndoNotPossibleError,
} from './membershipErrors.js';
import { maskText } from '../core/mask.js';
import { takesEffectLater } from './cancellationTiming.js';
import { newReference } from './referenceNumber.js';
import { renewalPrice } from './renewalPrice.js';
import { renewalInProgress } from './renewalCharge.js';
import { quoteCancellation, wholeDays, type CancellationQuote, type QuoteOption } from './refundQuote.js';

export interface MembershipView {
  membership: Membership;
  plan: Plan;
  remainingDays: number;
  coupons: { count: number; total: number; nearestExpiry?: string };
  /** The cancellation on record that still stands (not undone), if any. */
  cancellation?: Cancellation;
  canUndo: boolean;
  /** Active, but its period is over and no renewal is on record yet: never "0 days left". */
  renewalDue: boolean;
  /** What auto-renewal will charge next, and when; none when nothing more will be charged. */
  nextCharge?: NextCharge;
}

export interface NextCharge {
  at: string;
  amount: number;
  currency: Plan['currency'];
}

export interface CancelRequest {
  memberId: string;
  membershipId: string;
  option: CancelOption;
  /** Names the request, so a retry of the same request returns the first result. */
  requestId: string;
  conversationId?: string;
  reason?: string;
  /** Who asked outside a conversation (an API key's id), for the audit entry. */
  actor?: string;
}

export interface CancelResult {
  cancellation: Cancellation;
  membership: Membership;
  /** The member as the cancellation read them: a receipt names where notices go without reading again. */
  member: Member;
  /** True when nothing changed because this was already done (same request, or already cancelled). */
  alreadyDone: boolean;
}

export type AuditEvent = Omit<AuditEntry, 'id' | 'at'>;

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Audit entries kept for as long as the cancellation records: what the member was shown, what
 * they decided, what was committed (with the refund and fee the receipt states), why, an undo and
 * when it took effect. They are the evidence in a dispute over a refund and the books' record of
 * it, so no retention period of ours removes them. With them, the note that a member's personal
 * data was erased (`member.erased`): the proof that the request was carried out.
 */
export const KEPT_BY_LAW = ['cancellation.', 'member.erased'] as const;

/** How long a cancellation waits before the provider's feed lists it (see {@link MembershipService.cancellationFeed}). */
export const FEED_SETTLE_MS = 60_000;

/** Due cancellations applied per transaction by the sweep. */
const SWEEP_BATCH = 500;

/** A membership whose benefits ended: points and coupons go with them. */
function forfeited(membership: Membership): Membership {
  return { ...membership, points: 0, coupons: [] };
}

/** How much of a member's own words about why they left is kept. */
export const REASON_NOTE_LENGTH = 200;

/** Notices sent before a charge: the outbox's record answers "did you remind me?". */
const REMINDER_TEMPLATES: ReadonlySet<string> = new Set(['renewal-reminder', 'price-change']);

/** One reminder as the outbox holds it. */
export interface SentReminder {
  membershipId: string;
  /** When it went out, or was queued if it has not yet. */
  at: string;
  /** A member's channel: reminders never go out as webhook events. */
  channel: Member['notifyChannel'];
  delivered: boolean;
}

/**
 * Membership rules: what a member has, what cancelling would mean, cancelling, undoing. Each change
 * is one repository transaction holding the status, the record, the audit entry and the message.
 */

export class MembershipService {
  constructor(
    private readonly repo: Repository,
    private readonly notifier: Notifier,
    private readonly clock: Clock,
    private readonly random: RandomSource,
    /** Audit entries older than this are purged by the sweep, except those whose type starts with one of {@link KEPT_BY_LAW}. */
    private readonly auditRetentionDays = Infinity,
    private readonly events: DomainEvents = NO_EVENTS,
  ) {}

  /** Every membership of the member, newest period first; due cancellations take effect first. */
  async list(memberId: string): Promise<MembershipView[]> {
    const now = this.clock.now();
    const held = await this.repo.membershipsOf(memberId);
    if (held.some((m) => this.isDue(m, now))) {
      await this.applyDue(held.map((m) => m.id));
    }
    const views = await Promise.all((await this.repo.membershipsOf(memberId)).map((m) => this.view(m, now)));
    return views.sort((a, b) => Date.parse(b.membership.currentPeriodEnd) - Date.parse(a.membership.currentPeriodEnd));
  }

  /**
   * The renewal reminders and price-change notices the outbox holds for the member, oldest first,
   * each with the membership it was about (its text names it) and how it went.
   */
  async remindersOf(memberId: string): Promise<SentReminder[]> {
    const held = await this.repo.membershipsOf(memberId);
    const notices = (await this.repo.outboxOf(memberId)).filter(
      (m): m is OutboxMessage & { channel: Member['notifyChannel'] } =>
        REMINDER_TEMPLATES.has(m.template) && m.channel !== 'webhook',
    );
    return notices.flatMap((n) => {
      const about = held.find((m) => n.text.includes(m.id));
      return about
        ? [{ membershipId: about.id, at: n.sentAt ?? n.at, channel: n.channel, delivered: n.status === 'sent' }]
        : [];
    });
  }

  /** Every cancellation of the member's memberships, undone ones included, oldest first. */
  async cancellationsOf(memberId: string): Promise<Cancellation[]> {
    const held = await this.repo.membershipsOf(memberId);
    const lists = await Promise.all(held.map((m) => this.repo.cancellationsOf(m.id)));
    return lists.flat().sort((a, b) => Date.parse(a.receivedAt) - Date.parse(b.receivedAt));
  }

  /**
   * The feed of cancellations for the provider, paged after a position. Only those received
   * {@link FEED_SETTLE_MS} ago or earlier are listed: a transaction commits within seconds of
   * the time it stamps, so a page read later never gains an entry before its end (stable across
   * instances, whose clocks may differ a little).
   */
  async cancellationFeed(after: { receivedAt: string; reference: string } | null, limit: number) {
    const until = new Date(this.clock.now().getTime() - FEED_SETTLE_MS).toISOString();
    return this.repo.cancellationsAfter(after, until, limit);
  }

  async quote(memberId: string, membershipId: string): Promise<CancellationQuote> {
    const { membership, plan } = await this.owned(this.repo, memberId, membershipId);
    if (membership.status !== 'active') throw new MembershipNotActiveError(membershipId, membership.status);
    if (membership.appStore) throw new BilledByAppStoreError(membershipId, membership.appStore);
    if (renewalInProgress(membership)) throw new RenewalInProgressError(membershipId);
    const offer = plan.retentionOffer ? await this.repo.plan(plan.retentionOffer.planId) : undefined;
    return quoteCancellation(membership, plan, this.clock.now(), offer);
  }

  async cancel(request: CancelRequest): Promise<CancelResult> {
    return this.repo.transact(async (tx): Promise<CancelResult> => {
      // Every check runs inside the transaction, which holds the membership: two conversations
      // racing (in this process or another) see each other's result.
      const { membership, plan, member, answered, earlier } = await this.cancelReads(tx, request);
      // A request already answered is answered the same, even after an undo made the membership active again.
      if (answered) return { cancellation: answered, membership, member, alreadyDone: true };
      if (earlier && membership.status !== 'active')
        return { cancellation: earlier, membership, member, alreadyDone: true };
      if (membership.status !== 'active') throw new MembershipNotActiveError(membership.id, membership.status);
      if (membership.appStore) throw new BilledByAppStoreError(membership.id, membership.appStore);
      // Checked in the transaction that holds the membership: the pass marks the charge in one too,
      // so either it sees this cancellation and charges nothing, or this sees its charge in flight.
      if (renewalInProgress(membership)) throw new RenewalInProgressError(membership.id);
      const now = this.clock.now();
      const quote = quoteCancellation(membership, plan, now);
      const chosen = quote.options.find((o) => o.option === request.option);
      if (!chosen) throw new CancelOptionUnavailableError(membership.id, request.option);
      const reference = await this.freshReference(tx, now);
      const cancellation = cancellationRecord({ request, membership, plan, quote, chosen, reference, now });
      const changed = this.commitCancellation(tx, { request, member, membership, plan, cancellation });
      return { cancellation, membership: changed, member, alreadyDone: false };
    });
  }

  /** A reference no cancellation holds yet. */
  private async freshReference(tx: Transaction, now: Date): Promise<string> {
    let reference = newReference(now, this.random);
    while (await tx.cancellationByReference(reference)) reference = newReference(now, this.random);
    return reference;
  }

  /** Writes the cancellation, the membership it changes, its audit entry, the member's notice and the event. */
  private commitCancellation(
    tx: Transaction,
    { request, member, membership, plan, cancellation }: CommittedCancellation,
  ): Membership {
    const atOnce = !takesEffectLater(cancellation);
    const { effectiveAt } = cancellation;
    const changed: Membership = atOnce
      ? { ...forfeited(membership), status: 'cancelled', autoRenew: false, effectiveAt }
      : { ...membership, status: 'pending_cancel', autoRenew: false, effectiveAt };
    tx.put('memberships', changed);
    tx.put('cancellations', cancellation);
    this.audit(tx, {
      type: 'cancellation.committed',
      memberId: member.id,
      membershipId: membership.id,
      conversationId: request.conversationId,
      data: {
        reference: cancellation.reference,
        option: request.option,
        refund: cancellation.refund,
        fee: cancellation.fee,
        effectiveAt,
        ...(request.actor ? { actor: request.actor } : {}),
      },
    });
    tx.put(
      'outbox',
      this.notifier.compose(member, {
        template: atOnce ? 'cancellation-confirmed' : 'cancellation-scheduled',
        cancellation,
        planName: plan.name,
      }),
    );
    this.events.record(tx, cancelledEvent(cancellation, request.actor ?? 'member'));
    return changed;
  }

  /**
   * Stores why the member left, on the cancellation itself; asked only after cancelling. Their own
   * words go to the audit entry, masked and cut to {@link REASON_NOTE_LENGTH} characters.
   */
  async recordReason(
    memberId: string,
    reference: string,
    reason: string,
    conversationId?: string,
    words?: string,
  ): Promise<void> {
    await this.repo.transact(async (tx) => {
      const cancellation = await tx.cancellationByReference(reference);
      if (!cancellation || cancellation.memberId !== memberId) return;
      tx.put('cancellations', { ...cancellation, reason });
      this.audit(tx, {
        type: 'cancellation.reason',
        memberId,
        membershipId: cancellation.membershipId,
        conversationId,
        data: { reference, reason, ...(words ? { words: maskText(words).slice(0, REASON_NOTE_LENGTH) } : {}) },
      });
    });
  }

  /** Resumes a pending cancellation's membership before it takes effect. `actor`: as in {@link CancelRequest}. */
  async undo(memberId: string, membershipId: string, conversationId?: string, actor?: string): Promise<MembershipView> {
    const resumed = await this.repo.transact(async (tx) => {
      const { membership, plan } = await this.owned(tx, memberId, membershipId);
      const member = (await tx.memberById(memberId))!;
      const now = this.clock.now();
      const standing = await this.standing(tx, membershipId);
      const effective =
        membership.status === 'cancelled' ||
        (membership.effectiveAt !== undefined && hasPassed(membership.effectiveAt, now));
      if (standing && effective) throw new UndoNotPossibleError(membershipId, 'already_effective');
      if (membership.status !== 'pending_cancel') throw new UndoNotPossibleError(membershipId, 'not_pending');
      const { effectiveAt: _ended, ...rest } = membership;
      const active: Membership = { ...rest, status: 'active', autoRenew: true };
      tx.put('memberships', active);
      if (standing) tx.put('cancellations', { ...standing, undoneAt: now.toISOString() });
      this.audit(tx, {
        type: 'cancellation.undone',
        memberId,
        membershipId,
        conversationId,
        data: { reference: standing?.reference ?? null, ...(actor ? { actor } : {}) },
      });
      tx.put(
        'outbox',
        this.notifier.compose(member, {
          template: 'cancellation-undone',
          planName: plan.name,
          membershipId,
          periodEnd: membership.currentPeriodEnd,
          nextCharge: { amount: renewalPrice(membership, plan), currency: plan.currency },
        }),
      );
      const undone = { memberId, membershipId, reference: standing?.reference ?? null, undoneAt: now.toISOString() };
      this.events.record(tx, { type: 'cancellation.undone', ...undone, actor: actor ?? 'member' });
      return active;
    });
    return this.view(resumed, this.clock.now());
  }

  /**
   * Pending cancellations whose date has come become cancelled (returns how many), and audit
   * entries past their retention are purged.
   */
  async sweep(): Promise<number> {
    let applied = 0;
    for (;;) {
      const due = await this.repo.dueCancellations(this.clock.now().toISOString(), SWEEP_BATCH);
      if (due.length === 0) break;
      const done = await this.applyDue(due.map((m) => m.id));
      applied += done;
      if (done === 0 || due.length < SWEEP_BATCH) break;
    }
    if (Number.isFinite(this.auditRetentionDays)) {
      const cutoff = this.clock.now().getTime() - this.auditRetentionDays * DAY_MS;
      await this.repo.transact(async (tx) => tx.pruneAudit(new Date(cutoff).toISOString(), KEPT_BY_LAW));
    }
    return applied;
  }

  /** Records a step of the conversation that matters in a later dispute (never codes or numbers). */
  async recordAudit(event: AuditEvent): Promise<void> {
    await this.repo.transact(async (tx) => this.audit(tx, event));
  }

  private isDue(membership: Membership, now: Date): boolean {
    return (
      membership.status === 'pending_cancel' && hasPassed(membership.effectiveAt ?? membership.currentPeriodEnd, now)
    );
  }

  /** Each membership named that is due (read again inside the transaction) becomes cancelled. */
  private async applyDue(membershipIds: string[]): Promise<number> {
    return this.repo.transact(async (tx) => {
      const now = this.clock.now();
      let applied = 0;
      for (const id of membershipIds) {
        const membership = await tx.membership(id);
        if (!membership || !this.isDue(membership, now)) continue;
        tx.put('memberships', { ...forfeited(membership), status: 'cancelled' });
        applied += 1;
        const member = await tx.memberById(membership.memberId);
        const plan = await tx.plan(membership.planId);
        this.audit(tx, { type: 'cancellation.effective', memberId: membership.memberId, membershipId: membership.id });
        const effectiveAt = membership.effectiveAt ?? membership.currentPeriodEnd;
        this.events.record(tx, {
          type: 'cancellation.effective',
          memberId: membership.memberId,
          membershipId: id,
          effectiveAt,
        });
        if (member && plan) {
          tx.put(
            'outbox',
            this.notifier.compose(member, {
              template: 'cancellation-effective',
              planName: plan.name,
              membershipId: membership.id,
            }),
          );
        }
      }
      return applied;
    });
  }

  /**
   * What a cancellation checks, asked for together (a database sends them at once), in the order
   * they lock their rows: the membership and its plan, the member, the request's answer, the
   * cancellation standing.
   */
  private async cancelReads(tx: Transaction, request: CancelRequest) {
    const [{ membership, plan }, member, answered, earlier] = await Promise.all([
      this.owned(tx, request.memberId, request.membershipId),
      tx.memberById(request.memberId),
      tx.cancellationByRequest(request.requestId),
      this.standing(tx, request.membershipId),
    ]);
    return { membership, plan, member: member!, answered, earlier };
  }

  private async standing(reader: RecordReader, membershipId: string): Promise<Cancellation | undefined> {
    return (await reader.cancellationsOf(membershipId)).filter((c) => !c.undoneAt).at(-1);
  }

  private async owned(
    reader: RecordReader,
    memberId: string,
    membershipId: string,
  ): Promise<{ membership: Membership; plan: Plan }> {
    const membership = await reader.membership(membershipId);
    const plan = membership && (await reader.plan(membership.planId));
    if (!membership || !plan || membership.memberId !== memberId) throw new MembershipNotFoundError(membershipId);
    return { membership, plan };
  }

  private async view(membership: Membership, now: Date): Promise<MembershipView> {
    const plan = (await this.repo.plan(membership.planId))!;
    const live = membership.coupons.filter((c) => !hasPassed(c.expiresAt, now));
    const nearest = live.map((c) => c.expiresAt).sort((a, b) => Date.parse(a) - Date.parse(b))[0];
    const cancellation = await this.standing(this.repo, membership.id);
    const active = membership.status === 'active' || membership.status === 'pending_cancel';
    const renewalDue = membership.status === 'active' && hasPassed(membership.currentPeriodEnd, now);
    // After a refused renewal the charge is tried once more when the grace ends.
    const renews = membership.status === 'active' && membership.autoRenew && (!renewalDue || !!membership.graceUntil);
    return {
      membership,
      plan,
      remainingDays: active ? wholeDays(now, new Date(membership.effectiveAt ?? membership.currentPeriodEnd)) : 0,
      coupons: {
        count: live.length,
        total: live.reduce((s, c) => s + c.value, 0),
        ...(nearest ? { nearestExpiry: nearest } : {}),
      },
      ...(cancellation ? { cancellation } : {}),
      canUndo:
        membership.status === 'pending_cancel' &&
        !hasPassed(membership.effectiveAt ?? membership.currentPeriodEnd, now),
      renewalDue,
      ...(renews
        ? {
            nextCharge: {
              at: membership.graceUntil ?? membership.currentPeriodEnd,
              amount: renewalPrice(membership, plan),
              currency: plan.currency,
            },
          }
        : {}),
    };
  }

  private audit(tx: Transaction, event: AuditEvent): void {
    tx.put('audit', { id: `au-${this.random.hex(8)}`, at: this.clock.now().toISOString(), ...event });
  }
}

/** What a cancellation is committed with. */
interface CommittedCancellation {
  request: CancelRequest;
  member: Member;
  membership: Membership;
  plan: Plan;
  cancellation: Cancellation;
}

/** The cancellation record for the chosen option, with what the member forfeits. */
function cancellationRecord({
  request,
  membership,
  plan,
  quote,
  chosen,
  reference,
  now,
}: {
  request: CancelRequest;
  membership: Membership;
  plan: Plan;
  quote: CancellationQuote;
  chosen: QuoteOption;
  reference: string;
  now: Date;
}): Cancellation {
  return {
    reference,
    requestId: request.requestId,
    membershipId: membership.id,
    memberId: membership.memberId,
    planId: plan.id,
    option: request.option,
    receivedAt: now.toISOString(),
    effectiveAt: chosen.effectiveAt,
    refund: chosen.refund,
    fee: chosen.fee,
    currency: plan.currency,
    forfeited: {
      points: membership.points,
      coupons: quote.forfeited.coupons.map((c) => ({ id: c.id, value: c.value })),
      tier: plan.tier,
    },
    ...(request.reason ? { reason: request.reason } : {}),
    ...(request.conversationId ? { conversationId: request.conversationId } : {}),
  };
}
