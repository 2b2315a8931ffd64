import jwt from 'jsonwebtoken';
import type { Db } from '../src/model/schema.js';

/** The host app's token settings the bench servers trust (a member arrives signed in). */
export const SECRET = 'benchmark-host-token-secret-0000000000';
export const TOKEN_ISSUER = 'https://host-app.bench';
export const TOKEN_AUDIENCE = 'membership-assistant-bench';

export function activity(conversationId: string, text: string, extra: Record<string, unknown> = {}) {
  return {
    type: 'message',
    text,
    channelId: 'emulator',
    serviceUrl: 'http://127.0.0.1:1',
    deliveryMode: 'expectReplies',
    from: { id: `u-${conversationId}`, role: 'user' },
    recipient: { id: 'bot', role: 'bot' },
    conversation: { id: conversationId },
    locale: 'en-US',
    ...extra,
  };
}

/** Members with exactly one active membership: a journey with a host token goes straight to that one. */
export function eligibleMembers(data: Db): string[] {
  const active = new Map<string, number>();
  for (const ms of data.memberships)
    if (ms.status === 'active') active.set(ms.memberId, (active.get(ms.memberId) ?? 0) + 1);
  return data.members.filter((m) => active.get(m.id) === 1).map((m) => m.id);
}

/**
 * One whole journey: the intent with a host token, "at period end", skip the reason; one cancellation.
 * `send` may answer each turn from a different instance.
 */
export async function wholeJourney(
  send: (body: unknown) => Promise<{ status: number }>,
  memberId: string,
  conv: string,
): Promise<{ status: number }> {
  const token = jwt.sign(
    {
      sub: memberId,
      uid: `u-${conv}`,
      iss: TOKEN_ISSUER,
      aud: TOKEN_AUDIENCE,
      exp: Math.floor(Date.now() / 1000) + 600,
    },
    SECRET,
    { algorithm: 'HS256' },
  );
  for (const [text, extra] of [
    ['I want to cancel', { channelData: { memberToken: token } }],
    ['at period end', {}],
    ['Skip', {}],
  ] as const) {
    const { status } = await send(activity(conv, text, extra));
    if (status !== 200) return { status };
  }
  return { status: 200 };
}
