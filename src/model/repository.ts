import type {
  ApiKey,
  AuditEntry,
  Cancellation,
  Handoff,
  IdempotencyKey,
  Jurisdiction,
  Member,
  Membership,
  OtpChallenge,
  OutboxMessage,
  Plan,
} from './schema.js';

/**
 * Look-ups by key. Every record handed out is the caller's own copy: changing it changes nothing
 * stored; only a transaction's {@link Transaction.put} does.
 *
 * @remarks Each look-up is answered from an index, never a scan, so a turn may make several. Records
 * come back as the domain knows them: personal fields opened, whatever the engine keeps at rest.
 */
export interface RecordReader {
  /**
   * A member by id.
   *
   * @param id - The member's id.
   * @returns The member, or undefined when there is none.
   */
  memberById(id: string): Promise<Member | undefined>;
  /**
   * The member with this phone number, found through its blind index (the number itself may be sealed).
   *
   * @param e164 - The number in E.164 form, as the identifier parser leaves it.
   * @returns The member, or undefined when no member has the number.
   */
  memberByPhone(e164: string): Promise<Member | undefined>;
  /**
   * The member with this e-mail address, found through its blind index; case does not matter.
   *
   * @param email - The address as typed.
   * @returns The member, or undefined when no member has the address.
   */
  memberByEmail(email: string): Promise<Member | undefined>;
  /**
   * A plan by id.
   *
   * @param id - The plan's id.
   * @returns The plan, or undefined when there is none.
   */
  plan(id: string): Promise<Plan | undefined>;
  /**
   * A membership by id, whoever holds it: callers check `memberId` before showing or changing it.
   *
   * @param id - The membership's id.
   * @returns The membership, or undefined when there is none.
   */
  membership(id: string): Promise<Membership | undefined>;
  /**
   * Every membership a member holds, whatever its status.
   *
   * @param memberId - The member's id.
   * @returns The memberships; empty when the member holds none (or does not exist).
   */
  membershipsOf(memberId: string): Promise<Membership[]>;
  /**
   * The cancellations of one membership, undone ones included.
   *
   * @param membershipId - The membership's id.
   * @returns The cancellations, oldest first.
   */
  cancellationsOf(membershipId: string): Promise<Cancellation[]>;
  /**
   * The cancellation a request made, so that a retried request gets the first answer.
   *
   * @param requestId - The id the request carried ({@link Cancellation.requestId}).
   * @returns The cancellation, or undefined when that request made none.
   */
  cancellationByRequest(requestId: string): Promise<Cancellation | undefined>;
  /**
   * The cancellation with this reference (the one the member is given).
   *
   * @param reference - The reference, exactly as issued.
   * @returns The cancellation, or undefined when there is none.
   */
  cancellationByReference(reference: string): Promise<Cancellation | undefined>;
  /**
   * A one-time-code challenge by id, in whatever state it is.
   *
   * @param id - The challenge's id.
   * @returns The challenge, or undefined when there is none (never issued, or pruned).
   */
  challenge(id: string): Promise<OtpChallenge | undefined>;
  /**
   * The challenges issued for an identifier (its keyed hash, never the number or address).
   *
   * @param identifier - The identifier's key ({@link OtpChallenge.identifier}).
   * @returns The challenges, oldest first.
   */
  challengesFor(identifier: string): Promise<OtpChallenge[]>;
  /**
   * The challenges a requester asked for: a conversation, a client address or its network.
   *
   * @param requesterKey - One of a challenge's `requesters`.
   * @returns The challenges whose `requesters` hold the key, oldest first.
   */
  challengesBy(requesterKey: string): Promise<OtpChallenge[]>;
  /**
   * The latest challenges whose `requesters` hold this key: issued at or after `since`, newest
   * first, at most `limit`, so the cost is bounded however many share the key (an address behind
   * a NAT). In a transaction the key is held until it ends: another transaction reading it, in
   * this process or another, waits, then sees what this one wrote.
   *
   * @param requesterKey - One of a challenge's `requesters`.
   * @param since - An ISO instant: challenges issued before it are left out.
   * @param limit - At most this many.
   * @returns The challenges, newest first.
   */
  latestChallengesBy(requesterKey: string, since: string, limit: number): Promise<OtpChallenge[]>;
  /**
   * An outbox message by id, in whatever state it is.
   *
   * @param id - The message's id.
   * @returns The message, or undefined when there is none (never written, or pruned).
   */
  outboxMessage(id: string): Promise<OutboxMessage | undefined>;
  /**
   * The member's notices, for a copy of their data and for erasure.
   *
   * @param memberId - The member's id.
   * @returns The messages addressed to the member, oldest first.
   */
  outboxOf(memberId: string): Promise<OutboxMessage[]>;
  /**
   * A provider's API key by its public id, revoked or not: the caller decides what a revoked key may do.
   *
   * @param id - The key's public id (the part of the key before its secret).
   * @returns The key's record, or undefined when there is none.
   */
  apiKey(id: string): Promise<ApiKey | undefined>;
  /**
   * An acting API request's record: the answer kept for its Idempotency-Key, or the hold while it runs.
   *
   * @param id - `<API key id>:<Idempotency-Key>`, so two keys never share a record.
   * @returns The record, or undefined when the key has not been used.
   */
  idempotencyKey(id: string): Promise<IdempotencyKey | undefined>;
}

