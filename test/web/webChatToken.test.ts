import { ManualClock } from '../../src/core/clock.js';
import { WebChatTokens } from '../../src/web/webChatToken.js';

const SECRET = 'w'.repeat(32);
const at = (iso: string) => Date.parse(iso) / 1000;

describe('web chat tokens', () => {
  const clock = new ManualClock('2026-11-24T02:00:00Z');
  const tokens = new WebChatTokens(SECRET, 1800, clock, 4 * 3600);

  it('vouch for one conversation and one user until they expire', () => {
    const { token } = tokens.open({ c: 'wc-1', u: 'wu-1', h: 'host.jwt' });
    expect(tokens.check(token)).toEqual({
      ok: true,
      claims: {
        c: 'wc-1',
        u: 'wu-1',
        h: 'host.jwt',
        g: 0,
        e: at('2026-11-24T06:00:00Z'),
        exp: at('2026-11-24T02:30:00Z'),
      },
    });
    clock.advance(1799_000);
    expect(tokens.check(token).ok).toBe(true);
    clock.advance(1000);
    expect(tokens.check(token)).toEqual({ ok: false, reason: 'expired' });
  });

  it('renew within the session only: the last token ends with it, whenever it is asked for', () => {
    const now = new ManualClock('2026-11-24T02:00:00Z');
    const mine = new WebChatTokens(SECRET, 1800, now, 3600);
    let issued = mine.open({ c: 'wc-1', u: 'wu-1' });
    const ends: string[] = [];
    for (let generation = 1; generation <= 4; generation++) {
      now.advance(20 * 60_000);
      issued = mine.renew(issued.claims, generation);
      ends.push(new Date(issued.claims.exp * 1000).toISOString());
    }
    expect(ends).toEqual([
      '2026-11-24T02:50:00.000Z',
      '2026-11-24T03:00:00.000Z',
      '2026-11-24T03:00:00.000Z',
      '2026-11-24T03:00:00.000Z',
    ]);
    expect(issued.claims).toMatchObject({ c: 'wc-1', u: 'wu-1', g: 4, e: at('2026-11-24T03:00:00Z') });
    expect(mine.check(issued.token)).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuse a token whose claims were changed, one signed with another secret, and anything not a token', () => {
    const now = new ManualClock('2026-11-24T02:00:00Z');
    const mine = new WebChatTokens(SECRET, 1800, now, 3600);
    const { token } = mine.open({ c: 'wc-1', u: 'wu-1' });
    const [, signature] = token.split('.');
    const otherConversation = Buffer.from(
      JSON.stringify({ c: 'wc-2', u: 'wu-1', g: 0, e: 9_999_999_999, exp: 9_999_999_999 }),
    ).toString('base64url');
    expect(mine.check(`${otherConversation}.${signature}`)).toEqual({ ok: false, reason: 'signature' });
    expect(mine.check(new WebChatTokens('x'.repeat(32), 1800, now, 3600).open({ c: 'wc-1', u: 'wu-1' }).token)).toEqual(
      {
        ok: false,
        reason: 'signature',
      },
    );
    expect(mine.check(undefined)).toEqual({ ok: false, reason: 'missing' });
    expect(mine.check('not-a-token')).toEqual({ ok: false, reason: 'malformed' });
    expect(mine.check('a.b.c')).toEqual({ ok: false, reason: 'malformed' });
  });
});
