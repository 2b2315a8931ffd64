import type { Clock } from '../core/clock.js';
import type { RandomSource } from '../core/random.js';
import { formatDate, formatDateTime, formatMoney } from '../i18n/format.js';
import { cancellationForfeits } from '../i18n/forfeits.js';
import { t, type MessageKey } from '../i18n/messages.js';
import { inLocale, languageOf, toSupportedLocale, type ReplyLocale } from '../i18n/languages.js';
import type { Cancellation, Localized, Member, OutboxMessage } from '../model/schema.js';
import { emailText } from './emailText.js';

/** An amount in minor units, with its currency. */
export interface Money {
  amount: number;
  currency: string;
}

/**
 * What the caller wants said; the notifier decides the channel, the address and the words (so a
 * plan's name comes in every language: the notice's language is the notifier's to choose).
 */
export type Notice =
  | { template: 'otp'; code: string; minutes: number; via: 'sms' | 'email' }
  | { template: 'cancellation-confirmed' | 'cancellation-scheduled'; cancellation: Cancellation; planName: Localized }
  | {
      template: 'cancellation-undone';
      planName: Localized;
      membershipId: string;
      periodEnd: string;
      nextCharge: { amount: number; currency: string };
    }
  | { template: 'cancellation-effective'; planName: Localized; membershipId: string }
  /** Before an automatic renewal: what renews, when, for how much, and how to cancel before then. */
  | {
      template: 'renewal-reminder';
      planName: Localized;
      membershipId: string;
      renewsAt: string;
      charge: Money;
      /** Opens the chat page at this membership's cancellation. */
      link: string;
    }
  /** Before the first renewal at a new price: the old and new price, and when it is first charged. */
  | { template: 'price-change'; planName: Localized; membershipId: string; from: string; before: Money; after: Money }
  | { template: 'membership-renewed'; planName: Localized; membershipId: string; periodEnd: string; charge: Money }
  | { template: 'renewal-refused'; planName: Localized; membershipId: string; graceUntil: string; charge: Money }
  | { template: 'membership-expired'; planName: Localized; membershipId: string }
  /** A copy of everything held about the member (src/privacy/personalDataService.ts), as JSON. */
  | { template: 'data-export'; document: string }
  /** Where that copy went, for a member who reads text messages: the copy itself never goes by SMS. */
  | { template: 'data-export-sent'; address: string };

/**
 * Templates whose text must never rest in the data files: a one-time code, and a copy of a
 * member's personal data (which would otherwise sit in plain text beside the records it copies).
 * Each adapter keeps their text in memory only until delivery, then it is blanked.
 */
export const SECRET_TEMPLATES: ReadonlySet<string> = new Set(['otp', 'data-export']);

/** How an in-app notice's `to` names the conversation it goes to: this, then the conversation id. */
export const IN_APP_ADDRESS = 'conversation:';

/**
 * Builds outbox messages: *what* comes from the caller, *how* from the member's preferences.
 * `in-app` goes to the member's last conversation, or to SMS when the bot has never talked to them.
 * An e-mail gets the long form (see emailText.ts); SMS and in-app messages stay short.
 */
export class Notifier {
  constructor(
    private readonly clock: Clock,
    private readonly random: RandomSource,
  ) {}

  /**
   * `asking`: the language of the conversation the notice answers, when it comes from one before
   * the member's conversation is on record (a one-time code).
   */
  compose(member: Member, notice: Notice, asking?: ReplyLocale): OutboxMessage {
    const now = this.clock.now().toISOString();
    const preferred = notice.template === 'otp' ? notice.via : member.notifyChannel;
    const reachable = preferred === 'in-app' && !member.conversationReference ? 'sms' : preferred;
    // A copy of one's data runs to thousands of characters, dozens of text-message parts: it goes
    // by e-mail instead, and a short text message says so (data-export-sent).
    const channel = notice.template === 'data-export' && reachable === 'sms' ? 'email' : reachable;
    const locale =
      channel === 'in-app'
        ? conversationLocale(member)
        : inScriptOf(member.locale, asking ?? conversationLocale(member));
    const conversationId = (member.conversationReference?.conversation as { id?: string } | undefined)?.id;
    const to =
      channel === 'sms'
        ? member.phone
        : channel === 'email'
          ? member.email
          : `${IN_APP_ADDRESS}${String(conversationId ?? '')}`;
    return {
      id: `msg-${this.random.hex(8)}`,
      at: now,
      memberId: member.id,
      channel,
      to,
      locale,
      template: notice.template,
      text:
        channel === 'email'
          ? emailText(locale, notice, () => this.render(locale, notice))
          : this.render(locale, notice),
      status: 'pending',
      attempts: 0,
      nextAttemptAt: now,
    };
  }

