import { createHmac, timingSafeEqual } from 'node:crypto';

/** The query parameter of the chat page that opens it at a membership's cancellation. */
export const CANCEL_LINK_PARAM = 'cancel';

/**
 * Links in renewal notices that open the chat page at the cancellation of one membership. The
 * parameter names the membership and when the link stops working, signed, and nothing else: no
 * name, number or address in the URL, and it proves nothing about who opens it (the member still
 * verifies as always; a membership not theirs is never offered).
 */
export class CancelLinks {
  private readonly key: Buffer;

  constructor(
    secret: string,
    private readonly pageUrl: string,
  ) {
    // A key of its own, so a link's signature can never pass for a chat token's, or the reverse.
    this.key = createHmac('sha256', secret).update('cancel-link').digest();
  }

  /** The chat page's address with the signed parameter for `membershipId`, valid until `until`. */
  link(membershipId: string, until: string): string {
    const url = new URL(this.pageUrl);
    url.searchParams.set(CANCEL_LINK_PARAM, this.sign(membershipId, Math.floor(Date.parse(until) / 1000)));
    return url.toString();
  }

  /** The membership a parameter names, or null when it is forged, malformed or past its time. */
  read(token: unknown, now: Date): string | null {
    if (typeof token !== 'string' || token.length > 300) return null;
    const m = /^([A-Za-z0-9_-]+)\.(\d{1,12})\.([A-Za-z0-9_-]{22})$/.exec(token);
    if (!m) return null;
    const expected = Buffer.from(this.mac(`${m[1]}.${m[2]}`));
    const given = Buffer.from(m[3]);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    if (Number(m[2]) * 1000 <= now.getTime()) return null;
    return Buffer.from(m[1], 'base64url').toString('utf8');
  }

  private sign(membershipId: string, expSeconds: number): string {
    const body = `${Buffer.from(membershipId, 'utf8').toString('base64url')}.${expSeconds}`;
    return `${body}.${this.mac(body)}`;
  }

  /** 128 bits of the HMAC: enough against forgery for a link that lives weeks. */
  private mac(body: string): string {
    return createHmac('sha256', this.key).update(body).digest().subarray(0, 16).toString('base64url');
  }
}