/** The records a transaction writes whole (inserted, or replacing the one with the same key). */
export interface StoredRecords {
  members: Member;
  memberships: Membership;
  cancellations: Cancellation;
  otpChallenges: OtpChallenge;
  outbox: OutboxMessage;
  audit: AuditEntry;
  handoffs: Handoff;
  apiKeys: ApiKey;
  idempotencyKeys: IdempotencyKey;
}

/**
 * One unit of change. Its reads see its own writes and hold the records they return until it ends
 * (two transactions reading the same membership run one after the other), so a check made inside
 * it still holds when it commits. Writes are explicit and whole: nothing read is changed in place.
 */
export interface Transaction extends RecordReader {
  /**
   * Writes a whole record when the transaction commits: inserted, or replacing the one with the same key.
   * Later reads in the same transaction see it at once.
   *
   * @param collection - Where the record goes.
   * @param record - The whole record; nothing of the stored one is merged in.
   * @remarks The uniqueness the domain relies on (one cancellation a request, one member a phone
   * number and an e-mail, one open challenge an identifier) is checked at commit: a put that breaks
   * it makes the whole transaction fail with `DuplicateRecordError` (repositoryErrors.ts).
   */
  put<K extends keyof StoredRecords>(collection: K, record: StoredRecords[K]): void;
  /**
   * Drops, at commit, one-time-code challenges closed (or, unanswered, expired) before `cutoff`;
   * they no longer count for any rule.
   *
   * @param cutoff - An ISO instant.
   */
  pruneChallenges(cutoff: string): void;
  /**
   * Drops, at commit, code messages (secret templates) delivered or parked before `cutoff`; pending ones stay.
   *
   * @param cutoff - An ISO instant.
   */
  pruneSpentSecrets(cutoff: string): void;
  /**
   * Drops, at commit, audit entries recorded before `cutoff`, except those whose type starts with one of `keptPrefixes`.
   *
   * @param cutoff - An ISO instant.
   * @param keptPrefixes - Audit types kept however old (what the law asks to keep longer).
   */
  pruneAudit(cutoff: string, keptPrefixes: readonly string[]): void;
}

/**
 * Days before an automatic renewal that its reminder is due, by jurisdiction and plan period; a
 * membership's jurisdiction is its member's, else its plan's, else `fallback`.
 */
export interface RenewalLeadDays {
  fallback: Jurisdiction;
  days: Readonly<Record<Jurisdiction, Readonly<Record<Plan['period'], number>>>>;
}

/**
 * What the domain needs from storage: look-ups answered from indexes (never a scan in a turn), and
 * transactions that commit all they wrote or nothing. Adapters: the JSON store (embedded default)
 * and PostgreSQL; one contract test suite runs against both.
 */
