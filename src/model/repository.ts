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
 */
export interface RecordReader {
  memberById(id: string): Promise<Member | undefined>;
  memberByPhone(e164: string): Promise<Member | undefined>;
  memberByEmail(email: string): Promise<Member | undefined>;
  plan(id: string): Promise<Plan | undefined>;
  membership(id: string): Promise<Membership | undefined>;
  membershipsOf(memberId: string): Promise<Membership[]>;
  /** Oldest first. */
  cancellationsOf(membershipId: string): Promise<Cancellation[]>;
  cancellationByRequest(requestId: string): Promise<Cancellation | undefined>;
  cancellationByReference(reference: string): Promise<Cancellation | undefined>;
  challenge(id: string): Promise<OtpChallenge | undefined>;
  /** Oldest first. */
  challengesFor(identifier: string): Promise<OtpChallenge[]>;
  /** Challenges whose `requesters` hold this key, oldest first. */
  challengesBy(requesterKey: string): Promise<OtpChallenge[]>;
  /**
   * The latest challenges whose `requesters` hold this key: issued at or after `since`, newest
   * first, at most `limit`, so the cost is bounded however many share the key (an address behind
   * a NAT). In a transaction the key is held until it ends: another transaction reading it, in
   * this process or another, waits, then sees what this one wrote.
   */
  latestChallengesBy(requesterKey: string, since: string, limit: number): Promise<OtpChallenge[]>;
  outboxMessage(id: string): Promise<OutboxMessage | undefined>;
  /** The member's notices, oldest first (a copy of their data, erasure). */
  outboxOf(memberId: string): Promise<OutboxMessage[]>;
  /** A provider's API key by its public id, revoked or not. */
  apiKey(id: string): Promise<ApiKey | undefined>;
  /** An acting API request's record by `<API key id>:<Idempotency-Key>`. */
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
  put<K extends keyof StoredRecords>(collection: K, record: StoredRecords[K]): void;
  /** Drops one-time-code challenges closed (or, unanswered, expired) before `cutoff`; they no longer count for any rule. */
  pruneChallenges(cutoff: string): void;
  /** Drops code messages (secret templates) delivered or parked before `cutoff`; pending ones stay. */
  pruneSpentSecrets(cutoff: string): void;
  /** Drops audit entries recorded before `cutoff`, except those whose type starts with one of `keptPrefixes`. */
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
   * Runs `work` as one transaction and commits what it put; if `work` throws or the commit fails,
   * nothing of it is kept. It may run `work` again (after a conflict with another instance), so
   * `work` must do nothing but read and put.
   */
  transact<R>(work: (tx: Transaction) => Promise<R>): Promise<R>;
  /** Pending cancellations whose date (effectiveAt, else the period's end) is at or before `now`. */
  dueCancellations(now: string, limit: number): Promise<Membership[]>;
  /**
   * Active memberships whose period (or, after a refused renewal, its grace) ended at or before
   * `now`; not those an app store bills, which the store renews.
   */
  periodsEnded(now: string, limit: number): Promise<Membership[]>;
  /**
   * Active, auto-renewing memberships with no grace running whose renewal reminder for the current
   * period is due (the period ends within the lead days of its jurisdiction and plan period) and
   * has not been sent. Memberships an app store bills are left out: the store reminds its own.
   */
  renewalsToRemind(now: string, lead: RenewalLeadDays, limit: number): Promise<Membership[]>;
  /**
   * Memberships with a price change on record whose notice is due at `now` and not yet sent,
   * whatever their status: the pass decides whether a notice is still owed.
   */
  priceNoticesDue(now: string, limit: number): Promise<Membership[]>;
  /**
   * Takes up to `limit` pending messages due at `now` that no one else holds, and holds them for
   * `leaseMs`: until then no other claim (in this process or another) returns them. Putting the
   * message back (sent, or with its next attempt) ends the hold. With `channel`, only that
   * channel's messages: the dispatcher claims each channel apart, so a slow one holds back no other.
   */
  claimOutbox(
    now: string,
    leaseMs: number,
    limit: number,
    channel?: OutboxMessage['channel'],
  ): Promise<OutboxMessage[]>;
  /** Calls `listener` when a transaction (here or, where the engine can say, in another instance) added messages. */
  onOutbox(listener: () => void): void;
  /** Oldest first; for tools and tests, never for a turn. */
  auditEntries(): Promise<AuditEntry[]>;
  /**
   * Cancellations received at or before `until`, in (receivedAt, reference) order, after the
   * position `after` (none: from the first), at most `limit`: the provider's feed, paged.
   */
  cancellationsAfter(
    after: { receivedAt: string; reference: string } | null,
    until: string,
    limit: number,
  ): Promise<Cancellation[]>;
  /** Every API key, oldest first; for the key command, never for a request. */
  apiKeys(): Promise<ApiKey[]>;
  /**
   * Stops keeping earlier versions of replaced records where the engine's own files still hold
   * them, after an erasure: the JSON store rewrites its snapshot and empties its journal, which
   * held every version put. PostgreSQL leaves its dead row versions to autovacuum (docs/POSTGRESQL.md).
   */
  forgetEarlierVersions(): Promise<void>;
}
