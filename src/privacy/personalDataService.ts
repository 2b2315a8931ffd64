import type { Clock } from '../core/clock.js';
import type { RandomSource } from '../core/random.js';
import { inLocale, type ReplyLocale } from '../i18n/languages.js';
import type { Repository, Transaction } from '../model/repository.js';
import {
  erasedMember,
  isErased,
  type Cancellation,
  type Member,
  type Membership,
  type OutboxMessage,
} from '../model/schema.js';
import { IN_APP_ADDRESS, SECRET_TEMPLATES, type Notifier } from '../notify/notifier.js';
import { conversationIdOf, earlierConversationsOf } from '../membership/memberService.js';
import { maskEmail, maskPhoneForMember } from '../core/mask.js';
import { NO_EVENTS, type DomainEvents } from '../membership/domainEvents.js';

/** What the conversation may show of a member's data: masked where it names an address. */
export interface PersonalDataSummary {
  name: string;
  maskedPhone: string;
  maskedEmail: string;
  locale: ReplyLocale;
  notifyChannel: Member['notifyChannel'];
  memberships: { id: string; plan: string; status: Membership['status'] }[];
  cancellations: {
    reference: string;
    membershipId: string;
    receivedAt: string;
    option: Cancellation['option'];
    undone: boolean;
  }[];
  /** Notices sent or to be sent, one-time codes included by count only. */
  notices: { count: number; codes: number };
}

export interface ExportResult {
  summary: PersonalDataSummary;
  /** Where the full copy went, masked (none for in-app, which goes to the conversation). */
  channel: Member['notifyChannel'];
  maskedAddress?: string;
}

/** No member with that id, or one whose data was already erased: there is nothing to copy or erase. */
export class NoPersonalDataError extends Error {
  constructor(readonly memberId: string) {
    super(`Member ${memberId} has no personal data on record (unknown, or already erased).`);
    this.name = 'NoPersonalDataError';
  }
}

/** Erasure is refused while a membership still runs: billing, notices and undo need a way to reach the member. */
export class ErasureBlockedError extends Error {
  constructor(readonly membershipIds: string[]) {
    super(`Personal data cannot be erased while memberships ${membershipIds.join(', ')} are active or pending.`);
    this.name = 'ErasureBlockedError';
  }
}

export interface ErasureResult {
  /** Cancellation references kept, anonymised, for the retention the law requires. */
  keptCancellations: string[];
  /** Notices whose address and text were removed. */
  erasedNotices: number;
  /** Code requests that lost the phone number or e-mail they were asked for. */
  erasedChallenges: number;
  /** Whether the member's last conversation was on record (for in-app notices), and is no longer. */
  erasedConversationReference: boolean;
  /** Conversations whose kept copy (the web page's history) was emptied and closed. */
  closedChats: string[];
}

/** Where conversations are kept outside the member data: the web page's history, in the state storage. */
export interface ConversationCopies {
  /**
   * Empties and closes those of the conversations it keeps, for a member's erasure.
   *
   * @param conversationIds - The conversations the member's data reached; others' are never named.
   * @returns The ids of those it kept and has now emptied; ids it never kept are left out.
   */
  forget(conversationIds: string[]): Promise<string[]>;
}

/** What the transaction erased, and the conversations the member's data reached. */
type Erasure = Omit<ErasureResult, 'closedChats'> & { conversations: string[] };

/** Why a membership blocks erasure. */
const RUNNING = new Set(['active', 'pending_cancel']);

/**
 * A member's rights over their personal data (PIPL arts. 45 and 47): a copy of what is held, and
 * erasure. Works through the repository port only, so both engines serve it the same way.
 */
export class PersonalDataService {
  constructor(
    private readonly repo: Repository,
    private readonly notifier: Notifier,
    private readonly clock: Clock,
    private readonly random: RandomSource,
    /** What the member's code challenges are filed under (OtpService.challengeIdentifiers). */
    private readonly challengeIdentifiers: (member: Member) => string[],
    private readonly copies: ConversationCopies,
    private readonly events: DomainEvents = NO_EVENTS,
  ) {}