export interface Repository extends RecordReader {
  /**
   * Runs `work` as one transaction and commits what it put.
   *
   * @param work - Reads and puts through `tx`; its result is the transaction's.
   * @returns What `work` returned, once its writes are committed (on disk, or in the database).
   * @remarks If `work` throws or the commit fails, nothing of it is kept and the promise rejects
   * (a broken connection mid-commit rejects with `CommitOutcomeUnknownError`). It may run `work`
   * again after a conflict with another instance, so `work` must do nothing but read and put.
   */
  transact<R>(work: (tx: Transaction) => Promise<R>): Promise<R>;
  /**
   * Pending cancellations whose date (effectiveAt, else the period's end) is at or before `now`.
   *
   * @param now - An ISO instant.
   * @param limit - At most this many; the pass asks again until fewer come back.
   * @returns The memberships, as a batch to apply.
   */
  dueCancellations(now: string, limit: number): Promise<Membership[]>;
  /**
   * Takes up to `limit` active memberships whose period (or, after a refused renewal, its grace)
   * ended at or before `now` and that no one else holds, and holds them for `leaseMs`: until then
   * no other claim (in this process or another) returns them, so instances passing at once share
   * the work instead of queueing on the same rows. Memberships an app store bills are left out:
   * the store renews them. A hold decides nothing: the pass still checks each membership in the
   * transaction that changes it.
   *
   * @param now - An ISO instant.
   * @param leaseMs - How long the claim holds them; a holder that dies lets them go then.
   * @param limit - At most this many.
   * @returns The memberships now held by the caller, to renew or end.
   */
  claimPeriodsEnded(now: string, leaseMs: number, limit: number): Promise<Membership[]>;
  /**
   * Lets go of memberships this repository claimed ({@link claimPeriodsEnded}) before their hold
   * runs out, so the next pass may take them at once.
   *
   * @param ids - The memberships' ids; those held by another instance stay held.
   * @returns Once they are free.
   */
  releasePeriodClaims(ids: readonly string[]): Promise<void>;
  /**
   * Active, auto-renewing memberships with no grace running whose renewal reminder for the current
   * period is due (the period ends within the lead days of its jurisdiction and plan period) and
   * has not been sent. Memberships an app store bills are left out: the store reminds its own.
   *
   * @param now - An ISO instant.
   * @param lead - The notice periods in force.
   * @param limit - At most this many.
   * @returns The memberships whose reminder is owed.
   */
  renewalsToRemind(now: string, lead: RenewalLeadDays, limit: number): Promise<Membership[]>;
  /**
   * Memberships with a price change on record whose notice is due at `now` and not yet sent,
   * whatever their status: the pass decides whether a notice is still owed.
   *
   * @param now - An ISO instant.
   * @param limit - At most this many.
   * @returns The memberships to consider.
   */
  priceNoticesDue(now: string, limit: number): Promise<Membership[]>;
  /**
   * Takes up to `limit` pending messages due at `now` that no one else holds, and holds them for
   * `leaseMs`: until then no other claim (in this process or another) returns them. Putting the
   * message back (sent, or with its next attempt) ends the hold. With `channel`, only that
   * channel's messages: the dispatcher claims each channel apart, so a slow one holds back no other.
   *
   * @param now - An ISO instant: messages whose next attempt is due by then.
   * @param leaseMs - How long the claim holds them.
   * @param limit - At most this many.
   * @param channel - Only this channel's messages; all channels when left out.
   * @returns The messages now held by the caller, to send and put back.
   */
  claimOutbox(
    now: string,
    leaseMs: number,
    limit: number,
    channel?: OutboxMessage['channel'],
  ): Promise<OutboxMessage[]>;
  /**
   * Registers a listener for new outbox messages, so delivery need not wait for its timer.
   *
   * @param listener - Called after a transaction that added messages commits, here or (where the
   * engine can say, as PostgreSQL's notifications do) in another instance.
   */
  onOutbox(listener: () => void): void;
  /**
   * Every audit entry: a scan, for tools and tests, never for a turn.
   *
   * @returns The entries, oldest first.
   */
  auditEntries(): Promise<AuditEntry[]>;
  /**
   * Cancellations received at or before `until`, in (receivedAt, reference) order, after the
   * position `after` (none: from the first), at most `limit`: the provider's feed, paged.
   *
   * @param after - The last entry of the page before, or null for the first page.
   * @param until - An ISO instant: later cancellations are left for a later read.
   * @param limit - At most this many.
   * @returns The page, in feed order.
   */
  cancellationsAfter(
    after: { receivedAt: string; reference: string } | null,
    until: string,
    limit: number,
  ): Promise<Cancellation[]>;
  /**
   * Every API key, revoked ones included: for the key command, never for a request.
   *
   * @returns The keys, oldest first.
   */
  apiKeys(): Promise<ApiKey[]>;
  /**
   * Stops keeping earlier versions of replaced records where the engine's own files still hold
   * them, after an erasure: the JSON store rewrites its snapshot and empties its journal, which
   * held every version put. PostgreSQL leaves its dead row versions to autovacuum (docs/POSTGRESQL.md).
   *
   * @returns Once the earlier versions are gone from the engine's files (at once on PostgreSQL).
   */
  forgetEarlierVersions(): Promise<void>;
}
