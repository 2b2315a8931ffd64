import { ManualClock } from '../../../src/core/clock.js';
import { seededRandom } from '../../../src/core/random.js';
import { DEFAULT_OTP_POLICY } from '../../../src/identity/otpPolicy.js';
import { OtpService } from '../../../src/identity/otpService.js';
import { MembershipService } from '../../../src/membership/membershipService.js';
import { Notifier } from '../../../src/notify/notifier.js';
import type { PostgresRepository } from '../../../src/store/postgres/postgresRepository.js';
import { instance, rawQuery, seededDatabase } from './postgresFixture.js';

const NOW = '2026-11-24T02:00:00.000Z';

/** The domain services of one instance over the shared database, with its own clock and random source. */
function services(repo: PostgresRepository, seed: number) {
  const clock = new ManualClock(NOW);
  const random = seededRandom(seed);
  const notifier = new Notifier(clock, random);
  return {
    clock,
    otp: new OtpService(repo, notifier, clock, random, DEFAULT_OTP_POLICY, 'k'.repeat(32)),
    memberships: new MembershipService(repo, notifier, clock, random),
  };
}

describe('the domain services over PostgreSQL, two instances', () => {
  let url: string;
  let a: PostgresRepository;
  let b: PostgresRepository;
  beforeEach(async () => {
    url = await seededDatabase();
    a = instance(url);
    b = instance(url);
  });
  afterEach(async () => {
    await Promise.all([a.close(), b.close()]);
  });

  it('sends a code, replaces it with a new one on request, and verifies the new one; the database never holds it', async () => {
    const one = services(a, 1);
    const phone = { kind: 'phone', value: '+8613812345678' } as const;
    const first = await one.otp.requestCode(phone, { conversationId: 'conv-1' });
    one.clock.advance(DEFAULT_OTP_POLICY.resendSeconds * 1000);
    const second = await one.otp.requestCode(phone, { conversationId: 'conv-1' });
    expect([first.status, second.status]).toEqual(['sent', 'sent']);
    const states = await rawQuery<{ state: string }>(url, 'SELECT state FROM otp_challenges ORDER BY issued_at');
    expect(states.map((s) => s.state)).toEqual(['replaced', 'open']);

    const messages = await a.claimOutbox(one.clock.now().toISOString(), 60_000, 10);
    expect(messages).toHaveLength(2);
    const code = /\d{6}/.exec(messages[1].text)![0];
    const stored = await rawQuery<{ text: string }>(url, 'SELECT text FROM outbox');
    expect(stored.every((row) => !row.text.includes(code))).toBe(true);

    const otherInstance = services(b, 2);
    otherInstance.clock.set(one.clock.now());
    const challengeId = second.status === 'sent' ? second.challengeId : '';
    expect(await otherInstance.otp.verify(challengeId, code)).toEqual({ status: 'verified', memberId: 'm-1001' });
  });

  it("keeps one address's guess budget across instances: of nine codes asked at once over two, three are sent", async () => {
    const [one, two] = [services(a, 1), services(b, 2)];
    const asked = await Promise.all(
      Array.from({ length: 9 }, (_, i) =>
        (i % 2 ? two : one).otp.requestCode(
          { kind: 'phone', value: `+861390000000${i}` },
          { conversationId: `conv-${i}`, address: '203.0.113.7' },
        ),
      ),
    );
    // Each open code holds its 5 attempts of the address's 15.
    expect(asked.filter((r) => r.status === 'sent')).toHaveLength(3);
    const rows = await rawQuery<{ requesters: string[] }>(url, 'SELECT requesters FROM otp_challenges');
    expect(rows).toHaveLength(3);
    expect(new Set(rows.map((row) => row.requesters[1])).size).toBe(1);
  });

  it('lets one of two instances cancelling the same membership at once through; the other sees it done', async () => {
    const [one, two] = [services(a, 1), services(b, 2)];
    const request = (requestId: string) => ({
      memberId: 'm-1001',
      membershipId: 'ms-2001',
      option: 'period_end' as const,
      requestId,
    });
    const done = await Promise.all([
      one.memberships.cancel(request('req-a')),
      two.memberships.cancel(request('req-b')),
    ]);
    expect(done.map((r) => r.alreadyDone).sort()).toEqual([false, true]);
    const rows = await rawQuery<{ reference: string }>(
      url,
      "SELECT reference FROM cancellations WHERE membership_id = 'ms-2001'",
    );
    expect(rows).toHaveLength(1);
    for (const result of done) expect(result.cancellation.reference).toBe(rows[0].reference);
  });

  it('answers a request sent twice to two instances at once with one cancellation', async () => {
    const [one, two] = [services(a, 1), services(b, 2)];
    const request = {
      memberId: 'm-1002',
      membershipId: 'ms-2003',
      option: 'immediate' as const,
      requestId: 'req-same',
    };
    const [x, y] = await Promise.all([one.memberships.cancel(request), two.memberships.cancel(request)]);
    expect(x.cancellation.reference).toBe(y.cancellation.reference);
    expect([x.alreadyDone, y.alreadyDone].sort()).toEqual([false, true]);
    const rows = await rawQuery(url, "SELECT reference FROM cancellations WHERE request_id = 'req-same'");
    expect(rows).toHaveLength(1);
  });
});