  /** The memberships that would stop an erasure now (asked before the member is asked to confirm). */
  async erasureBlockers(memberId: string): Promise<string[]> {
    return (await this.repo.membershipsOf(memberId)).filter((m) => RUNNING.has(m.status)).map((m) => m.id);
  }

  /**
   * Sends the member the full copy (JSON) on their own channel and returns the summary the
   * conversation shows. One transaction: the copy is queued only if the audit entry commits.
   * The copy's text is held like a code's (never written to the data files, blanked once delivered).
   */
  async export(memberId: string, conversationId?: string): Promise<ExportResult> {
    return this.repo.transact(async (tx) => {
      const member = await this.living(tx, memberId);
      const { summary, document } = await this.collect(tx, member);
      const message = this.notifier.compose(member, {
        template: 'data-export',
        document: JSON.stringify(document, null, 2),
      });
      tx.put('outbox', message);
      // A member who reads text messages is told there where the copy went (it is never sent by SMS).
      if (message.channel === 'email' && member.notifyChannel !== 'email')
        tx.put(
          'outbox',
          this.notifier.compose(member, { template: 'data-export-sent', address: maskEmail(member.email) }),
        );
      this.audit(tx, 'member.exported', member.id, conversationId, { channel: message.channel });
      return {
        summary,
        channel: message.channel,
        ...(message.channel === 'sms'
          ? { maskedAddress: maskPhoneForMember(member.phone) }
          : message.channel === 'email'
            ? { maskedAddress: maskEmail(member.email) }
            : {}),
      };
    });
  }

  /**
   * Removes the member's personal data: name, phone, e-mail and conversation reference become
   * placeholders naming the member number; the addresses and texts of their notices go (an
   * undelivered one is never sent); their code challenges lose the address they were asked for.
   * Cancellation records, their audit entries and receipts stay, naming only the member number:
   * the books and a dispute over a refund need them. One transaction, with a `member.erased` entry.
   * Then the conversations the data reached (this one, those on record, those in-app notices went
   * to) are emptied and closed where they are kept outside the member data.
   */
  async erase(memberId: string, conversationId?: string): Promise<ErasureResult> {
    const { conversations, ...erased } = await this.erasure(memberId, conversationId);
    // The erasure is committed; the journal's earlier lines and the snapshot still held the old
    // values. Should this rewrite fail (a full disk), the next compaction, flush or stop does it.
    await this.repo.forgetEarlierVersions().catch(() => undefined);
    return { ...erased, closedChats: await this.copies.forget(conversations) };
  }

  private async erasure(memberId: string, conversationId?: string): Promise<Erasure> {
    return this.repo.transact(async (tx) => {
      const member = await this.living(tx, memberId);
      const memberships = await tx.membershipsOf(member.id);
      const running = memberships.filter((m) => RUNNING.has(m.status)).map((m) => m.id);
      if (running.length) throw new ErasureBlockedError(running);
      const now = this.clock.now().toISOString();
      let erasedChallenges = 0;

      for (const identifier of this.challengeIdentifiers(member)) {
        for (const challenge of await tx.challengesFor(identifier)) {
          erasedChallenges += 1;
          tx.put('otpChallenges', {
            ...challenge,
            identifier: erasedMember(member.id).phone,
            ...(challenge.state === 'open' ? { state: 'dead' as const, closedAt: now } : {}),
          });
        }
      }
      const notices = memberNotices(await tx.outboxOf(member.id));
      for (const notice of notices) {
        const { lastError: _reason, ...rest } = notice;
        tx.put('outbox', {
          ...rest,
          to: '',
          text: '',
          redacted: true,
          ...(notice.status === 'pending' ? { status: 'failed' as const, lastError: 'member data erased' } : {}),
        });
      }
      const kept: Cancellation[] = (await Promise.all(memberships.map((m) => tx.cancellationsOf(m.id)))).flat();
      const { conversationReference: _where, ...rest } = member;
      tx.put('members', { ...rest, ...erasedMember(member.id) });
      this.audit(tx, 'member.erased', member.id, conversationId, {
        keptCancellations: kept.length,
        erasedNotices: notices.length,
      });
      this.events.record(tx, { type: 'member.erased', memberId: member.id, erasedAt: now });
      return {
        keptCancellations: kept.map((c) => c.reference),
        erasedNotices: notices.length,
        erasedChallenges,
        erasedConversationReference: member.conversationReference !== undefined,
        conversations: conversationsOf(member, notices, conversationId),
      };
    });
  }

