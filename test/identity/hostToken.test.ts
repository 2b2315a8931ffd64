import jwt from 'jsonwebtoken';
import { ManualClock } from '../../src/core/clock.js';
import { verifyMemberToken } from '../../src/identity/hostToken.js';
import { signHostToken, TOKEN_AUDIENCE, TOKEN_ISSUER } from '../support/hostToken.js';

const SECRET = 's'.repeat(32);
const RULES = { secret: SECRET, issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE };
const clock = new ManualClock('2026-11-24T02:00:00Z');
const now = Math.floor(clock.now().getTime() / 1000);
const sign = (overrides: Record<string, unknown> = {}, secret = SECRET) =>
  signHostToken(secret, 'm-1001', 'user-1', now + 300, overrides);

describe('verifyMemberToken', () => {
  it('accepts a short-lived HS256 token from the issuer, for the audience and this user, and returns its subject and expiry', () => {
    const vouched = { memberId: 'm-1001', expiresAt: new Date('2026-11-24T02:05:00Z') };
    expect(verifyMemberToken(sign(), 'user-1', RULES, clock)).toEqual(vouched);
    expect(verifyMemberToken(sign({ aud: ['another-service', TOKEN_AUDIENCE] }), 'user-1', RULES, clock)).toEqual(
      vouched,
    );
  });

  it.each([
    ['without a configured secret', sign(), { ...RULES, secret: undefined }],
    ['without a configured issuer', sign(), { ...RULES, issuer: undefined }],
    ['without a configured audience', sign(), { ...RULES, audience: undefined }],
    ['signed with another secret', sign({}, 'x'.repeat(32)), RULES],
    ['expired', sign({ exp: now - 60 }), RULES],
    ['without exp', sign({ exp: undefined }), RULES],
    ['living longer than an hour', sign({ exp: now + 7200 }), RULES],
    ['without a subject', sign({ sub: undefined }), RULES],
    ['from another issuer', sign({ iss: 'https://other-app.test' }), RULES],
    ['without an issuer', sign({ iss: undefined }), RULES],
    ['for another audience', sign({ aud: 'another-service' }), RULES],
    ['without an audience', sign({ aud: undefined }), RULES],
    ['issued to another user', sign({ uid: 'user-2' }), RULES],
    ['without the user it was issued to', sign({ uid: undefined }), RULES],
    ['not a string', 42, RULES],
  ])('refuses a token %s', (_what, token, rules) => {
    expect(verifyMemberToken(token, 'user-1', rules, clock)).toBeNull();
  });

  it('refuses another algorithm with the same secret', () => {
    const hs512 = jwt.sign(
      { sub: 'm-1001', uid: 'user-1', iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE, exp: now + 300 },
      SECRET,
      { algorithm: 'HS512', noTimestamp: true },
    );
    expect(verifyMemberToken(hs512, 'user-1', RULES, clock)).toBeNull();
  });
});
