import { formatDate, formatDateTime, formatMoney } from '../i18n/format.js';
import { cancellationForfeits } from '../i18n/forfeits.js';
import { inLocale, type ReplyLocale } from '../i18n/languages.js';
import { t, type MessageKey } from '../i18n/messages.js';
import { takesEffectLater } from '../membership/cancellationTiming.js';
import type { Cancellation, Localized, Member } from '../model/schema.js';

/**
 * One cancellation as every receipt states it, in the member's language: what was cancelled and
 * when, the end of benefits, refund, fee, what is forfeited, until when it can be undone, and the
 * reference. The chat, the text message, the in-app notice and the e-mail (text and HTML) render it.
 */
export interface CancellationReceipt {
  locale: ReplyLocale;
  plan: string;
  membershipId: string;
  /** When the request was received, formatted. */
  receivedAt: string;
  /** The end of benefits, formatted. */
  endsOn: string;
  /** Benefits run to the end of the period (and it can be undone until then), or ended at once. */
  scheduled: boolean;
  /** Formatted; null when there is none. */
  refund: string | null;
  fee: string | null;
  forfeits: string;
  reference: string;
}

/** Where the member's copy of the receipt went, as the chat tells them. */
export interface ReceiptCopy {
  channel: Member['notifyChannel'];
  /** The address, masked (none for in-app). */
  maskedAddress?: string;
}

/**
 * The receipt's facts from the stored cancellation.
 *
 * @param c - The cancellation as committed.
 * @param planName - The plan's name in every language.
 * @param locale - The language (and script) the member reads.
 * @returns The facts, formatted for that language.
 */
export function cancellationReceipt(c: Cancellation, planName: Localized, locale: ReplyLocale): CancellationReceipt {
  const money = (minor: number) => (minor > 0 ? formatMoney(minor, c.currency, locale) : null);
  return {
    locale,
    plan: inLocale(planName, locale),
    membershipId: c.membershipId,
    receivedAt: formatDateTime(c.receivedAt, locale),
    endsOn: formatDate(c.effectiveAt, locale),
    scheduled: takesEffectLater(c),
    refund: money(c.refund),
    fee: money(c.fee),
    forfeits: cancellationForfeits(locale, c),
    reference: c.reference,
  };
}

/** The chat's receipt (a message or a card's text): every consequence the warning stated, and where the copy went. */
export function receiptForChat(r: CancellationReceipt, copy: ReceiptCopy): string {
  const l = r.locale;
  const refund = r.refund
    ? r.fee
      ? t(l, 'cancel.done.refundAfterFee', { refund: r.refund, fee: r.fee })
      : t(l, 'cancel.done.refund', { refund: r.refund })
    : t(l, 'cancel.done.noRefund');
  return [
    t(l, 'cancel.done.title'),
    t(l, r.scheduled ? 'cancel.done.periodEnd' : 'cancel.done.immediate', { date: r.endsOn }),
    refund,
    t(l, r.scheduled ? 'cancel.done.forfeit' : 'cancel.done.forfeitNow', { items: r.forfeits }),
    r.scheduled
      ? t(l, 'cancel.done.undo', { date: r.endsOn, action: t(l, 'status.undo') })
      : t(l, 'cancel.done.noUndo'),
    t(l, 'cancel.done.reference', { reference: r.reference }),
    t(l, `cancel.done.sent.${copy.channel}`, { address: copy.maskedAddress ?? '' }),
  ].join('\n');
}

/**
 * The short receipt of a text message or an in-app notice: still every consequence, in one message.
 *
 * @param r - The receipt.
 * @param atOnce - The notice's template said the cancellation took effect at once.
 */
export function receiptForSms(r: CancellationReceipt, atOnce: boolean): string {
  const l = r.locale;
  const key: MessageKey = atOnce ? 'notify.cancelled' : 'notify.scheduled';
  return t(l, key, {
    plan: r.plan,
    membershipId: r.membershipId,
    receivedAt: r.receivedAt,
    effectiveAt: r.endsOn,
    fee: r.fee ?? t(l, 'notify.none'),
    refund: r.refund ?? t(l, 'notify.none'),
    forfeits: r.forfeits,
    reference: r.reference,
  });
}

/** The e-mail's receipt, reference first, in paragraphs that mailHtml keeps for the HTML part. */
export function receiptForEmail(r: CancellationReceipt): string {
  const l = r.locale;
  const facts = [
    t(l, 'email.receipt.what', { plan: r.plan, membershipId: r.membershipId, receivedAt: r.receivedAt }),
    t(l, r.scheduled ? 'email.receipt.periodEnd' : 'email.receipt.immediate', { date: r.endsOn }),
    r.fee ? t(l, 'email.receipt.fee', { fee: r.fee }) : t(l, 'email.receipt.noFee'),
    r.refund ? t(l, 'email.receipt.refund', { refund: r.refund }) : t(l, 'email.receipt.noRefund'),
    t(l, r.scheduled ? 'email.receipt.forfeit' : 'email.receipt.forfeitNow', { items: r.forfeits }),
  ];
  return [
    t(l, 'email.receipt.reference', { reference: r.reference }),
    facts.join('\n'),
    r.scheduled
      ? t(l, 'email.receipt.undo', { date: r.endsOn, action: t(l, 'status.undo') })
      : t(l, 'email.receipt.noUndo'),
    t(l, 'email.receipt.keep'),
  ].join('\n\n');
}
