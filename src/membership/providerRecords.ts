import type { Clock } from '../core/clock.js';
import type { RandomSource } from '../core/random.js';
import type { Repository, Transaction } from '../model/repository.js';
import { isErased, type Member, type Membership } from '../model/schema.js';
import { NO_EVENTS, type DomainEvents } from './domainEvents.js';
import { MembershipNotActiveError } from './membershipErrors.js';

/** What the provider says a member is: the fields it owns (the conversation's own stay ours). */
export type MemberFields = Pick<Member, 'name' | 'phone' | 'email' | 'locale' | 'notifyChannel'>;

/** What the provider says a membership is; its status changes only by cancelling, undoing or renewing. */
export type MembershipFields = Pick<
  Membership,
  | 'planId'
  | 'autoRenew'
  | 'startedAt'
  | 'currentPeriodStart'
  | 'currentPeriodEnd'
  | 'pricePaid'
  | 'points'
  | 'coupons'
  | 'timeZone'
>;

/** The upsert cannot be applied as sent; `code` says why, for a program to act on. */
export class RecordConflictError extends Error {
  constructor(
    readonly code: 'member_erased' | 'address_taken' | 'membership_of_another_member' | 'plan_not_found',
    detail: string,
  ) {
    super(detail);
    this.name = 'RecordConflictError';
  }
}

export class MemberNotFoundError extends Error {
  constructor(readonly memberId: string) {
    super(`No member ${memberId}; PUT /v1/members/${memberId} first.`);
    this.name = 'MemberNotFoundError';
  }
}

export interface Upserted<T> {
  record: T;
  created: boolean;
}

/**
 * The provider's own records of members and memberships, kept in step with ours (create or
 * replace by id). Each write is one transaction with its audit entry (naming the API key) and its
 * event; personal fields are sealed at rest by the store like every member's.
 */
export class ProviderRecords {
  constructor(
    private readonly repo: Repository,
    private readonly clock: Clock,
    private readonly random: RandomSource,
    private readonly events: DomainEvents = NO_EVENTS,
  ) {}

  async putMember(id: string, fields: MemberFields, actor: string): Promise<Upserted<Member>> {
    return this.repo.transact(async (tx) => {
      const held = await tx.memberById(id);
      if (held && isErased(held))
        throw new RecordConflictError('member_erased', `Member ${id} was erased; its number is not used again.`);
      for (const other of [await tx.memberByPhone(fields.phone), await tx.memberByEmail(fields.email)])
        if (other && other.id !== id)
          throw new RecordConflictError('address_taken', `Member ${other.id} has that phone number or e-mail.`);
      const record: Member = { ...held, ...fields, id };
      tx.put('members', record);
      this.audit(tx, 'member.upserted', { memberId: id }, { actor, created: !held });
      this.events.record(tx, { type: 'member.updated', memberId: id, actor });
      return { record, created: !held };
    });
  }

  async putMembership(
    memberId: string,
    id: string,
    fields: MembershipFields,
    actor: string,
  ): Promise<Upserted<Membership>> {
    return this.repo.transact(async (tx) => {
      const member = await tx.memberById(memberId);
      if (!member) throw new MemberNotFoundError(memberId);
      if (!(await tx.plan(fields.planId))) throw new RecordConflictError('plan_not_found', `No plan ${fields.planId}.`);
      const held = await tx.membership(id);
      if (held && held.memberId !== memberId)
        throw new RecordConflictError('membership_of_another_member', `Membership ${id} belongs to another member.`);
      // A pending or ended membership is changed by undoing or by a new membership, never overwritten.
      if (held && held.status !== 'active') throw new MembershipNotActiveError(id, held.status, 'replace');
      const record: Membership = held ? { ...held, ...fields } : { id, memberId, status: 'active', ...fields };
      tx.put('memberships', record);
      this.audit(tx, 'membership.upserted', { memberId, membershipId: id }, { actor, created: !held });
      this.events.record(tx, { type: 'membership.updated', memberId, membershipId: id, actor });
      return { record, created: !held };
    });
  }

  private audit(
    tx: Transaction,
    type: string,
    about: { memberId: string; membershipId?: string },
    data: Record<string, string | boolean>,
  ): void {
    tx.put('audit', { id: `au-${this.random.hex(8)}`, at: this.clock.now().toISOString(), type, ...about, data });
  }
}
