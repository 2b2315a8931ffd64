import type { Clock } from '../core/clock.js';
import type { RandomSource } from '../core/random.js';
import { formatDate, formatMoney } from '../i18n/format.js';
import { t } from '../i18n/messages.js';
import { inLocale, languageOf, toSupportedLocale, type ReplyLocale } from '../i18n/languages.js';
import type { Member, OutboxMessage } from '../model/schema.js';
import { cancellationReceipt, receiptForSms } from './cancellationReceipt.js';
import { emailText } from './emailText.js';
import type { Notice } from './notice.js';

/**
 * Templates whose text must never rest in the data files: a one-time code, and a copy of a
 * member's personal data (which would otherwise sit in plain text beside the records it copies).
 * Each adapter keeps their text in memory only until delivery, then it is blanked.
 */
export const SECRET_TEMPLATES: ReadonlySet<string> = new Set(['otp', 'data-export']);

/** A message to a member: on one of the member's channels (never the provider's webhook). */
export type MemberNotice = OutboxMessage & { channel: Member['notifyChannel'] };

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
  compose(member: Member, notice: Notice, asking?: ReplyLocale): MemberNotice {
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
      text: channel === 'email' ? emailText(locale, notice, () => render(locale, notice)) : render(locale, notice),
      status: 'pending',
      attempts: 0,
      nextAttemptAt: now,
    };
  }
}

/** The notice's text in the language given: the whole of an SMS or in-app message. */
function render(locale: ReplyLocale, notice: Notice): string {
  switch (notice.template) {
    case 'otp':
      return t(locale, 'notify.otp', { code: notice.code, minutes: notice.minutes });
    case 'cancellation-confirmed':
    case 'cancellation-scheduled':
      return receiptForSms(
        cancellationReceipt(notice.cancellation, notice.planName, locale),
        notice.template === 'cancellation-confirmed',
      );
    case 'data-export':
      return `${t(locale, 'notify.dataExport')}\n\n${notice.document}`;
    case 'data-export-sent':
      return t(locale, 'notify.dataExportSent', { address: notice.address });
    case 'renewal-reminder':
    case 'membership-renewed':
    case 'renewal-refused':
      return renderCharge(locale, notice);
    default:
      return renderMembershipChange(locale, notice);
  }
}

type ChargeNotice = Extract<Notice, { template: 'renewal-reminder' | 'membership-renewed' | 'renewal-refused' }>;

/** A renewal's charge: the one coming, the one taken, the one refused. */
function renderCharge(locale: ReplyLocale, notice: ChargeNotice): string {
  const plan = inLocale(notice.planName, locale);
  const price = formatMoney(notice.charge.amount, notice.charge.currency, locale);
  const { membershipId } = notice;
  switch (notice.template) {
    case 'renewal-reminder':
      return t(locale, 'notify.reminder', {
        plan,
        membershipId,
        date: formatDate(notice.renewsAt, locale),
        price,
        link: notice.link,
      });
    case 'membership-renewed':
      return t(locale, 'notify.renewed', { plan, membershipId, date: formatDate(notice.periodEnd, locale), price });
    case 'renewal-refused':
      return t(locale, 'notify.renewalRefused', {
        plan,
        membershipId,
        date: formatDate(notice.graceUntil, locale),
        price,
      });
  }
}

type MembershipChangeNotice = Extract<
  Notice,
  { template: 'cancellation-undone' | 'cancellation-effective' | 'price-change' | 'membership-expired' }
>;

/** A change to the membership itself: an undone or effective cancellation, a new price, the end. */
function renderMembershipChange(locale: ReplyLocale, notice: MembershipChangeNotice): string {
  const plan = inLocale(notice.planName, locale);
  const { membershipId } = notice;
  switch (notice.template) {
    case 'cancellation-undone':
      return t(locale, 'notify.undone', {
        plan,
        membershipId,
        date: formatDate(notice.periodEnd, locale),
        price: formatMoney(notice.nextCharge.amount, notice.nextCharge.currency, locale),
      });
    case 'cancellation-effective':
      return t(locale, 'notify.effective', { plan, membershipId });
    case 'price-change':
      return t(locale, 'notify.priceChange', {
        plan,
        membershipId,
        date: formatDate(notice.from, locale),
        before: formatMoney(notice.before.amount, notice.before.currency, locale),
        after: formatMoney(notice.after.amount, notice.after.currency, locale),
      });
    case 'membership-expired':
      return t(locale, 'notify.expired', { plan, membershipId });
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
