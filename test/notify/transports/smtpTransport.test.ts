import type { OutboxMessage } from '../../../src/model/schema.js';
import { OutboxDispatcher } from '../../../src/notify/outboxDispatcher.js';
import type { Timer } from '../../../src/notify/sendDeadline.js';
import { SMTP_CONNECTIONS, SmtpTransport } from '../../../src/notify/transports/smtpTransport.js';
import { domain } from '../../support/domain.js';
import { startMailServer, type MailServer } from '../../support/mailServer.js';

const EMILY_ID = 'm-1006';
const DEADLINE_MS = 30_000;

describe('SmtpTransport under the dispatcher: a server that stalls after DATA', () => {
  let server: MailServer;
  let smtp: SmtpTransport;
  afterEach(async () => {
    smtp.close();
    await server.close();
  });

  it('gives the send up at its deadline, closes its connection, keeps the code retrying, and delivers it once on the retry', async () => {
    server = await startMailServer({ unansweredData: 1 });
    smtp = new SmtpTransport(server.url(), 'Membership <members@example.com>');
    const d = await domain();
    // Deadlines fire when the test says: the e-mail's once the server has the whole message unanswered.
    const deadlines = new Map<number, () => void>();
    const timer: Timer = (ms, fire) => {
      deadlines.set(ms, fire);
      return () => deadlines.delete(ms);
    };
    const sms: OutboxMessage[] = [];
    const dispatcher = new OutboxDispatcher(
      d.repo,
      (message) => (message.channel === 'email' ? smtp : { send: async (m) => void sms.push(m) }),
      d.clock,
      {
        maxAttempts: 8,
        baseDelayMs: 2000,
        maxDelayMs: 60_000,
        leaseMs: 120_000,
        lanes: { email: { sendTimeoutMs: DEADLINE_MS, batch: SMTP_CONNECTIONS } },
        timer,
      },
    );
    await d.otp.requestCode({ kind: 'email', value: 'emily.carter@example.com' });
    const pass = dispatcher.deliverDue();
    while (server.held.length === 0) await new Promise((resolve) => setImmediate(resolve));
    // An SMS asked for meanwhile goes out while the e-mail waits for its answer.
    await d.otp.requestCode({ kind: 'phone', value: '+8613812345678' });
    const wakeUp = dispatcher.deliverDue();
    while (sms.length === 0) await new Promise((resolve) => setImmediate(resolve));
    expect(sms[0].text).toMatch(/您的验证码是\d{6}，/);

    deadlines.get(DEADLINE_MS)!();
    expect(await pass).toEqual({ sent: 0, retrying: 1, failed: 0 });
    await wakeUp;
    const [waiting] = await d.repo.outboxOf(EMILY_ID);
    expect(waiting).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: '2026-11-24T02:00:02.000Z' });
    expect(waiting.lastError).toMatch(/^no answer within 30000 ms/);
    expect(server.accepted()).toHaveLength(0);
    while (server.connections.open > 0) await new Promise((resolve) => setImmediate(resolve));

    d.clock.advance(2000);
    expect(await dispatcher.deliverDue()).toEqual({ sent: 1, retrying: 0, failed: 0 });
    expect(server.accepted()).toHaveLength(1);
    const mail = server.accepted()[0].mail;
    expect(mail.messageId).toBe(`<${waiting.id}@example.com>`);
    expect(server.held[0].messageId).toBe(mail.messageId);
    expect(mail.text).toMatch(/\b\d{6}\b/);
    expect((await d.repo.outboxOf(EMILY_ID))[0]).toMatchObject({ status: 'sent', attempts: 2, redacted: true });
  });
});
