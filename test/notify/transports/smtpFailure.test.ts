import type { NodemailerError } from 'nodemailer';
import { smtpFailure } from '../../../src/notify/transports/smtpFailure.js';

const error = (message: string, fields: Partial<NodemailerError>): NodemailerError =>
  Object.assign(new Error(message), fields);
const scrub = (text: string) => text.split('hunter2').join('***');

/** Each way nodemailer reports a failure, as the outbox must treat it (RFC 5321 reply classes). */
describe('smtpFailure', () => {
  it.each([
    [
      'a 4xx reply',
      error('Message failed: 452 4.2.2 Mailbox full', {
        code: 'EMESSAGE',
        response: '452 4.2.2 Mailbox full',
        responseCode: 452,
        permanent: false,
      }),
      true,
      'the mail server answered 452 4.2.2 Mailbox full',
    ],
    [
      'a 421 at connect',
      error('Greeting never received: 421 Too many connections', {
        code: 'EPROTOCOL',
        response: '421 Too many connections',
        responseCode: 421,
        permanent: false,
      }),
      true,
      'the mail server answered 421 Too many connections',
    ],
    [
      'a 5xx reply',
      error('Message failed: 554 5.7.1 Spam', {
        code: 'EMESSAGE',
        response: '554 5.7.1 Spam',
        responseCode: 554,
        permanent: true,
      }),
      false,
      'the mail server answered 554 5.7.1 Spam',
    ],
    [
      '503 (bad sequence: a new session may pass)',
      error('503 5.5.1 Bad sequence', {
        code: 'EPROTOCOL',
        response: '503 5.5.1 Bad sequence',
        responseCode: 503,
        permanent: false,
      }),
      true,
      'the mail server answered 503 5.5.1 Bad sequence',
    ],
    [
      "a 5xx without nodemailer's flag",
      error('550 No', { code: 'EENVELOPE', response: '550 No', responseCode: 550 }),
      false,
      'the mail server answered 550 No',
    ],
    [
      'every recipient refused',
      error("Can't send mail - all recipients were rejected", {
        code: 'EENVELOPE',
        rejectedErrors: [
          error('Recipient command failed', {
            response: '550 5.1.1 <zoe@example.com> unknown',
            responseCode: 550,
            permanent: true,
          }),
        ],
      }),
      false,
      'the mail server answered 550 5.1.1 <z***@example.com> unknown',
    ],
    [
      'an address refused before sending',
      error('No recipients defined', { code: 'EENVELOPE' }),
      false,
      'the address cannot take mail: No recipients defined',
    ],
    [
      'a refused login',
      error('Invalid login: 535 5.7.8 Bad credentials for hunter2', {
        code: 'EAUTH',
        response: '535 5.7.8 Bad credentials for hunter2',
        responseCode: 535,
        permanent: true,
      }),
      true,
      'the mail server refused our login: 535 5.7.8 Bad credentials for *** (check SMTP_URL)',
    ],
    [
      'a refused connection',
      error('connect ECONNREFUSED 127.0.0.1:2525', { code: 'ESOCKET', originalCode: 'ECONNREFUSED' }),
      true,
      'the mail server could not be reached (ECONNREFUSED): connect ECONNREFUSED 127.0.0.1:2525',
    ],
    [
      'a timeout',
      error('Connection timeout', { code: 'ETIMEDOUT', timeoutType: 'CONNECT_TIMEOUT' }),
      true,
      'the mail server could not be reached (ETIMEDOUT CONNECT_TIMEOUT): Connection timeout',
    ],
    [
      'a failed TLS handshake',
      error('certificate has expired', { code: 'ETLS' }),
      true,
      'the mail server could not be reached (ETLS): certificate has expired',
    ],
  ])('%s', (_name, err, retryable, message) => {
    expect(smtpFailure(err, scrub)).toMatchObject({ name: 'DeliveryError', retryable, message });
  });
});
