import type { ReplyLocale } from '../i18n/languages.js';
import { t, type MessageKey } from '../i18n/messages.js';
import { cancellationReceipt, receiptForEmail } from './cancellationReceipt.js';
import type { Notice } from './notice.js';

/**
 * What an e-mail says. A mail has room an SMS has not, so the receipt states every consequence the
 * chat stated (reference first, then end of benefits, fee, refund, what is lost, how to undo and until
 * when) and the code message says how long the code lasts and that no one will ever ask for it.
 * Paragraphs are separated by a blank line; {@link mailHtml} keeps that shape in the HTML part.
 */
export function emailText(locale: ReplyLocale, notice: Notice, short: () => string): string {
  switch (notice.template) {
    case 'otp':
      return [
        t(locale, 'email.otp.code', { code: notice.code }),
        t(locale, 'email.otp.validity', { minutes: notice.minutes }),
        t(locale, 'email.otp.neverAsk'),
        t(locale, 'email.otp.notYou'),
      ].join('\n\n');
    case 'cancellation-confirmed':
    case 'cancellation-scheduled':
      return receiptForEmail(cancellationReceipt(notice.cancellation, notice.planName, locale));
    default:
      return short();
  }
}

const SUBJECTS: Record<string, MessageKey> = {
  otp: 'email.subject.otp',
  'cancellation-confirmed': 'email.subject.receipt',
  'cancellation-scheduled': 'email.subject.receipt',
  'cancellation-undone': 'email.subject.undone',
  'cancellation-effective': 'email.subject.effective',
  'data-export': 'email.subject.dataExport',
  'renewal-reminder': 'email.subject.reminder',
  'membership-renewed': 'email.subject.renewed',
  'price-change': 'email.subject.priceChange',
  'renewal-refused': 'email.subject.renewalRefused',
  'membership-expired': 'email.subject.expired',
};

/** The subject line for an outbox message's template; it holds no code and no personal data. */
export function emailSubject(locale: ReplyLocale, template: string): string {
  return t(locale, SUBJECTS[template] ?? 'email.subject.other');
}