  private async living(tx: Transaction, memberId: string): Promise<Member> {
    const member = await tx.memberById(memberId);
    if (!member || isErased(member)) throw new NoPersonalDataError(memberId);
    return member;
  }

  private async collect(
    tx: Transaction,
    member: Member,
  ): Promise<{ summary: PersonalDataSummary; document: Record<string, unknown> }> {
    const memberships = await tx.membershipsOf(member.id);
    const plans = new Map(
      await Promise.all(memberships.map(async (m) => [m.planId, await tx.plan(m.planId)] as const)),
    );
    const cancellations = (await Promise.all(memberships.map((m) => tx.cancellationsOf(m.id)))).flat();
    const notices = memberNotices(await tx.outboxOf(member.id));
    const summary: PersonalDataSummary = {
      name: member.name,
      maskedPhone: maskPhoneForMember(member.phone),
      maskedEmail: maskEmail(member.email),
      locale: member.locale,
      notifyChannel: member.notifyChannel,
      memberships: memberships.map((m) => ({
        id: m.id,
        plan: ((plan) => (plan ? inLocale(plan.name, member.locale) : m.planId))(plans.get(m.planId)),
        status: m.status,
      })),
      cancellations: cancellations.map((c) => ({
        reference: c.reference,
        membershipId: c.membershipId,
        receivedAt: c.receivedAt,
        option: c.option,
        undone: c.undoneAt !== undefined,
      })),
      notices: { count: notices.length, codes: notices.filter((n) => SECRET_TEMPLATES.has(n.template)).length },
    };
    // Everything held about the member, as stored, except what no copy may carry: a code's text
    // (and the copy's own earlier texts, which repeat this), and the code hashes of challenges.
    const document = {
      exportedAt: this.clock.now().toISOString(),
      member: {
        id: member.id,
        name: member.name,
        phone: member.phone,
        email: member.email,
        locale: member.locale,
        notifyChannel: member.notifyChannel,
        ...(member.conversationReference ? { conversationReference: member.conversationReference } : {}),
      },
      memberships: memberships.map((m) => ({ ...m, plan: plans.get(m.planId)?.name ?? m.planId })),
      cancellations,
      notices: notices.map(({ text, ...notice }) => ({
        ...notice,
        ...(SECRET_TEMPLATES.has(notice.template) ? {} : { text }),
      })),
    };
    return { summary, document };
  }

  private audit(
    tx: Transaction,
    type: string,
    memberId: string,
    conversationId: string | undefined,
    data: Record<string, string | number>,
  ): void {
    tx.put('audit', {
      id: `au-${this.random.hex(8)}`,
      at: this.clock.now().toISOString(),
      type,
      memberId,
      ...(conversationId ? { conversationId } : {}),
      data,
    });
  }
}

/** What was sent to the member: the provider's webhook events (ids and amounts, no personal data) are not. */
const memberNotices = (rows: OutboxMessage[]) => rows.filter((row) => row.channel !== 'webhook');

/**
 * The conversations the member's data reached: the erasing one, the last and earlier ones on
 * record (where the member ran a task, so was shown their data), those in-app notices went to.
 */
function conversationsOf(member: Member, notices: OutboxMessage[], current: string | undefined): string[] {
  const reference = member.conversationReference;
  const inApp = notices
    .filter((n) => n.channel === 'in-app' && n.to.startsWith(IN_APP_ADDRESS))
    .map((n) => n.to.slice(IN_APP_ADDRESS.length));
  const all = [current, conversationIdOf(reference), ...earlierConversationsOf(reference), ...inApp];
  return [...new Set(all.filter((id): id is string => Boolean(id)))];
}