  private render(locale: ReplyLocale, notice: Notice): string {
    switch (notice.template) {
      case 'otp':
        return t(locale, 'notify.otp', { code: notice.code, minutes: notice.minutes });
      case 'cancellation-confirmed':
      case 'cancellation-scheduled': {
        const c = notice.cancellation;
        // Short, but every consequence the warning stated: end, fee, refund, what is lost, undo.
        const money = (minor: number) =>
          minor > 0 ? formatMoney(minor, c.currency, locale) : t(locale, 'notify.none');
        const key: MessageKey = notice.template === 'cancellation-confirmed' ? 'notify.cancelled' : 'notify.scheduled';
        return t(locale, key, {
          plan: inLocale(notice.planName, locale),
          membershipId: c.membershipId,
          receivedAt: formatDateTime(c.receivedAt, locale),
          effectiveAt: formatDate(c.effectiveAt, locale),
          fee: money(c.fee),
          refund: money(c.refund),
          forfeits: cancellationForfeits(locale, c),
          reference: c.reference,
        });
      }
      case 'cancellation-undone':
        return t(locale, 'notify.undone', {
          plan: inLocale(notice.planName, locale),
          membershipId: notice.membershipId,
          date: formatDate(notice.periodEnd, locale),
          price: formatMoney(notice.nextCharge.amount, notice.nextCharge.currency, locale),
        });
      case 'cancellation-effective':
        return t(locale, 'notify.effective', {
          plan: inLocale(notice.planName, locale),
          membershipId: notice.membershipId,
        });
      case 'renewal-reminder':
        return t(locale, 'notify.reminder', {
          plan: inLocale(notice.planName, locale),
          membershipId: notice.membershipId,
          date: formatDate(notice.renewsAt, locale),
          price: formatMoney(notice.charge.amount, notice.charge.currency, locale),
          link: notice.link,
        });
      case 'price-change':
        return t(locale, 'notify.priceChange', {
          plan: inLocale(notice.planName, locale),
          membershipId: notice.membershipId,
          date: formatDate(notice.from, locale),
          before: formatMoney(notice.before.amount, notice.before.currency, locale),
          after: formatMoney(notice.after.amount, notice.after.currency, locale),
        });
      case 'membership-renewed':
        return t(locale, 'notify.renewed', {
          plan: inLocale(notice.planName, locale),
          membershipId: notice.membershipId,
          date: formatDate(notice.periodEnd, locale),
          price: formatMoney(notice.charge.amount, notice.charge.currency, locale),
        });
      case 'renewal-refused':
        return t(locale, 'notify.renewalRefused', {
          plan: inLocale(notice.planName, locale),
          membershipId: notice.membershipId,
          date: formatDate(notice.graceUntil, locale),
          price: formatMoney(notice.charge.amount, notice.charge.currency, locale),
        });
      case 'membership-expired':
        return t(locale, 'notify.expired', {
          plan: inLocale(notice.planName, locale),
          membershipId: notice.membershipId,
        });
      case 'data-export':
        return `${t(locale, 'notify.dataExport')}\n\n${notice.document}`;
      case 'data-export-sent':
        return t(locale, 'notify.dataExportSent', { address: notice.address });
    }
  }
}

/**
 * An in-app notice lands in the member's last conversation, under what was said there: it is written
 * in that conversation's language (a member of ours chatting in English reads English there), or in
 * the member's when the conversation named none.
 */
function conversationLocale(member: Member): ReplyLocale {
  return toSupportedLocale(member.conversationReference?.locale as string | undefined) ?? member.locale;
}

/**
 * A text message or e-mail is in the member's language, in the script they chat in: a member on
 * file as zh-CN who chats in traditional characters is sent traditional.
 */
function inScriptOf(language: ReplyLocale, chatting: ReplyLocale): ReplyLocale {
  return languageOf(chatting) === languageOf(language) ? chatting : language;
}
