import { formatDate, formatDateTime, formatMoney } from '../src/i18n/format.js';
import { forfeitList } from '../src/i18n/forfeits.js';
import { tCount } from '../src/i18n/plural.js';
import { verifyMemberToken } from '../src/identity/hostToken.js';
import { newReference } from '../src/membership/referenceNumber.js';
import jwt from 'jsonwebtoken';
import { ManualClock } from '../src/core/clock.js';
import { seededRandom } from '../src/core/random.js';

// The formatters are built once and reused (src/i18n/format.ts): one locale's, zone's or
// currency's formatter must never answer for another, in whatever order they are first asked for.
describe('reused formatters', () => {
  const instant = '2026-12-14T16:30:00.000Z';

  it('keep each currency and locale apart', () => {
    expect([
      formatMoney(990, 'USD', 'en-US'),
      formatMoney(990, 'CNY', 'en-US'),
      formatMoney(990, 'CNY', 'zh-CN'),
      formatMoney(990, 'USD', 'en-US'),
    ]).toEqual(['$9.90', '¥9.90', '¥9.90', '$9.90']);
  });

  it('keep each zone and locale apart', () => {
    expect([
      formatDate(instant, 'en-US'),
      formatDate(instant, 'en-US', 'UTC'),
      formatDate(instant, 'zh-CN'),
      formatDate(instant, 'zh-CN', 'UTC'),
      formatDateTime(instant, 'en-US', 'UTC'),
      formatDateTime(instant, 'en-US'),
    ]).toEqual([
      'Dec 15, 2026',
      'Dec 14, 2026',
      '2026-12-15',
      '2026-12-14',
      'Dec 14, 2026 16:30',
      'Dec 15, 2026 00:30',
    ]);
  });

  it('keep plural rules and lists per locale', () => {
    const forfeited = { points: 1, couponCount: 2, couponValue: '¥50.00', tier: 'Gold' };
    const en = forfeitList('en-US', forfeited);
    const zh = forfeitList('zh-CN', forfeited);
    expect(en).toMatch(/^1 point, 2 coupons .* and /);
    expect(zh).not.toBe(en);
    expect(forfeitList('en-US', forfeited)).toBe(en);
    expect([tCount('en-US', 'forfeit.points', 1), tCount('en-US', 'forfeit.points', 1280)]).toEqual([
      '1 point',
      '1,280 points',
    ]);
  });

  it('date references in China time whatever the zone of the instant', () => {
    expect(newReference(new Date('2026-11-24T16:00:00Z'), seededRandom(1))).toMatch(/^CX-20261125-[0-9A-HJ-NP-Z]{4}$/);
    expect(newReference(new Date('2026-11-24T15:59:59Z'), seededRandom(1))).toMatch(/^CX-20261124-/);
  });
});

// The secret is kept as a key object (src/identity/hostToken.ts): a changed secret must not be
// checked against the key made for the one before.
describe('host token key', () => {
  const clock = new ManualClock('2026-11-24T00:00:00Z');
  const rules = (secret: string) => ({ secret, issuer: 'iss', audience: 'aud' });
  const token = (secret: string) =>
    jwt.sign(
      { sub: 'm-1', uid: 'u-1', iss: 'iss', aud: 'aud', exp: Math.floor(clock.now().getTime() / 1000) + 60 },
      secret,
      {
        algorithm: 'HS256',
      },
    );

  it('follows the configured secret', () => {
    const a = 'first-secret-000000000000000000000000';
    const b = 'second-secret-00000000000000000000000';
    expect(verifyMemberToken(token(a), 'u-1', rules(a), clock)?.memberId).toBe('m-1');
    expect(verifyMemberToken(token(a), 'u-1', rules(b), clock)).toBeNull();
    expect(verifyMemberToken(token(b), 'u-1', rules(b), clock)?.memberId).toBe('m-1');
    expect(verifyMemberToken(token(b), 'u-1', rules(a), clock)).toBeNull();
  });
});
