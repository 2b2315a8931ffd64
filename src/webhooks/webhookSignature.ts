import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header carrying the time of sending and one signature per secret in use. */
export const WEBHOOK_SIGNATURE_HEADER = 'webhook-signature';
/** How old a signed request a receiver should accept, in seconds: five minutes, as Stripe and Svix do. */
export const REPLAY_WINDOW_SECONDS = 300;

const sign = (secret: string, seconds: number, body: string) =>
  createHmac('sha256', secret).update(`${seconds}.${body}`).digest('hex');

/**
 * `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">` with one `v1` per secret: while a secret is
 * rotated both are in use, and a receiver holding either accepts the request.
 */
export function signatureHeader(body: string, secrets: readonly string[], at: Date): string {
  const seconds = Math.floor(at.getTime() / 1000);
  return [`t=${seconds}`, ...secrets.map((s) => `v1=${sign(s, seconds, body)}`)].join(',');
}

export type Verdict = 'valid' | 'malformed' | 'bad_signature' | 'outside_window';

/**
 * A receiver's check: one of the signatures matches one of `secrets` over the exact body, and the
 * time signed is within `windowSeconds` of `now` (a captured request replayed later is refused).
 */
export function verifySignature(
  body: string,
  header: string,
  secrets: readonly string[],
  now: Date,
  windowSeconds = REPLAY_WINDOW_SECONDS,
): Verdict {
  const parts = header.split(',').map((p) => p.trim().split('='));
  const t = Number(parts.find(([k]) => k === 't')?.[1]);
  const given = parts.filter(([k, v]) => k === 'v1' && /^[0-9a-f]{64}$/.test(v ?? '')).map(([, v]) => v);
  if (!Number.isInteger(t) || given.length === 0) return 'malformed';
  const matches = secrets.some((secret) => {
    const expected = Buffer.from(sign(secret, t, body), 'hex');
    return given.some((g) => timingSafeEqual(Buffer.from(g, 'hex'), expected));
  });
  if (!matches) return 'bad_signature';
  return Math.abs(now.getTime() / 1000 - t) <= windowSeconds ? 'valid' : 'outside_window';
}
