import type { OutboxMessage } from '../../src/model/schema.js';
import { OutboxDispatcher, type DispatcherOptions } from '../../src/notify/outboxDispatcher.js';
import type { Timer } from '../../src/notify/sendDeadline.js';
import type { Transport } from '../../src/notify/transport.js';
import { domain } from '../support/domain.js';

const EMILY = 'emily.carter@example.com';
const EMILY_ID = 'm-1006';
const ZHANG_WEI = '+8613812345678';
const ZHANG_WEI_ID = 'm-1001';
const DEADLINE_MS = 30_000;

/** Deadline timers that fire only when the test says so. */
function manualTimers() {
  const pending = new Set<{ ms: number; fire: () => void }>();
  const timer: Timer = (ms, fire) => {
    const entry = { ms, fire };
    pending.add(entry);
    return () => pending.delete(entry);
  };
  return {
    timer,
    pending,
    fireAll: () => {
      const due = [...pending];
      pending.clear();
      for (const entry of due) entry.fire();
    },
  };
}

/**
 * A mail server that never answers: each send waits forever and only notes that it was given up
 * on. `sending()` resolves once the next send has begun (its deadline is set by then).
 */
function stalledMail() {
  const aborted: string[] = [];
  let begun: () => void = () => undefined;
  const transport: Transport = {
    send: (message, signal) => {
      begun();
      return new Promise<void>(() => signal.addEventListener('abort', () => aborted.push(message.id), { once: true }));
    },
  };
  const sending = () => new Promise<void>((resolve) => (begun = resolve));
  return { transport, aborted, sending };
}

/** An SMS gateway that answers at once; `arrived` resolves with the first message it is given. */
function smsGateway() {
  const received: OutboxMessage[] = [];
  let arrive!: (message: OutboxMessage) => void;
  const arrived = new Promise<OutboxMessage>((resolve) => (arrive = resolve));
  const transport: Transport = {
    send: async (message) => {
      received.push(message);
      arrive(message);
    },
  };
  return { transport, received, arrived };
}

async function setUp() {
  const d = await domain();
  const timers = manualTimers();
  const mail = stalledMail();
  const sms = smsGateway();
  const options: DispatcherOptions = {
    maxAttempts: 8,
    baseDelayMs: 2000,
    maxDelayMs: 60_000,
    leaseMs: 120_000,
    lanes: { email: { sendTimeoutMs: DEADLINE_MS, batch: 3 } },
    timer: timers.timer,
  };
  let email = mail.transport;
  const dispatcher = new OutboxDispatcher(
    d.repo,
    (message) => (message.channel === 'email' ? email : sms.transport),
    d.clock,
    options,
  );
  return { d, timers, mail, sms, dispatcher, mailWith: (next: Transport) => (email = next) };
}

describe('OutboxDispatcher: a slow transport holds back only its own channel', () => {
  it('sends an SMS code asked for while a mail server hangs, then gives the e-mail up at its deadline as retrying, never sent', async () => {
    const { d, timers, mail, sms, dispatcher } = await setUp();
    await d.otp.requestCode({ kind: 'email', value: EMILY });
    const emailSending = mail.sending();
    const emailPass = dispatcher.deliverDue();
    await emailSending;
    // The member asks for an SMS code after the e-mail went to the stalled server; the commit wakes the dispatcher.
    await d.otp.requestCode({ kind: 'phone', value: ZHANG_WEI });
    const wakeUp = dispatcher.deliverDue();

    const code = await sms.arrived;
    expect(code).toMatchObject({ channel: 'sms', to: ZHANG_WEI, template: 'otp' });
    expect(code.text).toMatch(/您的验证码是\d{6}，/);
    // The e-mail is still in the mail server's hands: its deadline has not passed.
    expect(mail.aborted).toEqual([]);

    d.clock.advance(DEADLINE_MS);
    timers.fireAll();
    const reports = await Promise.all([emailPass, wakeUp]);
    expect(reports[0]).toEqual({ sent: 0, retrying: 1, failed: 0 });

    const [emailCode] = await d.repo.outboxOf(EMILY_ID);
    const [smsCode] = await d.repo.outboxOf(ZHANG_WEI_ID);
    expect(mail.aborted).toEqual([emailCode.id]);
    expect(emailCode).toMatchObject({
      channel: 'email',
      status: 'pending',
      attempts: 1,
      lastError: `no answer within ${DEADLINE_MS} ms; the send was abandoned and is tried again`,
      nextAttemptAt: '2026-11-24T02:00:32.000Z',
    });
    expect(emailCode.sentAt).toBeUndefined();
    expect(smsCode).toMatchObject({ channel: 'sms', status: 'sent', attempts: 1, text: '', redacted: true });
    expect(sms.received).toHaveLength(1);
  });

  it('delivers the timed-out e-mail once on its retry, with its code, and sends nothing twice', async () => {
    const { d, timers, mail, dispatcher, mailWith } = await setUp();
    await d.otp.requestCode({ kind: 'email', value: EMILY });
    const sending = mail.sending();
    const pass = dispatcher.deliverDue();
    await sending;
    timers.fireAll();
    expect(await pass).toEqual({ sent: 0, retrying: 1, failed: 0 });
    expect(mail.aborted).toHaveLength(1);

    const delivered: OutboxMessage[] = [];
    mailWith({ send: async (message) => void delivered.push(message) });
    d.clock.advance(1999);
    expect(await dispatcher.deliverDue()).toEqual({ sent: 0, retrying: 0, failed: 0 });
    d.clock.advance(1);
    expect(await dispatcher.deliverDue()).toEqual({ sent: 1, retrying: 0, failed: 0 });
    expect(await dispatcher.deliverDue()).toEqual({ sent: 0, retrying: 0, failed: 0 });
    expect(delivered).toHaveLength(1);
    expect(delivered[0].text).toMatch(/\b\d{6}\b/);
    const [stored] = await d.repo.outboxOf(EMILY_ID);
    expect(stored).toMatchObject({ id: delivered[0].id, status: 'sent', attempts: 2, text: '', redacted: true });
    expect(stored.lastError).toBeUndefined();
    expect(timers.pending.size).toBe(0);
  });

  it('names a channel whose sends keep timing out as degraded, and clears it once a send is answered', async () => {
    const { d, timers, mail, dispatcher, mailWith } = await setUp();
    await d.otp.requestCode({ kind: 'email', value: EMILY });
    for (let attempt = 1; attempt <= 3; attempt++) {
      expect(dispatcher.degraded()).toEqual([]);
      const sending = mail.sending();
      const pass = dispatcher.deliverDue();
      await sending;
      timers.fireAll();
      expect(await pass).toEqual({ sent: 0, retrying: 1, failed: 0 });
      d.clock.advance(60_000);
    }
    expect(dispatcher.degraded()).toEqual([
      `email: the last 3 sends had no answer within ${DEADLINE_MS} ms; they are retried`,
    ]);
    mailWith({ send: async () => undefined });
    expect(await dispatcher.deliverDue()).toEqual({ sent: 1, retrying: 0, failed: 0 });
    expect(dispatcher.degraded()).toEqual([]);
  });
});
