import { createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Clock } from '../core/clock.js';

/** Tokens that claim to live longer than this are refused: a host token is for one sitting. */
export const MAX_TOKEN_LIFETIME_SECONDS = 3600;

/** What a host token must match: the shared secret, who issues tokens and who they are for. */
export interface MemberTokenRules {
  secret: string | undefined;
  issuer: string | undefined;
  audience: string | undefined;
}

/**
 * The secret as a key object, made once per secret: given a string, jsonwebtoken first tries it
 * as a public key and catches the failure, on every verification (about 1 ms a turn).
 */
let secretKey: { secret: string; key: KeyObject } | undefined;

function keyOf(secret: string): KeyObject {
  if (secretKey?.secret !== secret) secretKey = { secret, key: createSecretKey(Buffer.from(secret, 'utf8')) };
  return secretKey.key;
}

/** Whom a host token vouches for, and until when. */
export interface VouchedMember {
  memberId: string;
  /** the token's `exp`: what it vouches for ends then */
  expiresAt: Date;
}

/**
 * Checks a host app's statement that its user is signed in: an HS256 JWT from the configured
 * issuer (`iss`) for the configured audience (`aud`), whose `sub` is the member id and whose `uid`
 * is the channel user id it was issued to, with a required, near `exp`. A token copied into
 * another user's conversation, or signed with the same secret for another service, vouches for
 * nobody. Returns the member id and the token's expiry, or null for anything else (no secret configured, a bad signature,
 * another algorithm, issuer, audience or user, expired, too long-lived).
 */
export function verifyMemberToken(
  token: unknown,
  userId: string | undefined,
  rules: MemberTokenRules,
  clock: Clock,
): VouchedMember | null {
  const { secret, issuer, audience } = rules;
  if (!secret || !issuer || !audience || !userId || typeof token !== 'string' || token.length > 4096) return null;
  const now = Math.floor(clock.now().getTime() / 1000);
  try {
    const payload = jwt.verify(token, keyOf(secret), {
      algorithms: ['HS256'],
      issuer,
      audience,
      clockTimestamp: now,
      clockTolerance: 5,
    });
    if (typeof payload !== 'object' || typeof payload.sub !== 'string' || typeof payload.exp !== 'number') return null;
    if (payload.exp - now > MAX_TOKEN_LIFETIME_SECONDS) return null;
    if (payload.uid !== userId) return null;
    return { memberId: payload.sub, expiresAt: new Date(payload.exp * 1000) };
  } catch {
    return null;
  }
}

/**
 * The channel user id a host token names (its `uid`), read without checking anything: a page that
 * opens with a host token takes this user id, and verifyMemberToken then checks the token for it.
 */
export function claimedUserId(token: unknown): string | null {
  if (typeof token !== 'string' || token.length > 4096) return null;
  const payload = jwt.decode(token);
  const uid = payload && typeof payload === 'object' ? (payload as { uid?: unknown }).uid : undefined;
  return typeof uid === 'string' && uid.length > 0 && uid.length <= 128 ? uid : null;
}
