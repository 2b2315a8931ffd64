import type { Activity } from 'botbuilder';

let counter = 0;

/** A user's message as a channel would POST it, asking for the replies in the response body. */
export function userMessage(conversationId: string, text: string, extra: Partial<Activity> = {}): Partial<Activity> {
  counter += 1;
  return {
    type: 'message',
    id: `act-${counter}`,
    text,
    channelId: 'emulator',
    serviceUrl: 'http://127.0.0.1:1',
    from: { id: `user-${conversationId}`, name: 'User', role: 'user' },
    recipient: { id: 'bot', name: 'Bot', role: 'bot' },
    conversation: { id: conversationId } as Activity['conversation'],
    deliveryMode: 'expectReplies',
    ...extra,
  };
}

/** The server's answer: an expectReplies body, an invoke's body or an error. */
type AnswerBody = { activities?: Partial<Activity>[] } & Record<string, unknown>;

export async function post(baseUrl: string, activity: unknown): Promise<{ status: number; body: AnswerBody }> {
  const res = await fetch(`${baseUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as AnswerBody) : {} };
}
