import { writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { MemoryStorage } from 'botbuilder';
import { createJsonApp, type JsonApp } from './support/jsonApp.js';
import { ManualClock } from '../src/core/clock.js';
import { seededRandom } from '../src/core/random.js';
import { formatMoney } from '../src/i18n/format.js';
import { createLogger } from '../src/log.js';
import type { OutboxMessage } from '../src/model/schema.js';
import { DeliveryError } from '../src/notify/transport.js';
import { SmtpTransport } from '../src/notify/transports/smtpTransport.js';
import { seed } from './support/domain.js';
import { startMailServer, type MailServer } from './support/mailServer.js';
import { scratchDir, testConfig } from './support/testConfig.js';
import { openedOutbox } from './support/openedRecords.js';

const FROM = 'Membership <members@example.com>';
const NOW = '2026-11-24T02:00:00.000Z';

/** The demo data with 李娜 (zh-CN, the plan with a ¥10 fee) preferring e-mail, as Emily (en-US) does. */
function seedFile(): string {
  const data = seed();
  data.members.find((m) => m.id === 'm-1002')!.notifyChannel = 'email';
  const file = join(scratchDir(), 'seed.json');
  writeFileSync(file, JSON.stringify(data));
  return file;
}

/** The whole app with e-mail through `server`; delivery only when the test asks, so it can look in between. */
async function appWith(
  server: MailServer,
  env: Record<string, string> = {},
  logTo?: Writable,
): Promise<{ app: JsonApp; clock: ManualClock }> {
  const clock = new ManualClock(NOW);
  const config = testConfig({
    SEED_FILE: seedFile(),
    NOTIFY_EMAIL_TRANSPORT: 'smtp',
    SMTP_URL: server.url(),
    MAIL_FROM: FROM,
    ...env,
  });
  const app = await createJsonApp(config, {
    db: 'memory',
    stateStorage: new MemoryStorage(),
    clock,
    random: seededRandom(11),
    deliverOnCommit: false,
    ...(logTo ? { logger: createLogger('debug', { pretty: false, destination: logTo }) } : {}),
  });
  return { app, clock };
}

const outbox = async (app: JsonApp, template: string) =>
  (await openedOutbox(app.store, app.repository)).filter((m) => m.template === template);
const text = (mail: MailServer['received'][number]) => mail.mail.text ?? '';

describe('e-mail through a real SMTP server (NOTIFY_EMAIL_TRANSPORT=smtp)', () => {
  let server: MailServer;
  let app: JsonApp | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
    await server?.close();
  });

  it('delivers a code in each language: subject, text and HTML parts, validity, the warning, a Message-ID from the outbox id', async () => {
    server = await startMailServer();
    ({ app } = await appWith(server));
    const en = await app.services.otp.requestCode({ kind: 'email', value: 'emily.carter@example.com' });
    const zh = await app.services.otp.requestCode({ kind: 'email', value: 'li.na@example.com' });
    expect(await app.dispatcher.deliverDue()).toEqual({ sent: 2, retrying: 0, failed: 0 });

    const [enMail, zhMail] = ['emily.carter@example.com', 'li.na@example.com'].map((to) =>
      server.accepted().find((r) => r.mail.to && 'text' in r.mail.to && r.mail.to.text === to)!,
    );
    expect(enMail.mail.subject).toBe('Your verification code');
    expect(zhMail.mail.subject).toBe('您的验证码');
    expect(text(enMail)).toMatch(/^Your verification code is \d{6}\.\n\nIt is valid for 10 minutes\./);
    expect(text(enMail)).toContain('No one will ever ask you for this code');
    expect(text(zhMail)).toMatch(/^您的验证码是\d{6}。\n\n验证码10分钟内有效/);
    expect(text(zhMail)).toContain('任何人都不会向您索取此验证码');
    // The code in the mail is the one that verifies, and the subject does not give it away.
    for (const [mail, challenge] of [
      [enMail, en],
      [zhMail, zh],
    ] as const) {
      const code = /\d{6}/.exec(text(mail))![0];
      expect(mail.mail.subject).not.toContain(code);
      expect(mail.mail.html).toContain(`<strong>`);
      expect(mail.mail.html).toContain(code);
      expect(mail.mail.from?.value).toEqual([{ name: 'Membership', address: 'members@example.com' }]);
      expect(mail.mail.headers.get('auto-submitted')).toBe('auto-generated');
      expect(await app.services.otp.verify((challenge as { challengeId: string }).challengeId, code)).toMatchObject({
        status: 'verified',
      });
    }
    expect(zhMail.mail.html).toContain('<html lang="zh-CN">');
    const sent = await outbox(app, 'otp');
    expect(sent.map((m) => m.status)).toEqual(['sent', 'sent']);
    expect(
      server
        .accepted()
        .map((r) => r.mail.messageId)
        .sort(),
    ).toEqual(sent.map((m) => `<${m.id}@example.com>`).sort());
    // Done with: the address masked and the code gone from the store.
    expect(sent.map((m) => [m.to, m.text])).toEqual([
      ['e***@example.com', ''],
      ['l***@example.com', ''],
    ]);
  });

  it('delivers a receipt in each language with every consequence, reference number first', async () => {
    server = await startMailServer();
    ({ app } = await appWith(server));
    const zh = (
      await app.services.memberships.cancel({
        memberId: 'm-1002',
        membershipId: 'ms-2003',
        option: 'immediate',
        requestId: 'r-zh',
      })
    ).cancellation;
    const en = (
      await app.services.memberships.cancel({
        memberId: 'm-1006',
        membershipId: 'ms-2007',
        option: 'period_end',
        requestId: 'r-en',
      })
    ).cancellation;
    expect(await app.dispatcher.deliverDue()).toEqual({ sent: 2, retrying: 0, failed: 0 });
    const byRef = (ref: string) => server.accepted().find((r) => text(r).includes(ref))!;

    const zhMail = byRef(zh.reference);
    expect(zhMail.mail.subject).toBe('会员取消成功');
    expect(zh.fee).toBe(1000);
    expect(text(zhMail).split('\n')[0]).toBe(`受理编号：${zh.reference}`);
    expect(text(zhMail)).toContain('您对音乐Plus年卡（会员编号ms-2003）的取消申请已确认，受理时间：2026-11-24 10:00。');
    expect(text(zhMail)).toContain('权益：已于2026-11-24终止。');
    expect(text(zhMail)).toContain('取消手续费：¥10.00，已从退款中扣除。');
    expect(text(zhMail)).toContain(`退款：${formatMoney(zh.refund, 'CNY', 'zh-CN')}，将在3–5个工作日内原路退回。`);
    expect(text(zhMail)).toContain('随权益一并清除：860积分、1张优惠券（共¥');
    expect(text(zhMail)).toContain('和白金会员身份。');
    expect(text(zhMail)).toContain('此次取消已立即生效，无法撤销。');
    expect(zhMail.mail.html).toContain(`<strong>受理编号：${zh.reference}</strong>`);
    expect(zhMail.mail.html).toContain('取消手续费：¥10.00');

    const enMail = byRef(en.reference);
    expect(enMail.mail.subject).toBe('Your cancellation is confirmed');
    expect(text(enMail).split('\n')[0]).toBe(`Reference number: ${en.reference}`);
    expect(text(enMail)).toContain(
      'Your cancellation of Fitness Pro Monthly (membership ms-2007) is confirmed. We received it Nov 24, 2026 10:00 (Beijing time).',
    );
    expect(text(enMail)).toContain(
      'Benefits: auto-renew is off and nothing more will be charged; your benefits last until Dec 5, 2026.',
    );
    expect(text(enMail)).toContain('Cancellation fee: none.');
    expect(text(enMail)).toContain('Refund: none.');
    expect(text(enMail)).toMatch(
      /When your benefits end you lose: 450 points, 1 coupon worth \$\d+\.\d\d, and your Pro status\./,
    );
    expect(text(enMail)).toContain(
      'You can undo this cancellation until Dec 5, 2026: ask the assistant to check your membership and choose "Undo the cancellation".',
    );
    expect(enMail.mail.html).toContain('&quot;Undo the cancellation&quot;');

    // The outbox keeps the receipt (no secret in it), with the address masked.
    expect((await outbox(app, 'cancellation-confirmed'))[0]).toMatchObject({
      status: 'sent',
      to: 'l***@example.com',
      attempts: 1,
    });
    expect((await outbox(app, 'cancellation-scheduled'))[0].text).toContain(en.reference);
  });

  it('sends SMS through NOTIFY_TRANSPORT while e-mail goes to the mail server', async () => {
    server = await startMailServer();
    ({ app } = await appWith(server));
    await app.services.memberships.cancel({
      memberId: 'm-1001',
      membershipId: 'ms-2001',
      option: 'period_end',
      requestId: 'r-sms',
    });
    expect(await app.dispatcher.deliverDue()).toEqual({ sent: 1, retrying: 0, failed: 0 });
    expect(server.received).toHaveLength(0);
    const sms = (await outbox(app, 'cancellation-scheduled'))[0];
    expect(sms).toMatchObject({ channel: 'sms', status: 'sent' });
    // The SMS keeps its short form.
    expect(sms.text).toMatch(/^取消成功：/);
  });

  it('retries a 4xx with the outbox backoff and delivers the message once, under the same Message-ID', async () => {
    server = await startMailServer({ dataReplies: [451] });
    let clock: ManualClock;
    ({ app, clock } = await appWith(server));
    const { cancellation } = await app.services.memberships.cancel({
      memberId: 'm-1006',
      membershipId: 'ms-2007',
      option: 'period_end',
      requestId: 'r',
    });
    expect(await app.dispatcher.deliverDue()).toEqual({ sent: 0, retrying: 1, failed: 0 });
    const [message] = await outbox(app, 'cancellation-scheduled');
    // Not recorded as sent: the server refused it.
    expect(message).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: '2026-11-24T02:00:02.000Z' });
    expect(message.lastError).toBe('the mail server answered 451 4.3.0 Try again later');
    expect(server.accepted()).toHaveLength(0);

    clock.advance(1000);
    expect(await app.dispatcher.deliverDue()).toEqual({ sent: 0, retrying: 0, failed: 0 });
    clock.advance(1000);
    expect(await app.dispatcher.deliverDue()).toEqual({ sent: 1, retrying: 0, failed: 0 });
    expect(await app.dispatcher.deliverDue()).toEqual({ sent: 0, retrying: 0, failed: 0 });
    expect(server.accepted()).toHaveLength(1);
    expect(server.received.map((r) => r.mail.messageId)).toEqual([
      `<${message.id}@example.com>`,
      `<${message.id}@example.com>`,
    ]);
    expect(text(server.accepted()[0])).toContain(cancellation.reference);
    expect((await outbox(app, 'cancellation-scheduled'))[0]).toMatchObject({ status: 'sent', attempts: 2 });
    expect((await outbox(app, 'cancellation-scheduled'))[0].lastError).toBeUndefined();
  });

  it('delivers a backlog over at most three connections, reusing them', async () => {
    server = await startMailServer();
    ({ app } = await appWith(server, { OTP_RESEND_SECONDS: '0' }));
    const ids = ['emily.carter@example.com', 'li.na@example.com'];
    // Ten codes due at once, as after an outage: five for each member (the hourly limit).
    for (let i = 0; i < 5; i++) for (const value of ids) await app.services.otp.requestCode({ kind: 'email', value });
    expect(await app.dispatcher.deliverDue()).toEqual({ sent: 10, retrying: 0, failed: 0 });
    expect(server.accepted()).toHaveLength(10);
    expect(server.connections.most).toBeLessThanOrEqual(3);
    expect(server.connections.total).toBeLessThanOrEqual(3);
  });

  it('parks a message the server refuses for good (5xx at DATA), with the server reason', async () => {
    server = await startMailServer({ dataReplies: [554] });
    ({ app } = await appWith(server));
    await app.services.memberships.cancel({
      memberId: 'm-1006',
      membershipId: 'ms-2007',
      option: 'period_end',
      requestId: 'r',
    });
    expect(await app.dispatcher.deliverDue()).toEqual({ sent: 0, retrying: 0, failed: 1 });
    expect((await outbox(app, 'cancellation-scheduled'))[0]).toMatchObject({
      status: 'failed',
      attempts: 1,
      lastError: 'the mail server answered 554 5.7.1 Message refused by policy',
    });
    expect(server.accepted()).toHaveLength(0);
  });

  it('parks a code for an unknown recipient (550 at RCPT TO), with the reason and the address masked', async () => {
    server = await startMailServer({ unknownRecipients: ['emily.carter@example.com'] });
    ({ app } = await appWith(server));
    await app.services.otp.requestCode({ kind: 'email', value: 'emily.carter@example.com' });
    expect(await app.dispatcher.deliverDue()).toEqual({ sent: 0, retrying: 0, failed: 1 });
    const [message] = await outbox(app, 'otp');
    expect(message).toMatchObject({ status: 'failed', to: 'e***@example.com', text: '', redacted: true });
    expect(message.lastError).toBe(
      'the mail server answered 550 5.1.1 <e***@example.com>: Recipient address rejected: User unknown',
    );
    expect(server.received).toHaveLength(0);
  });

  it('retries when the mail server cannot be reached (connection refused)', async () => {
    server = await startMailServer();
    const url = server.url();
    await server.close();
    const clock = new ManualClock(NOW);
    app = await createJsonApp(testConfig({ NOTIFY_EMAIL_TRANSPORT: 'smtp', SMTP_URL: url, MAIL_FROM: FROM }), {
      db: 'memory',
      stateStorage: new MemoryStorage(),
      clock,
      random: seededRandom(3),
      deliverOnCommit: false,
    });
    await app.services.otp.requestCode({ kind: 'email', value: 'emily.carter@example.com' });
    expect(await app.dispatcher.deliverDue()).toEqual({ sent: 0, retrying: 1, failed: 0 });
    expect((await outbox(app, 'otp'))[0]).toMatchObject({ status: 'pending', attempts: 1 });
    expect((await outbox(app, 'otp'))[0].lastError).toMatch(/^the mail server could not be reached \(ECONNREFUSED\)/);
    server = await startMailServer(); // for afterEach
  });

  it('logs in when SMTP_URL has credentials, and the password appears in no log line and no stored error', async () => {
    const password = 'Pa55:w0rd/with@signs';
    server = await startMailServer({ login: { user: 'mailer', pass: password } });
    const credentials = `mailer:${encodeURIComponent(password)}@`;
    ({ app } = await appWith(server, { SMTP_URL: server.url(credentials) }));
    await app.services.otp.requestCode({ kind: 'email', value: 'emily.carter@example.com' });
    expect(await app.dispatcher.deliverDue()).toEqual({ sent: 1, retrying: 0, failed: 0 });
    expect(server.logins).toEqual([{ user: 'mailer', accepted: true }]);
    expect(server.accepted().map((r) => r.user)).toEqual(['mailer']);
    await app.close();

    // The same server with a wrong password: retried (ours to fix, not the message's), never logged.
    const lines: string[] = [];
    const logs = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const wrong = 'Wr0ng-Secret-Value';
    ({ app } = await appWith(server, { SMTP_URL: server.url(`mailer:${wrong}@`) }, logs));
    await app.services.otp.requestCode({ kind: 'email', value: 'emily.carter@example.com' });
    expect(await app.dispatcher.deliverDue()).toEqual({ sent: 0, retrying: 1, failed: 0 });
    const [message] = await outbox(app, 'otp');
    expect(message.lastError).toMatch(
      /^the mail server refused our login: 535 5\.7\.8 Authentication credentials invalid/,
    );
    expect(lines.join('')).toContain('notification not delivered yet');
    for (const secret of [wrong, password, encodeURIComponent(password)]) {
      expect(lines.join('')).not.toContain(secret);
      expect(JSON.stringify(app.store.data)).not.toContain(secret);
    }
  });
});

