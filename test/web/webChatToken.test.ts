import { ManualClock } from '../../src/core/clock.js';
import { WebChatTokens } from '../../src/web/webChatToken.js';

const SECRET = 'w'.repeat(32);

describe('web chat tokens', () => {
  const clock = new ManualClock('2026-11-24T02:00:00Z');
  const tokens = new WebChatTokens(SECRET, 1800, clock);

  it('vouch for one conversation and one user until they expire', () => {
    const { token } = tokens.issue({ c: 'wc-1', u: 'wu-1', h: 'host.jwt' });
    expect(tokens.check(token)).toEqual({
      ok: true,
      claims: { c: 'wc-1', u: 'wu-1', h: 'host.jwt', exp: Date.parse('2026-11-24T02:30:00Z') / 1000 },
    });
    clock.advance(1799_000);
    expect(tokens.check(token).ok).toBe(true);
    clock.advance(1000);
    expect(tokens.check(token)).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuse a token whose claims were changed, one signed with another secret, and anything not a token', () => {
    const now = new ManualClock('2026-11-24T02:00:00Z');
    const mine = new WebChatTokens(SECRET, 1800, now);
    const { token } = mine.issue({ c: 'wc-1', u: 'wu-1' });
    const [, signature] = token.split('.');
    const otherConversation = Buffer.from(JSON.stringify({ c: 'wc-2', u: 'wu-1', exp: 9_999_999_999 })).toString(
      'base64url',
    );
    expect(mine.check(`${otherConversation}.${signature}`)).toEqual({ ok: false, reason: 'signature' });
    expect(mine.check(new WebChatTokens('x'.repeat(32), 1800, now).issue({ c: 'wc-1', u: 'wu-1' }).token)).toEqual({
      ok: false,
      reason: 'signature',
    });
    expect(mine.check(undefined)).toEqual({ ok: false, reason: 'missing' });
    expect(mine.check('not-a-token')).toEqual({ ok: false, reason: 'malformed' });
    expect(mine.check('a.b.c')).toEqual({ ok: false, reason: 'malformed' });
  });
});
