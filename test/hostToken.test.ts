import jwt from 'jsonwebtoken';
import { ManualClock } from '../src/core/clock.js';
import { verifyMemberToken } from '../src/identity/hostToken.js';

const SECRET = 's'.repeat(32);
const clock = new ManualClock('2026-11-24T02:00:00Z');
const now = Math.floor(clock.now().getTime() / 1000);
const sign = (payload: object, secret = SECRET, algorithm: jwt.Algorithm = 'HS256') => jwt.sign(payload, secret, { algorithm, noTimestamp: true });

describe('verifyMemberToken', () => {
  it('accepts a short-lived HS256 token and returns its subject', () => {
    expect(verifyMemberToken(sign({ sub: 'm-1001', exp: now + 300 }), SECRET, clock)).toBe('m-1001');
  });

  it.each([
    ['without a configured secret', sign({ sub: 'm-1001', exp: now + 300 }), undefined],
    ['signed with another secret', sign({ sub: 'm-1001', exp: now + 300 }, 'x'.repeat(32)), SECRET],
    ['expired', sign({ sub: 'm-1001', exp: now - 60 }), SECRET],
    ['without exp', sign({ sub: 'm-1001' }), SECRET],
    ['living longer than an hour', sign({ sub: 'm-1001', exp: now + 7200 }), SECRET],
    ['with another algorithm', sign({ sub: 'm-1001', exp: now + 300 }, SECRET, 'HS512'), SECRET],
    ['without a subject', sign({ exp: now + 300 }), SECRET],
    ['not a string', 42, SECRET],
  ])('refuses a token %s', (_what, token, secret) => {
    expect(verifyMemberToken(token, secret, clock)).toBeNull();
  });
});
