import { createHmac, timingSafeEqual } from 'node:crypto';
import { canonicalAddress, networkRange } from '../core/networkAddress.js';
import type { Clock } from '../core/clock.js';
import type { ReplyLocale } from '../i18n/languages.js';
import type { RandomSource } from '../core/random.js';
import type { RecordReader, Repository, Transaction } from '../model/repository.js';
import type { Member, OtpChallenge } from '../model/schema.js';
import type { MemberNotice, Notifier } from '../notify/notifier.js';
import { budgetRetryAt } from './guessBudget.js';
import type { Identifier } from './identifier.js';
import type { OtpPolicy } from './otpPolicy.js';

export type CodeRequestResult =
  | { status: 'sent'; challengeId: string; expiresAt: string; resendAvailableAt: string }
  | { status: 'throttled'; retryAt: string };

interface RequesterKeys {
  conversation?: string;
  address?: string;
  /** The address's network (clientAddress.ts, networkRange). */
  range?: string;
}

export type VerifyResult =
  | { status: 'verified'; memberId: string }
  | { status: 'wrong'; attemptsLeft: number }
  | { status: 'dead' }
  | { status: 'expired' };

const HOUR_MS = 3_600_000;
/**
 * How long a challenge is kept after it ended. Every rule looks back one hour at most; a day keeps
 * the answer to a late code the same for members and strangers (expired, not unknown) while the
 * conversation that asked is kept (a day idle, see JsonStateStorage.purgeIdle).
 */
const CHALLENGE_RETENTION_MS = 24 * HOUR_MS;
/**
 * How often code requests drop stale challenges: a drop goes through every challenge of the day,
 * so run on each request it would cost more the busier the service. A minute late is still a day.
 */
const PRUNE_INTERVAL_MS = 60_000;

/**
 * Who asks for a code: the conversation, and the client's address when requests come straight from
 * clients (behind Azure Bot Service every request comes from its addresses, so none is given).
 */
export interface Requester {
  conversationId?: string;
  address?: string;
  /** The asking conversation's language: the code is sent in its script (notifier.ts). */
  locale?: ReplyLocale;
}

/** A code as typed: spaces, dashes and full-width digits removed; null unless exactly 6 digits remain. */
export function normalizeCode(text: string): string | null {
  const digits = text.normalize('NFKC').replace(/[\s-]/g, '');
  return /^\d{6}$/.test(digits) ? digits : null;
}

/**
 * One-time codes: issue, verify, throttle. Only a keyed hash of each code is stored, bound to its
 * challenge and member. Unregistered identifiers go through the same path (a challenge no code can
 * open, nothing sent), so the answers never reveal who is a member.
 *
 * Guessing counts against whoever guesses, not against the phone number or email: counted against
 * the identifier, three strangers' conversations with five wrong codes each locked the member out,
 * again and again. A conversation is paused after its dead codes; a client address and its network
 * have a budget of guesses an hour (guessBudget.ts), which new conversations do not reset. The
 * identifier keeps its own limits (the resend interval and codes an hour), which also bound
 * guessing at one member to codes an hour × attempts.
 */
export class OtpService {
  constructor(
    private readonly repo: Repository,
    private readonly notifier: Notifier,
    private readonly clock: Clock,
    private readonly random: RandomSource,
    private readonly policy: OtpPolicy,
    private readonly hashKey: string,
  ) {}

  /** When a code request last dropped stale challenges (ms), in this process. */
  private prunedAt = -Infinity;

  async requestCode(identifier: Identifier, requester: Requester = {}): Promise<CodeRequestResult> {
    const now = this.clock.now();
    const keys = this.requesterKeys(requester);
    const identifierKey = this.keyed(identifier.kind, identifier.value);
    // The throttle is checked inside the transaction that issues the code, which holds the
    // identifier's challenges: two requests racing (two conversations, two instances) cannot both
    // pass it.
    return this.repo.transact(async (tx): Promise<CodeRequestResult> => {
      const retryAt = await this.throttledUntil(tx, identifierKey, keys, now);
      if (retryAt) return { status: 'throttled', retryAt: retryAt.toISOString() };
      const member =
        identifier.kind === 'phone'
          ? await tx.memberByPhone(identifier.value)
          : await tx.memberByEmail(identifier.value);
      const { challenge, code } = this.newChallenge(identifierKey, member, keys, now);
      this.pruneNowAndThen(tx, now);
      await replaceOpenChallenges(tx, identifierKey, now);
      tx.put('otpChallenges', challenge);
      if (member) tx.put('outbox', this.codeMessage(member, identifier, code, requester.locale));
      tx.put('audit', {
        id: `au-${this.random.hex(8)}`,
        at: now.toISOString(),
        type: 'verification.code_requested',
        memberId: member?.id,
        conversationId: requester.conversationId,
        data: { channel: identifier.kind },
      });
      return {
        status: 'sent',
        challengeId: challenge.id,
        expiresAt: challenge.expiresAt,
        resendAvailableAt: new Date(now.getTime() + this.policy.resendSeconds * 1000).toISOString(),
      };
    });
  }

