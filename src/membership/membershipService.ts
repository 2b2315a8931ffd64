import type { Clock } from '../core/clock.js';
import { hasPassed } from '../core/instant.js';
import type { RandomSource } from '../core/random.js';
import type { Repository, Transaction } from '../model/repository.js';
import type { AuditEntry, Cancellation, CancelOption, Membership, Plan } from '../model/schema.js';
import type { Notifier } from '../notify/notifier.js';
import {
  CancelOptionUnavailableError,
  MembershipNotActiveError,
  MembershipNotFoundError,
  UndoNotPossibleError,
} from './membershipErrors.js';
import { newReference } from './referenceNumber.js';
import { quoteCancellation, wholeDays, type CancellationQuote } from './refundQuote.js';

export interface MembershipView {
  membership: Membership;
  plan: Plan;
  remainingDays: number;
  coupons: { count: number; total: number; nearestExpiry?: string };
  /** The cancellation on record that still stands (not undone), if any. */
  cancellation?: Cancellation;
  canUndo: boolean;
}

export interface CancelRequest {
  memberId: string;
  membershipId: string;
  option: CancelOption;
  /** Names the request, so a retry of the same request returns the first result. */
  requestId: string;
  conversationId?: string;
  reason?: string;
}

export interface CancelResult {
  cancellation: Cancellation;
  membership: Membership;
  /** True when nothing changed because this was already done (same request, or already cancelled). */
  alreadyDone: boolean;
}

export type AuditEvent = Omit<AuditEntry, 'id' | 'at'>;

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Audit entries kept for as long as the cancellation records: what the member was shown, what
 * they decided, what was committed (with the refund and fee the receipt states), why, an undo and
 * when it took effect. They are the evidence in a dispute over a refund and the books' record of
 * it, so no retention period of ours removes them.
 */
