import type {
  AuditEntry,
  Cancellation,
  Handoff,
  Member,
  Membership,
  OtpChallenge,
  OutboxMessage,
  Plan,
} from './schema.js';

/**
 * What the domain needs from storage. Look-ups answer from indexes, never by scanning; a
 * {@link Repository.transact} callback runs alone and synchronously, and everything it records is
 * written to disk together, so a crash keeps all of it or none.
 */
export interface Repository {
  memberById(id: string): Member | undefined;
  memberByPhone(e164: string): Member | undefined;
  memberByEmail(email: string): Member | undefined;
  plan(id: string): Plan | undefined;
  membership(id: string): Membership | undefined;
  membershipsOf(memberId: string): Membership[];
  /** A scan, for sweeps and tools, never for a turn. */
  memberships(filter: (membership: Membership) => boolean): Membership[];
  cancellationsOf(membershipId: string): Cancellation[];
  cancellationByRequest(requestId: string): Cancellation | undefined;
  cancellationByReference(reference: string): Cancellation | undefined;
  referenceExists(reference: string): boolean;
  challenge(id: string): OtpChallenge | undefined;
  challengesFor(identifier: string): OtpChallenge[];
  /** Challenges whose `requesters` hold this key. */
  challengesBy(requesterKey: string): OtpChallenge[];
  outbox(filter: (message: OutboxMessage) => boolean): OutboxMessage[];
  outboxMessage(id: string): OutboxMessage | undefined;
  audit(): readonly AuditEntry[];
  transact<R>(change: (tx: Transaction) => R): Promise<R>;
}

/** The records a transaction may change in place. */
export interface ChangeableRecords {
  members: Member;
  memberships: Membership;
  cancellations: Cancellation;
  otpChallenges: OtpChallenge;
  outbox: OutboxMessage;
}

/**
 * The changes a transaction may make. New records go through the add methods (so the indexes stay
 * right); a record found through the repository may be changed in place, and then must be named
 * with {@link changed}, or the change is not made durable.
 */
export interface Transaction {
  changed<K extends keyof ChangeableRecords>(collection: K, record: ChangeableRecords[K]): void;
  addChallenge(challenge: OtpChallenge): void;
  addCancellation(cancellation: Cancellation): void;
  addAudit(entry: AuditEntry): void;
  addOutbox(message: OutboxMessage): void;
  addHandoff(handoff: Handoff): void;
  /** Drops one-time-code challenges closed (or, unanswered, expired) before `cutoff`; they no longer count for any rule. */
  pruneChallenges(cutoff: string): void;
  /** Drops the outbox messages `drop` names, except those still pending (due to be sent). */
  pruneOutbox(drop: (message: OutboxMessage) => boolean): void;
  /** Drops audit entries recorded before `cutoff`, except those `kept` says must stay. */
  pruneAudit(cutoff: string, kept: (entry: AuditEntry) => boolean): void;
}
