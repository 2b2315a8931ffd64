import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../core/clock.js';

/** What a web chat token vouches for: one conversation, one user, until `exp` (seconds). */
export interface WebChatClaims {
  /** conversation id */
  c: string;
  /** user id */
  u: string;
  /** expiry, Unix seconds */
  exp: number;
  /** the conversation's token generation: each renewal makes the one before it stop (WebChatSessions) */
  g: number;
  /** the session's end, Unix seconds: set when the conversation starts, no renewal goes past it */
  e: number;
  /** the host app's member token the page was opened with, passed on to the bot each turn */
  h?: string;
}

export type TokenCheck =
  { ok: true; claims: WebChatClaims } | { ok: false; reason: 'missing' | 'malformed' | 'signature' | 'expired' };

const PURPOSE = 'webchat.v1.';

const b64 = (data: string | Buffer) => Buffer.from(data).toString('base64url');

/**
 * Stateless tokens for the bot's own web page: `<claims as base64url JSON>.<HMAC-SHA256>`. Any
 * instance holding the secret can check one, so no instance needs to remember a conversation.
 */
export class WebChatTokens {
  /**
   * `lifetimeSeconds`: how long one token is valid (WEBCHAT_TOKEN_MINUTES); `sessionSeconds`: how
   * long a conversation's tokens can be renewed from its start (WEBCHAT_SESSION_MINUTES).
   */
  constructor(
    private readonly secret: string,
    private readonly lifetimeSeconds: number,
    private readonly clock: Clock,
    private readonly sessionSeconds: number,
  ) {}

  /** The first token of a conversation: generation 0, its session starting now. */
  open(claims: Pick<WebChatClaims, 'c' | 'u' | 'h'>): { token: string; claims: WebChatClaims } {
    return this.issue({ ...claims, g: 0, e: this.nowSeconds() + this.sessionSeconds });
  }

  /** The token of `generation` for the same conversation, user, member and session end. */
  renew(claims: WebChatClaims, generation: number): { token: string; claims: WebChatClaims } {
    const { exp: _exp, ...rest } = claims;
    return this.issue({ ...rest, g: generation });
  }

  /** Valid for the configured lifetime from now, never past the session's end. */
  private issue(claims: Omit<WebChatClaims, 'exp'>): { token: string; claims: WebChatClaims } {
    const full: WebChatClaims = { ...claims, exp: Math.min(this.nowSeconds() + this.lifetimeSeconds, claims.e) };
    const body = b64(JSON.stringify(full));
    return { token: `${body}.${this.sign(body)}`, claims: full };
  }

  check(token: string | undefined): TokenCheck {
    if (!token) return { ok: false, reason: 'missing' };
    const parts = token.split('.');
    if (parts.length !== 2 || token.length > 8192) return { ok: false, reason: 'malformed' };
    const [body, signature] = parts;
    const expected = Buffer.from(this.sign(body));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given))
      return { ok: false, reason: 'signature' };
    let claims: WebChatClaims;
    try {
      claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as WebChatClaims;
    } catch {
      return { ok: false, reason: 'malformed' };
    }
    const numbers = [claims?.exp, claims?.g, claims?.e];
    if (typeof claims?.c !== 'string' || typeof claims.u !== 'string' || !numbers.every(Number.isInteger))
      return { ok: false, reason: 'malformed' };
    if (claims.exp <= this.nowSeconds()) return { ok: false, reason: 'expired' };
    return { ok: true, claims };
  }

  private sign(body: string): string {
    return createHmac('sha256', this.secret)
      .update(PURPOSE + body)
      .digest('base64url');
  }

  private nowSeconds(): number {
    return Math.floor(this.clock.now().getTime() / 1000);
  }
}
