import type { Clock } from '../core/clock.js';
import type { RandomSource } from '../core/random.js';
import type { Repository } from '../model/repository.js';
import { isErased, type Member } from '../model/schema.js';
import type { ReplyLocale } from '../i18n/languages.js';
import { maskEmail, maskPhoneForMember } from '../core/mask.js';
import { ReadsOnce, StoreReads, type MemberReads } from './memberReads.js';

/**
 * How many earlier conversations a member's record names beside the last one: where the member
 * was shown their data, which an erasure must find. A web page's copy lives a day after its last
 * message, so only the most recent few can still hold any.
 */
export const EARLIER_CONVERSATIONS_KEPT = 20;

export interface ContactSummary {
  name: string;
  /** Where notices go: the channel actually used (in-app falls back to SMS until the bot has a conversation). */
  channel: Member['notifyChannel'];
  /** The address masked; none for in-app messages, which go to the conversation, not to an address. */
  maskedAddress?: string;
}

/** Facts about the member a conversation may show, and the requests that are not cancellations. */
export class MemberService {
  constructor(
    private readonly repo: Repository,
    private readonly clock: Clock,
    private readonly random: RandomSource,
    private readonly reads: MemberReads = new StoreReads((id) => repo.memberById(id)),
  ) {}

  /**
   * This service for one conversation's turn: each member read at most once while it lasts (and
   * again after this view changes the member). Made per turn and then dropped, so it never
   * answers from an earlier turn's read.
   *
   * @returns A service whose reads of members are shared by the turn's steps.
   */
  forOneTurn(): MemberService {
    return new MemberService(this.repo, this.clock, this.random, new ReadsOnce(this.reads));
  }

  /** A member who can be verified: known, and not erased (an erased member's record keeps only the number). */
  async exists(memberId: string): Promise<boolean> {
    const member = await this.reads.member(memberId);
    return member !== undefined && !isErased(member);
  }

  /** The member's record as the store opens it (personal fields in plain text): callers mask what they show. */
  member(memberId: string): Promise<Member | undefined> {
    return this.reads.member(memberId);
  }

  async contact(memberId: string): Promise<ContactSummary | undefined> {
    const member = await this.reads.member(memberId);
    return member && this.contactOf(member);
  }

  /** What {@link contact} says of a member already read (by a transaction of this turn). */
  contactOf(member: Member): ContactSummary {
    const channel = member.notifyChannel === 'in-app' && !member.conversationReference ? 'sms' : member.notifyChannel;
    const maskedAddress =
      channel === 'email' ? maskEmail(member.email) : channel === 'sms' ? maskPhoneForMember(member.phone) : undefined;
    return { name: member.name, channel, maskedAddress };
  }

  /**
   * Keeps where the member last talked to the bot, for in-app notices, and the ids of the
   * conversations before it (`earlierConversations`, latest first), for an erasure.
   */
  async rememberConversation(memberId: string, reference: Record<string, unknown>): Promise<void> {
    const member = await this.reads.member(memberId);
    const known = member?.conversationReference as { conversation?: { id?: string } } | undefined;
    const incoming = reference as { conversation?: { id?: string } };
    if (!member || known?.conversation?.id === incoming.conversation?.id) return;
    await this.repo.transact(async (tx) => {
      const current = await tx.memberById(memberId);
      if (current)
        tx.put('members', { ...current, conversationReference: withEarlier(reference, current.conversationReference) });
    });
    this.reads.forget(memberId);
  }

  /** Records that the member asked for a person; support picks it up from the store. */
  async requestHandoff(conversationId: string, locale: ReplyLocale, memberId?: string): Promise<void> {
    await this.repo.transact(async (tx) => {
      const at = this.clock.now().toISOString();
      tx.put('handoffs', {
        id: `ho-${this.random.hex(6)}`,
        at,
        conversationId,
        locale,
        state: 'open',
        ...(memberId ? { memberId } : {}),
      });
      tx.put('audit', {
        id: `au-${this.random.hex(8)}`,
        at,
        type: 'handoff.requested',
        conversationId,
        ...(memberId ? { memberId } : {}),
      });
    });
  }
}

/** `reference` with the conversations before it: the one `known` names and those it named, latest first, bounded. */
function withEarlier(reference: Record<string, unknown>, known: Record<string, unknown> | undefined) {
  const earlier = [conversationIdOf(known), ...earlierConversationsOf(known)].filter((id) => id !== undefined);
  const kept = [...new Set(earlier)].slice(0, EARLIER_CONVERSATIONS_KEPT);
  return kept.length ? { ...reference, earlierConversations: kept } : reference;
}

/** The conversation a conversation reference names. */
export function conversationIdOf(reference: Record<string, unknown> | undefined): string | undefined {
  const id = (reference?.conversation as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' && id ? id : undefined;
}

/** The conversations before it that a member's conversation reference names (see rememberConversation). */
export function earlierConversationsOf(reference: Record<string, unknown> | undefined): string[] {
  const earlier = reference?.earlierConversations;
  return Array.isArray(earlier) ? earlier.filter((id): id is string => typeof id === 'string') : [];
}
