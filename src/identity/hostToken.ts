import jwt from 'jsonwebtoken';
import type { Clock } from '../core/clock.js';

/** Tokens that claim to live longer than this are refused: a host token is for one sitting. */
export const MAX_TOKEN_LIFETIME_SECONDS = 3600;

/**
 * Checks a host app's statement that its user is signed in: an HS256 JWT whose `sub` is the member
 * id, with a required, near `exp`. Returns the member id, or null for anything else (no secret
 * configured, a bad signature, another algorithm, expired, too long-lived).
 */
export function verifyMemberToken(token: unknown, secret: string | undefined, clock: Clock): string | null {
  if (!secret || typeof token !== 'string' || token.length > 4096) return null;
  const now = Math.floor(clock.now().getTime() / 1000);
  try {
    const payload = jwt.verify(token, secret, { algorithms: ['HS256'], clockTimestamp: now, clockTolerance: 5 });
    if (typeof payload !== 'object' || typeof payload.sub !== 'string' || typeof payload.exp !== 'number') return null;
    if (payload.exp - now > MAX_TOKEN_LIFETIME_SECONDS) return null;
    return payload.sub;
  } catch {
    return null;
  }
}