describe('SmtpTransport on its own', () => {
  const message: OutboxMessage = {
    id: 'msg-0123456789abcdef',
    at: NOW,
    memberId: 'm-1006',
    channel: 'email',
    to: 'emily.carter@example.com',
    locale: 'en-US',
    template: 'cancellation-effective',
    text: 'Your Fitness Pro Monthly membership (ms-2007) has now ended, as you requested.',
    status: 'pending',
    attempts: 0,
    nextAttemptAt: NOW,
  };

  it('gives up waiting for a server that never greets, as a failure worth retrying', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => {
      sockets.push(socket);
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
    const { port } = silent.address() as AddressInfo;
    const transport = new SmtpTransport(`smtp://127.0.0.1:${port}`, FROM, {
      connectionTimeoutMs: 1000,
      greetingTimeoutMs: 50,
      socketTimeoutMs: 1000,
    });
    const failure = await transport.send(message, new AbortController().signal).then(
      () => null,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(DeliveryError);
    expect(failure).toMatchObject({ retryable: true });
    expect((failure as Error).message).toMatch(/^the mail server could not be reached \(ETIMEDOUT GREETING_TIMEOUT\)/);
    transport.close();
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  it('parks a message with no address without calling the server', async () => {
    const transport = new SmtpTransport('smtp://127.0.0.1:1', FROM);
    await expect(transport.send({ ...message, to: '' }, new AbortController().signal)).rejects.toMatchObject({
      retryable: false,
      message: 'the member has no e-mail address',
    });
    transport.close();
  });
});
