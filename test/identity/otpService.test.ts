import { DEFAULT_OTP_POLICY } from '../../src/identity/otpPolicy.js';
import type { Requester } from '../../src/identity/otpService.js';
import type { Transaction } from '../../src/model/repository.js';
import { JsonStore } from '../../src/store/json/jsonStore.js';
import { OutboxDispatcher } from '../../src/notify/outboxDispatcher.js';
import { storedDbSchema } from '../../src/store/sealedRecords.js';
import { domain, seed } from '../support/domain.js';
import { join } from 'node:path';
import { scratchDir } from '../support/testConfig.js';
import { openedOutbox } from '../support/openedRecords.js';

const ZHANG = { kind: 'phone', value: '+8613812345678' } as const;
const NOBODY = { kind: 'phone', value: '+8613999999999' } as const;
const EMILY = { kind: 'email', value: 'emily.carter@example.com' } as const;

/** The code the member received: read from the outbox message, as the member reads their SMS. */
function deliveredCode(d: Awaited<ReturnType<typeof domain>>): string {
  const last = d.store.data.outbox.filter((m) => m.template === 'otp').at(-1)!;
  return /\d{6}/.exec(last.text)![0];
}

describe('OtpService', () => {
  it('sends a 6-digit code by SMS to the registered number and stores only a hash of it', async () => {
    const d = await domain();
    const result = await d.otp.requestCode(ZHANG);
    expect(result.status).toBe('sent');
    const code = deliveredCode(d);
    expect(code).toMatch(/^\d{6}$/);
    const message = (await openedOutbox(d.store, d.repo)).at(-1)!;
    expect(message).toMatchObject({
      channel: 'sms',
      to: '+8613812345678',
      locale: 'zh-CN',
      template: 'otp',
      status: 'pending',
    });
    const challenge = d.store.data.otpChallenges.at(-1)!;
    expect(JSON.stringify(challenge)).not.toContain(code);
    expect(challenge.codeHash).toMatch(/^[0-9a-f]{64}$/);
    // Nor the number it was asked for: a keyed hash the store can match, never read.
    expect(challenge.identifier).toMatch(/^phone:[0-9a-f]{32}$/);
    expect(JSON.stringify(challenge)).not.toContain('13812345678');
    expect(JSON.stringify(d.store.data.audit)).not.toContain(code);
  });

  it('verifies the right code once, with spaces or full-width digits', async () => {
    const d = await domain();
    const sent = await d.otp.requestCode(ZHANG);
    if (sent.status !== 'sent') throw new Error('not sent');
    const code = deliveredCode(d);
    const fullWidth = code.replace(/\d/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
    expect(await d.otp.verify(sent.challengeId, `${fullWidth.slice(0, 3)} ${fullWidth.slice(3)}`)).toEqual({
      status: 'verified',
      memberId: 'm-1001',
    });
    expect(await d.otp.verify(sent.challengeId, code)).toEqual({ status: 'dead' });
  });

  it('expires a code after the configured time', async () => {
    const d = await domain({ policy: { ttlSeconds: 600 } });
    const sent = await d.otp.requestCode(ZHANG);
    if (sent.status !== 'sent') throw new Error('not sent');
    d.clock.advance(600_000);
    expect(await d.otp.verify(sent.challengeId, deliveredCode(d))).toEqual({ status: 'expired' });
  });

  it('counts wrong entries down and kills the code at the limit; then even the right code fails', async () => {
    const d = await domain({ policy: { maxAttempts: 5 } });
    const sent = await d.otp.requestCode(ZHANG);
    if (sent.status !== 'sent') throw new Error('not sent');
    const code = deliveredCode(d);
    const wrong = code === '000000' ? '111111' : '000000';
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await d.otp.verify(sent.challengeId, wrong));
    expect(results).toEqual([
      { status: 'wrong', attemptsLeft: 4 },
      { status: 'wrong', attemptsLeft: 3 },
      { status: 'wrong', attemptsLeft: 2 },
      { status: 'wrong', attemptsLeft: 1 },
      { status: 'dead' },
    ]);
    expect(await d.otp.verify(sent.challengeId, code)).toEqual({ status: 'dead' });
  });

  it('allows one code per resend interval; a resend replaces the previous code', async () => {
    const d = await domain({ policy: { resendSeconds: 60 } });
    const first = await d.otp.requestCode(ZHANG);
    if (first.status !== 'sent') throw new Error('not sent');
    const firstCode = deliveredCode(d);
    d.clock.advance(30_000);
    expect(await d.otp.requestCode(ZHANG)).toEqual({ status: 'throttled', retryAt: '2026-11-24T02:01:00.000Z' });
    d.clock.advance(30_000);
    const second = await d.otp.requestCode(ZHANG);
    expect(second.status).toBe('sent');
    expect(await d.otp.verify(first.challengeId, firstCode)).toEqual({ status: 'dead' });
  });

  it('sends at most the configured number of codes an hour', async () => {
    const d = await domain({ policy: { resendSeconds: 60, maxPerHour: 5 } });
    for (let i = 0; i < 5; i++) {
      expect((await d.otp.requestCode(ZHANG)).status).toBe('sent');
      d.clock.advance(60_000);
    }
    expect(await d.otp.requestCode(ZHANG)).toEqual({ status: 'throttled', retryAt: '2026-11-24T03:00:00.000Z' });
    d.clock.set('2026-11-24T03:00:00.000Z');
    expect((await d.otp.requestCode(ZHANG)).status).toBe('sent');
  });

  /** Asks for a code as `requester` and lets it die with wrong answers; returns what the request got. */
  async function killCode(
    d: Awaited<ReturnType<typeof domain>>,
    requester: Requester,
    identifier: typeof ZHANG = ZHANG,
  ) {
    const sent = await d.otp.requestCode(identifier, requester);
    if (sent.status !== 'sent') return sent;
    const wrong = deliveredCode(d) === '999999' ? '888888' : '999999';
    for (let i = 0; i < DEFAULT_OTP_POLICY.maxAttempts; i++)
      await d.otp.verify(sent.challengeId, wrong, requester.conversationId);
    d.clock.advance(60_000);
    return sent;
  }

  it('pauses new codes for 15 minutes for a conversation after 3 dead codes in an hour, and its address while its guesses are spent', async () => {
    const d = await domain({ data: seed() });
    for (let i = 0; i < 3; i++)
      expect((await killCode(d, { conversationId: 'c-1', address: '203.0.113.7' })).status).toBe('sent');
    // Any identifier, from that conversation...
    expect(await d.otp.requestCode(ZHANG, { conversationId: 'c-1' })).toEqual({
      status: 'throttled',
      retryAt: '2026-11-24T02:17:00.000Z',
    });
    // ...or from a fresh one at the same address: its 15 guesses an hour are spent until the first
    // code (02:00) is an hour and a code's lifetime old.
    expect(await d.otp.requestCode(EMILY, { conversationId: 'c-2', address: '203.0.113.7' })).toEqual({
      status: 'throttled',
      retryAt: '2026-11-24T03:10:00.000Z',
    });
    d.clock.set('2026-11-24T02:17:00.000Z');
    expect((await d.otp.requestCode(ZHANG, { conversationId: 'c-1' })).status).toBe('sent');
    d.clock.set('2026-11-24T03:10:00.000Z');
    expect((await d.otp.requestCode(EMILY, { conversationId: 'c-2', address: '203.0.113.7' })).status).toBe('sent');
  });

  it('does not let strangers lock a member out: three conversations from other addresses letting codes die leave the member able to verify', async () => {
    const d = await domain();
    for (let i = 0; i < 3; i++)
      expect((await killCode(d, { conversationId: `stranger-${i}`, address: `198.51.100.${i}` })).status).toBe('sent');
    expect(d.store.data.otpChallenges.filter((c) => c.state === 'dead')).toHaveLength(3);
    const member = { conversationId: 'member-conversation', address: '192.0.2.10' };
    const sent = await d.otp.requestCode(ZHANG, member);
    if (sent.status !== 'sent') throw new Error(`the member was refused: ${JSON.stringify(sent)}`);
    expect(await d.otp.verify(sent.challengeId, deliveredCode(d), member.conversationId)).toEqual({
      status: 'verified',
      memberId: 'm-1001',
    });
  });

  it('lets one conversation ask codes for at most 3 different identifiers an hour', async () => {
    const d = await domain({ policy: { resendSeconds: 0 } });
    const phones = ['+8613812345678', '+8613912341111', '+8613712342222', '+8615812343333'].map(
      (value) => ({ kind: 'phone', value }) as const,
    );
    for (const phone of phones.slice(0, 3))
      expect((await d.otp.requestCode(phone, { conversationId: 'prober' })).status).toBe('sent');
    expect(await d.otp.requestCode(phones[3], { conversationId: 'prober' })).toEqual({
      status: 'throttled',
      retryAt: '2026-11-24T03:00:00.000Z',
    });
    // The ones it already asked for, and other conversations, are not affected.
    expect((await d.otp.requestCode(phones[0], { conversationId: 'prober' })).status).toBe('sent');
    expect((await d.otp.requestCode(phones[3], { conversationId: 'someone' })).status).toBe('sent');
  });

  it('keeps requesters only as keyed hashes (conversation, address and its network)', async () => {
    const d = await domain();
    await d.otp.requestCode(ZHANG, { conversationId: 'conv-secret-id', address: '203.0.113.99' });
    const challenge = d.store.data.otpChallenges.at(-1)!;
    expect(challenge.requesters).toEqual([
      expect.stringMatching(/^conversation:[0-9a-f]{32}$/),
      expect.stringMatching(/^address:[0-9a-f]{32}$/),
      expect.stringMatching(/^range:[0-9a-f]{32}$/),
    ]);
    expect(JSON.stringify(challenge)).not.toMatch(/conv-secret-id|203\.0\.113/);
  });

  it('keeps the throttle across a restart: the rules read persisted challenges', async () => {
    const file = join(scratchDir(), 'db.json');
    const store = await JsonStore.open({ schema: storedDbSchema, file, seedFile: 'data/seed.json' });
    const d = await domain({ store });
    await d.otp.requestCode(ZHANG);
    await store.close();
    const reopened = await JsonStore.open({ schema: storedDbSchema, file });
    const after = await domain({ store: reopened });
    after.clock.advance(10_000);
    expect((await after.otp.requestCode(ZHANG)).status).toBe('throttled');
    await reopened.close();
  });

  it('answers an unregistered number exactly as a registered one, sends nothing, and never verifies', async () => {
    const a = await domain();
    const b = await domain();
    const registered = await a.otp.requestCode(ZHANG);
    const unregistered = await b.otp.requestCode(NOBODY);
    const shape = (r: typeof registered) => ({ ...r, challengeId: typeof (r as { challengeId?: string }).challengeId });
    expect(shape(unregistered)).toEqual(shape(registered));
    expect(b.store.data.outbox).toHaveLength(0);
    if (unregistered.status !== 'sent') throw new Error('not sent');
    for (const guess of ['000000', '123456', '999999']) {
      expect(await b.otp.verify(unregistered.challengeId, guess)).toMatchObject({ status: 'wrong' });
    }
    expect((await b.otp.requestCode(NOBODY)).status).toBe('throttled');
  });

  it('lets one of two simultaneous code requests for one number through: the throttle is checked in the transaction', async () => {
    const d = await domain();
    const [a, b] = await Promise.all([
      d.otp.requestCode(ZHANG, { conversationId: 'conv-a' }),
      d.otp.requestCode(ZHANG, { conversationId: 'conv-b' }),
    ]);
    expect([a.status, b.status].sort()).toEqual(['sent', 'throttled']);
    expect(d.store.data.outbox.filter((m) => m.template === 'otp')).toHaveLength(1);
    expect(d.store.data.otpChallenges.filter((c) => c.state === 'open')).toHaveLength(1);
  });

  it('forgets an unregistered number a day after its code expired, answered or not (issue #14, item 8)', async () => {
    const d = await domain();
    await d.otp.requestCode(NOBODY);
    d.clock.advance(24 * 3_600_000);
    // A day after it was asked, still within a day of its expiry: a late answer is told "expired".
    await d.otp.requestCode(ZHANG);
    expect(d.store.data.otpChallenges.map((c) => c.memberId)).toEqual([null, 'm-1001']);
    d.clock.advance(11 * 60_000);
    await d.otp.purgeStale();
    expect(d.store.data.otpChallenges.map((c) => c.memberId)).toEqual(['m-1001']);
    // A new code request prunes the same way.
    await d.otp.requestCode(NOBODY);
    d.clock.advance(24 * 3_600_000 + 11 * 60_000);
    await d.otp.requestCode(ZHANG);
    expect(d.store.data.otpChallenges.map((c) => c.memberId)).toEqual(['m-1001']);
  });

  it('drops stale challenges at most once a minute: a drop reads every challenge of the day', async () => {
    const d = await domain();
    const drops: string[] = [];
    const transact = d.repo.transact.bind(d.repo);
    d.repo.transact = (work) =>
      transact((tx) =>
        work(
          Object.assign(Object.create(tx) as Transaction, {
            pruneChallenges: (cutoff: string) => {
              drops.push(cutoff);
              tx.pruneChallenges(cutoff);
            },
          }),
        ),
      );
    await d.otp.requestCode(NOBODY);
    await d.otp.requestCode(ZHANG);
    d.clock.advance(59_000);
    await d.otp.requestCode({ kind: 'phone', value: '+8613900001111' });
    expect(drops).toHaveLength(1);
    d.clock.advance(1_000);
    await d.otp.requestCode({ kind: 'phone', value: '+8613900002222' });
    expect(drops).toHaveLength(2);
    expect(d.store.data.otpChallenges).toHaveLength(4);
  });

  it('forgets a code message a day after it was sent, never one still to send', async () => {
    const d = await domain({ data: seed() });
    await d.otp.requestCode(ZHANG);
    await new OutboxDispatcher(d.repo, () => ({ send: async () => undefined }), d.clock).deliverDue();
    await d.otp.requestCode({ kind: 'email', value: 'emily.carter@example.com' });
    expect(d.store.data.outbox.map((m) => m.status)).toEqual(['sent', 'pending']);
    d.clock.advance(24 * 3_600_000 + 60_000);
    await d.otp.purgeStale();
    expect((await openedOutbox(d.store, d.repo)).map((m) => [m.to, m.status])).toEqual([
      ['emily.carter@example.com', 'pending'],
    ]);
  });

  it('sends the code by email when the member gave their email', async () => {
    const d = await domain({ data: seed() });
    await d.otp.requestCode({ kind: 'email', value: 'emily.carter@example.com' });
    expect((await openedOutbox(d.store, d.repo)).at(-1)).toMatchObject({
      channel: 'email',
      to: 'emily.carter@example.com',
      locale: 'en-US',
    });
    // An e-mail has room for the whole warning: how long the code lasts and that no one will ask for it.
    expect(d.store.data.outbox.at(-1)!.text).toMatch(
      /^Your verification code is \d{6}\.\n\nIt is valid for 10 minutes\./,
    );
    expect(d.store.data.outbox.at(-1)!.text).toContain('No one will ever ask you for this code');
  });
});