export function keptByLaw(entry: AuditEntry): boolean {
  return entry.type.startsWith('cancellation.');
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
    /** Audit entries older than this are purged by the sweep, except those {@link keptByLaw}. */
    private readonly auditRetentionDays = Infinity,
  ) {}

  /** Every membership of the member, newest period first; due cancellations take effect first. */
  async list(memberId: string): Promise<MembershipView[]> {
    await this.applyDue(this.repo.membershipsOf(memberId));
    const now = this.clock.now();
    return this.repo
      .membershipsOf(memberId)
      .map((membership) => this.view(membership, now))
      .sort((a, b) => Date.parse(b.membership.currentPeriodEnd) - Date.parse(a.membership.currentPeriodEnd));
  }

  async quote(memberId: string, membershipId: string): Promise<CancellationQuote> {
    const { membership, plan } = this.owned(memberId, membershipId);
    if (membership.status !== 'active') throw new MembershipNotActiveError(membershipId, membership.status);
    const offer = plan.retentionOffer ? this.repo.plan(plan.retentionOffer.planId) : undefined;
    return quoteCancellation(membership, plan, this.clock.now(), offer);
  }

  async cancel(request: CancelRequest): Promise<CancelResult> {
    const { membership, plan } = this.owned(request.memberId, request.membershipId);
    const member = this.repo.memberById(request.memberId)!;
    return this.repo.transact((tx): CancelResult => {
      // Every check runs inside the transaction, so two conversations racing see each other's result.
      const earlier = this.repo.cancellationByRequest(request.requestId) ?? this.standing(membership.id);
      if (earlier && membership.status !== 'active') return { cancellation: earlier, membership, alreadyDone: true };
      if (membership.status !== 'active') throw new MembershipNotActiveError(membership.id, membership.status);
      const now = this.clock.now();
      const quote = quoteCancellation(membership, plan, now);
      const chosen = quote.options.find((o) => o.option === request.option);
      if (!chosen) throw new CancelOptionUnavailableError(membership.id, request.option);

      let reference = newReference(now, this.random);
      while (this.repo.referenceExists(reference)) reference = newReference(now, this.random);
      const cancellation: Cancellation = {
        reference,
        requestId: request.requestId,
        membershipId: membership.id,
        memberId: member.id,
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
      tx.changed('memberships', membership);
      membership.autoRenew = false;
      membership.effectiveAt = chosen.effectiveAt;
      if (request.option === 'immediate') {
        membership.status = 'cancelled';
        this.forfeit(membership);
      } else {
        membership.status = 'pending_cancel';
      }
      tx.addCancellation(cancellation);
      this.audit(tx, {
        type: 'cancellation.committed',
        memberId: member.id,
        membershipId: membership.id,
        conversationId: request.conversationId,
        data: {
          reference,
          option: request.option,
          refund: chosen.refund,
          fee: chosen.fee,
          effectiveAt: chosen.effectiveAt,
        },
      });
      tx.addOutbox(
        this.notifier.compose(member, {
          template: request.option === 'immediate' ? 'cancellation-confirmed' : 'cancellation-scheduled',
          cancellation,
          planName: plan.name[member.locale],
        }),
      );
      return { cancellation, membership, alreadyDone: false };
    });
  }

  /** Stores why the member left, on the cancellation itself; asked only after cancelling. */
  async recordReason(memberId: string, reference: string, reason: string, conversationId?: string): Promise<void> {
    await this.repo.transact((tx) => {
      const cancellation = this.repo.cancellationByReference(reference);
      if (!cancellation || cancellation.memberId !== memberId) return;
      tx.changed('cancellations', cancellation);
      cancellation.reason = reason;
      this.audit(tx, {
        type: 'cancellation.reason',
        memberId,
        membershipId: cancellation.membershipId,
        conversationId,
        data: { reference, reason },
      });
    });
  }

  /** Resumes a pending cancellation's membership before it takes effect. */
  async undo(memberId: string, membershipId: string, conversationId?: string): Promise<MembershipView> {
    const { membership, plan } = this.owned(memberId, membershipId);
    const member = this.repo.memberById(memberId)!;
    await this.repo.transact((tx) => {
      const now = this.clock.now();
      const standing = this.standing(membershipId);
      tx.changed('memberships', membership);
      if (standing) tx.changed('cancellations', standing);
      const effective =
        membership.status === 'cancelled' ||
        (membership.effectiveAt !== undefined && hasPassed(membership.effectiveAt, now));
      if (standing && effective) throw new UndoNotPossibleError(membershipId, 'already_effective');
      if (membership.status !== 'pending_cancel') throw new UndoNotPossibleError(membershipId, 'not_pending');
      membership.status = 'active';
      membership.autoRenew = true;
      delete membership.effectiveAt;
      if (standing) standing.undoneAt = now.toISOString();
      this.audit(tx, {
        type: 'cancellation.undone',
        memberId,
        membershipId,
        conversationId,
        data: { reference: standing?.reference ?? null },
      });
      tx.addOutbox(
        this.notifier.compose(member, {
          template: 'cancellation-undone',
          planName: plan.name[member.locale],
          membershipId,
          periodEnd: membership.currentPeriodEnd,
          nextCharge: { amount: plan.price, currency: plan.currency },
        }),
      );
    });
    return this.view(membership, this.clock.now());
  }

  /**
   * Pending cancellations whose date has come become cancelled (returns how many), and audit
   * entries past their retention are purged.
   */
  async sweep(): Promise<number> {
    const applied = await this.applyDue(this.repo.memberships((m) => m.status === 'pending_cancel'));
    if (Number.isFinite(this.auditRetentionDays)) {
      const cutoff = this.clock.now().getTime() - this.auditRetentionDays * DAY_MS;
      if (this.repo.audit().some((entry) => Date.parse(entry.at) < cutoff && !keptByLaw(entry))) {
        await this.repo.transact((tx) => tx.pruneAudit(new Date(cutoff).toISOString(), keptByLaw));
      }
    }
    return applied;
  }

  /** Records a step of the conversation that matters in a later dispute (never codes or numbers). */
  async recordAudit(event: AuditEvent): Promise<void> {
    await this.repo.transact((tx) => this.audit(tx, event));
  }

  private async applyDue(candidates: Membership[]): Promise<number> {
    const now = this.clock.now();
    const due = candidates.filter(
      (m) => m.status === 'pending_cancel' && hasPassed(m.effectiveAt ?? m.currentPeriodEnd, now),
    );
    if (due.length === 0) return 0;
    return this.repo.transact((tx) => {
      let applied = 0;
      for (const membership of due) {
        if (membership.status !== 'pending_cancel') continue;
        tx.changed('memberships', membership);
        membership.status = 'cancelled';
        this.forfeit(membership);
        applied += 1;
        const member = this.repo.memberById(membership.memberId);
        const plan = this.repo.plan(membership.planId);
        this.audit(tx, { type: 'cancellation.effective', memberId: membership.memberId, membershipId: membership.id });
        if (member && plan) {
          tx.addOutbox(
            this.notifier.compose(member, {
              template: 'cancellation-effective',
              planName: plan.name[member.locale],
              membershipId: membership.id,
            }),
          );
        }
      }
      return applied;
    });
  }

  private forfeit(membership: Membership): void {
    membership.points = 0;
    membership.coupons = [];
  }

  private standing(membershipId: string): Cancellation | undefined {
    return this.repo
      .cancellationsOf(membershipId)
      .filter((c) => !c.undoneAt)
      .at(-1);
  }

  private owned(memberId: string, membershipId: string): { membership: Membership; plan: Plan } {
    const membership = this.repo.membership(membershipId);
    const plan = membership && this.repo.plan(membership.planId);
    if (!membership || !plan || membership.memberId !== memberId) throw new MembershipNotFoundError(membershipId);
    return { membership, plan };
  }

  private view(membership: Membership, now: Date): MembershipView {
    const plan = this.repo.plan(membership.planId)!;
    const live = membership.coupons.filter((c) => !hasPassed(c.expiresAt, now));
    const nearest = live.map((c) => c.expiresAt).sort((a, b) => Date.parse(a) - Date.parse(b))[0];
    const cancellation = this.standing(membership.id);
    const active = membership.status === 'active' || membership.status === 'pending_cancel';
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
    };
  }

  private audit(tx: Transaction, event: AuditEvent): void {
    tx.addAudit({ id: `au-${this.random.hex(8)}`, at: this.clock.now().toISOString(), ...event });
  }
}
