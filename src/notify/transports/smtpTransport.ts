import { createTransport, type NodemailerError, type SMTPPoolSentMessageInfo, type Transporter } from 'nodemailer';
import type { OutboxMessage } from '../../model/schema.js';
import { emailSubject } from '../emailText.js';
import { mailHtml } from '../mailHtml.js';
import { DeliveryError, type Transport } from '../transport.js';
import { smtpFailure } from './smtpFailure.js';
import { DEFAULT_SMTP_TIMEOUTS, smtpOptions, smtpSecrets, type SmtpTimeouts } from './smtpOptions.js';

/** The domain of MAIL_FROM (`Name <addr@domain>` or `addr@domain`), for the Message-ID. */
export function senderDomain(from: string): string {
  const address = /<([^<>]+)>\s*$/.exec(from)?.[1] ?? from;
  return address
    .slice(address.lastIndexOf('@') + 1)
    .trim()
    .toLowerCase();
}

/**
 * The Message-ID of an outbox message: the same on every attempt, so a mail server or client that
 * got a delivery the outbox could not confirm recognises the retry as the same message.
 */
export function messageIdFor(messageId: string, domain: string): string {
  return `<${messageId}@${domain}>`;
}

/** Connections to the mail server at most: the e-mail lane sends this many messages at once. */
export const SMTP_CONNECTIONS = 3;

/**
 * E-mail through an SMTP server (nodemailer). A message counts as delivered only when the server
 * accepted it for the recipient (250 after DATA); a failure becomes a {@link DeliveryError} that says
 * whether trying again can help (see smtpFailure.ts). Nothing here logs: reasons go to the outbox,
 * with the password from SMTP_URL blanked.
 */
export class SmtpTransport implements Transport {
  private readonly mailer: Transporter<SMTPPoolSentMessageInfo>;
  private readonly secrets: string[];
  private readonly domain: string;

  constructor(
    smtpUrl: string,
    private readonly from: string,
    timeouts: SmtpTimeouts = DEFAULT_SMTP_TIMEOUTS,
  ) {
    // A pool bounds how many connections a delivery pass opens (after an outage the whole backlog is
    // due at once, and servers answer a flood with 421) and reuses them for a burst of codes.
    // nodemailer's own requeueing is off: the outbox's backoff is the one retry, visible in the store.
    this.mailer = createTransport({
      ...smtpOptions(smtpUrl, timeouts),
      pool: true,
      maxConnections: SMTP_CONNECTIONS,
      maxRequeues: 0,
      idleTimeout: 60_000,
    });
    this.secrets = smtpSecrets(smtpUrl);
    this.domain = senderDomain(from);
  }

  async send(message: OutboxMessage, signal: AbortSignal): Promise<void> {
    if (!message.to) throw new DeliveryError('the member has no e-mail address', false);
    const subject = emailSubject(message.locale, message.template);
    let info: SMTPPoolSentMessageInfo;
    try {
      info = await this.mailer.sendMail({
        from: this.from,
        to: message.to,
        subject,
        text: message.text,
        html: mailHtml(message.text, message.locale, subject),
        messageId: messageIdFor(message.id, this.domain),
        // RFC 3834: an automatic message, so out-of-office replies are not sent back to it.
        headers: { 'Auto-Submitted': 'auto-generated', 'Content-Language': message.locale },
        // The pool takes the message out of its queue, or closes the connection carrying it.
        signal,
      });
    } catch (err) {
      throw smtpFailure(err as NodemailerError, (text) => this.scrub(text));
    }
    if (info.rejected.length > 0 || info.accepted.length === 0) {
      throw new DeliveryError(this.scrub(`the mail server did not accept the recipient: ${info.response}`), false);
    }
  }

  close(): void {
    this.mailer.close();
  }

  private scrub(text: string): string {
    return this.secrets.reduce((out, secret) => out.split(secret).join('***'), text);
  }
}
