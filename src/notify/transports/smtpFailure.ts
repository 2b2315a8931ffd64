import type { NodemailerError } from 'nodemailer';
import { maskText } from '../../core/mask.js';
import { DeliveryError } from '../transport.js';

/**
 * A mail server's answer as the outbox understands it. RFC 5321: a 4yz reply is transient, a 5yz
 * permanent (nodemailer marks it `permanent`, 503 excepted). No reply at all (refused, timed out,
 * dropped) is transient. A rejected login is ours to fix, not the message's, so it is retried
 * until the outbox gives up rather than parking every message at once; an address nodemailer
 * refuses before talking to the server can never be delivered.
 */
export function smtpFailure(err: NodemailerError, scrub: (text: string) => string): DeliveryError {
  const recipient = err.rejectedErrors?.[0];
  const reply = err.response ?? recipient?.response;
  const code = err.responseCode ?? recipient?.responseCode;
  const permanent = err.permanent ?? recipient?.permanent ?? (code !== undefined && code >= 500 && code !== 503);
  let retryable: boolean;
  let reason: string;
  if (err.code === 'EAUTH' || err.code === 'ENOAUTH') {
    retryable = true;
    reason = `the mail server refused our login${reply ? `: ${reply}` : ''} (check SMTP_URL)`;
  } else if (code !== undefined) {
    retryable = !permanent;
    reason = `the mail server answered ${reply ?? code}`;
  } else if (err.code === 'EENVELOPE') {
    retryable = false;
    reason = `the address cannot take mail: ${err.message}`;
  } else {
    retryable = true;
    const cause = err.originalCode ?? err.code ?? err.name;
    reason = `the mail server could not be reached (${cause}${err.timeoutType ? ` ${err.timeoutType}` : ''}): ${err.message}`;
  }
  return new DeliveryError(maskText(scrub(reason.trim())), retryable);
}