  /** A fresh code and its challenge, which keeps only the code's keyed hash; no member means no code can open it. */
  private newChallenge(
    identifierKey: string,
    member: Member | undefined,
    keys: RequesterKeys,
    now: Date,
  ): { challenge: OtpChallenge; code: string } {
    const code = String(this.random.int(1_000_000)).padStart(6, '0');
    const challenge: OtpChallenge = {
      id: `otp-${this.random.hex(8)}`,
      identifier: identifierKey,
      memberId: member?.id ?? null,
      codeHash: '',
      issuedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + this.policy.ttlSeconds * 1000).toISOString(),
      failedAttempts: 0,
      state: 'open',
      requesters: [keys.conversation, keys.address, keys.range].filter((k): k is string => k !== undefined),
    };
    challenge.codeHash = this.hash(challenge, code);
    return { challenge, code };
  }

  /** Drops challenges that ended long ago, at most once every PRUNE_INTERVAL_MS in this process. */
  private pruneNowAndThen(tx: Transaction, now: Date): void {
    if (now.getTime() - this.prunedAt < PRUNE_INTERVAL_MS) return;
    this.prunedAt = now.getTime();
    tx.pruneChallenges(new Date(now.getTime() - CHALLENGE_RETENTION_MS).toISOString());
  }

  /** The message that carries the code, by SMS to a phone number or by e-mail to an address. */
  private codeMessage(member: Member, identifier: Identifier, code: string, locale?: ReplyLocale): MemberNotice {
    return this.notifier.compose(
      member,
      {
        template: 'otp',
        code,
        minutes: Math.round(this.policy.ttlSeconds / 60),
        via: identifier.kind === 'phone' ? 'sms' : 'email',
      },
      locale,
    );
  }

  /**
   * Drops challenges that ended a day ago, as a code request does: run by the hourly sweep, so an
   * unregistered number typed once does not stay in the data file until someone asks another code.
   * Code messages sent (or given up) a day ago go too: their text is blank already, and the audit
   * keeps that a code was asked.
   */
  async purgeStale(): Promise<void> {
    const cutoffMs = this.clock.now().getTime() - CHALLENGE_RETENTION_MS;
    const cutoff = new Date(cutoffMs).toISOString();
    await this.repo.transact(async (tx) => {
      tx.pruneChallenges(cutoff);
      tx.pruneSpentSecrets(cutoff);
    });
  }

  async verify(challengeId: string, typed: string, conversationId?: string): Promise<VerifyResult> {
    const now = this.clock.now();
    const code = normalizeCode(typed);
    return this.repo.transact(async (tx): Promise<VerifyResult> => {
      // Checked inside the transaction, which holds the challenge: two answers racing for one
      // challenge (in this process or another) see each other.
      const challenge = await tx.challenge(challengeId);
      if (!challenge) return { status: 'dead' };
      if (challenge.state === 'expired') return { status: 'expired' };
      if (challenge.state !== 'open') return { status: 'dead' };
      const close = (state: OtpChallenge['state']) =>
        tx.put('otpChallenges', { ...challenge, state, closedAt: now.toISOString() });
      const audit = (type: string, data?: Record<string, number | string>) =>
        tx.put('audit', {
          id: `au-${this.random.hex(8)}`,
          at: now.toISOString(),
          type,
          memberId: challenge.memberId ?? undefined,
          conversationId,
          data,
        });
      if (now.toISOString() >= challenge.expiresAt) {
        close('expired');
        audit('verification.failed', { reason: 'expired' });
        return { status: 'expired' };
      }
      const matches = code !== null && challenge.memberId !== null && this.matches(challenge, code);
      if (matches && challenge.memberId) {
        close('used');
        audit('verification.succeeded');
        return { status: 'verified', memberId: challenge.memberId };
      }
      const failedAttempts = challenge.failedAttempts + 1;
      const attemptsLeft = this.policy.maxAttempts - failedAttempts;
      if (attemptsLeft <= 0) {
        tx.put('otpChallenges', { ...challenge, failedAttempts, state: 'dead', closedAt: now.toISOString() });
        audit('verification.failed', { reason: 'too_many_attempts' });
        return { status: 'dead' };
      }
      tx.put('otpChallenges', { ...challenge, failedAttempts });
      audit('verification.failed', { reason: 'wrong_code', attemptsLeft });
      return { status: 'wrong', attemptsLeft };
    });
  }

  /** When this requester may have a new code for the identifier (its keyed hash), or null if it may have one now. */
  private async throttledUntil(
    reader: RecordReader,
    identifier: string,
    keys: RequesterKeys,
    now: Date,
  ): Promise<Date | null> {
    // The budgets first: reading one holds its key to the end of the transaction, before any row
    // is held. Asked for together (a database sends them at once), they are read in this order.
    const waits = await Promise.all([
      this.budgetWait(reader, keys.address, this.policy.guessesPerAddress, now),
      this.budgetWait(reader, keys.range, this.policy.guessesPerRange, now),
      this.conversationWaits(reader, identifier, keys.conversation, now),
      this.identifierWaits(reader, identifier, now),
    ]);
    const until = Math.max(0, ...waits.flat());
    return until > now.getTime() ? new Date(until) : null;
  }

  /**
   * When an address's (or network's) guess budget leaves room for one more code (ms), 0 if it does.
   * Codes asked within an hour and a code's lifetime are counted: every guess typed in any hour was
   * at one of them. Only the latest `budget` are read (each costs at least one guess), however many
   * members share the address.
   */
  private async budgetWait(reader: RecordReader, key: string | undefined, budget: number, now: Date) {
    if (key === undefined) return 0;
    const windowMs = HOUR_MS + this.policy.ttlSeconds * 1000;
    const since = new Date(now.getTime() - windowMs).toISOString();
    const latest = await reader.latestChallengesBy(key, since, budget);
    return budgetRetryAt(latest, budget, this.policy.maxAttempts, windowMs, now)?.getTime() ?? 0;
  }

  /** The conversation's own pauses (ms): after its dead codes, and after too many identifiers tried. */
  private async conversationWaits(
    reader: RecordReader,
    identifier: string,
    conversation: string | undefined,
    now: Date,
  ): Promise<number[]> {
    if (conversation === undefined) return [];
    const hourAgo = new Date(now.getTime() - HOUR_MS).toISOString();
    const asked = await reader.challengesBy(conversation);
    const waits: number[] = [];
    const deaths = asked
      .filter((c) => c.state === 'dead' && (c.closedAt ?? '') > hourAgo)
      .map((c) => Date.parse(c.closedAt!))
      .sort((a, b) => a - b);
    if (deaths.length >= this.policy.deadCodesBeforeThrottle)
      waits.push(deaths[deaths.length - 1] + this.policy.throttleMinutes * 60_000);
    // One conversation trying number after number is looking for members, not verifying one.
    const tried = asked.filter((c) => c.issuedAt > hourAgo);
    const identifiers = new Set(tried.map((c) => c.identifier));
    if (!identifiers.has(identifier) && identifiers.size >= this.policy.identifiersPerConversation) {
      waits.push(Math.min(...tried.map((c) => Date.parse(c.issuedAt))) + HOUR_MS);
    }
    return waits;
  }

  /** The identifier's own limits (ms): codes an hour, and the resend interval. */
  private async identifierWaits(reader: RecordReader, identifier: string, now: Date): Promise<number[]> {
    const hourAgo = new Date(now.getTime() - HOUR_MS).toISOString();
    const issued = (await reader.challengesFor(identifier))
      .filter((c) => c.issuedAt > hourAgo)
      .map((c) => Date.parse(c.issuedAt))
      .sort((a, b) => a - b);
    const waits: number[] = [];
    if (issued.length >= this.policy.maxPerHour) waits.push(issued[issued.length - this.policy.maxPerHour] + HOUR_MS);
    if (issued.length) waits.push(issued[issued.length - 1] + this.policy.resendSeconds * 1000);
    return waits;
  }

  /** What a member's challenges are filed under (their phone's and e-mail's keyed hashes): erasure finds them so. */
  challengeIdentifiers(member: { phone: string; email: string }): string[] {
    return [this.keyed('phone', member.phone), this.keyed('email', member.email.toLowerCase())];
  }

  /**
   * Who asked and for which phone or e-mail are kept as keyed hashes: the store needs to match
   * them, never to read them, so a challenge holds no personal data (a stranger's number typed
   * into a conversation included).
   */
  private keyed(kind: string, value: string): string {
    return `${kind}:${createHmac('sha256', this.hashKey).update(`${kind}\u0000${value}`).digest('hex').slice(0, 32)}`;
  }

  private requesterKeys(requester: Requester): RequesterKeys {
    const key = (kind: string, value: string | undefined) => (value ? this.keyed(kind, value) : undefined);
    const address = requester.address && canonicalAddress(requester.address);
    return {
      conversation: key('conversation', requester.conversationId),
      address: key('address', address),
      range: key('range', address && networkRange(address)),
    };
  }

  private hash(challenge: Pick<OtpChallenge, 'id' | 'memberId'>, code: string): string {
    return createHmac('sha256', this.hashKey)
      .update(`${challenge.id}\u0000${challenge.memberId ?? ''}\u0000${code}`)
      .digest('hex');
  }

  private matches(challenge: OtpChallenge, code: string): boolean {
    const expected = Buffer.from(challenge.codeHash, 'hex');
    const actual = Buffer.from(this.hash(challenge, code), 'hex');
    return expected.length === actual.length && timingSafeEqual(expected, actual);
  }
}

/** Closes the identifier's open challenge: one open challenge an identifier, which the store holds to (a constraint on PostgreSQL). */
async function replaceOpenChallenges(tx: Transaction, identifierKey: string, now: Date): Promise<void> {
  for (const previous of await tx.challengesFor(identifierKey)) {
    if (previous.state === 'open')
      tx.put('otpChallenges', { ...previous, state: 'replaced', closedAt: now.toISOString() });
  }
}
