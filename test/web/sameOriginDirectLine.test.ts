import {
  ConnectionStatus,
  SameOriginDirectLine,
  type ChatActivity,
  type Session,
} from '../../web/client/sameOriginDirectLine.js';

const session: Session = {
  conversationId: 'wc-1',
  userId: 'wu-1',
  token: 't1',
  expiresAt: '2026-11-24T02:30:00.000Z',
  expiresIn: 1800,
};

/** A fetch that answers from a table and records each request. */
function fakeFetch(answers: Record<string, () => { status: number; body: unknown }>) {
  const requests: { method: string; url: string; auth: string; body?: unknown }[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    const method = init.method ?? 'GET';
    requests.push({
      method,
      url,
      auth: String((init.headers as Record<string, string>).authorization),
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
    });
    const answer = answers[`${method} ${url}`]?.() ?? { status: 404, body: { error: 'no route' } };
    return { ok: answer.status < 300, status: answer.status, json: async () => answer.body } as Response;
  }) as unknown as typeof globalThis.fetch;
  return { fetch, requests };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));
const welcome: ChatActivity = { type: 'message', id: 'a1', text: 'Hi!' };

describe('the directLine object Web Chat is given', () => {
  it('connects when activity$ is first subscribed: Connecting, the history, then Online, and replays it to later subscribers', async () => {
    const { fetch, requests } = fakeFetch({
      'GET /webchat/api/conversations/wc-1/activities': () => ({ status: 200, body: { activities: [welcome] } }),
    });
    const line = new SameOriginDirectLine({ session, fetch });
    const statuses: number[] = [];
    line.connectionStatus$.subscribe({ next: (s) => statuses.push(s) });
    expect(statuses).toEqual([ConnectionStatus.Uninitialized]);

    const first: ChatActivity[] = [];
    line.activity$.subscribe({ next: (a) => first.push(a) });
    await settle();
    expect(statuses).toEqual([0, 1, 2]);
    expect(first).toEqual([welcome]);
    expect(requests).toEqual([
      { method: 'GET', url: '/webchat/api/conversations/wc-1/activities', auth: 'Bearer t1', body: undefined },
    ]);

    // Web Chat subscribes for activities only after it sees Online.
    const late: ChatActivity[] = [];
    const subscription = line.activity$.subscribe({ next: (a) => late.push(a) });
    expect(late).toEqual([welcome]);
    subscription.unsubscribe();
    expect(subscription.closed).toBe(true);
    expect(requests).toHaveLength(1);
  });

  it('posts a message, emits the echo and the replies on activity$, then the new id, and completes', async () => {
    const echo = {
      type: 'message',
      id: 'u1',
      text: 'help',
      channelData: { clientActivityID: 'c1', 'webchat:sequence-id': 1 },
    };
    const reply = {
      type: 'message',
      id: 'b1',
      text: 'I can show your membership…',
      channelData: { 'webchat:sequence-id': 2 },
    };
    const { fetch, requests } = fakeFetch({
      'GET /webchat/api/conversations/wc-1/activities': () => ({ status: 200, body: { activities: [] } }),
      'POST /webchat/api/conversations/wc-1/activities?after=0': () => ({
        status: 200,
        body: { id: 'u1', activities: [echo, reply] },
      }),
      'POST /webchat/api/conversations/wc-1/activities?after=2': () => ({
        status: 200,
        body: { id: 'u2', activities: [] },
      }),
    });
    const line = new SameOriginDirectLine({ session, fetch });
    const seen: ChatActivity[] = [];
    line.activity$.subscribe({ next: (a) => seen.push(a) });
    await settle();
    const events: string[] = [];
    const posting = line.postActivity({ type: 'message', text: 'help' });
    posting.subscribe({
      next: (id) => events.push(`id ${id}`),
      complete: () => events.push('complete'),
      error: () => events.push('error'),
    });
    await settle();
    await settle();
    expect(seen).toEqual([echo, reply]);
    expect(events).toEqual(['id u1', 'complete']);
    expect(requests[1]).toEqual({
      method: 'POST',
      url: '/webchat/api/conversations/wc-1/activities?after=0',
      auth: 'Bearer t1',
      body: { type: 'message', text: 'help' },
    });
    // The next message asks only for what came after the highest sequence number received.
    line.postActivity({ type: 'message', text: 'quit' }).subscribe({});
    await settle();
    expect(requests[2].url).toBe('/webchat/api/conversations/wc-1/activities?after=2');
  });

  it('does not show a notice the answer above it already showed, and asks for what came after it', async () => {
    const answer = {
      type: 'message',
      id: 'b1',
      text: 'Done. Reference number: CX-20261124-7K3Q',
      channelData: { 'webchat:sequence-id': 1 },
    };
    const notice = {
      type: 'message',
      id: 'b2',
      text: 'Cancellation confirmed … Reference: CX-20261124-7K3Q.',
      channelData: { 'webchat:sequence-id': 2, 'webchat:receipt-shown': 'CX-20261124-7K3Q' },
    };
    const other = {
      type: 'message',
      id: 'b3',
      text: 'Your membership has been renewed.',
      channelData: { 'webchat:sequence-id': 3 },
    };
    const { fetch, requests } = fakeFetch({
      'GET /webchat/api/conversations/wc-1/activities': () => ({
        status: 200,
        body: { activities: [answer, notice, other] },
      }),
    });
    const line = new SameOriginDirectLine({ session, fetch });
    const seen: ChatActivity[] = [];
    line.activity$.subscribe({ next: (a) => seen.push(a) });
    await settle();
    expect(seen).toEqual([answer, other]);
    const late: ChatActivity[] = [];
    line.activity$.subscribe({ next: (a) => late.push(a) });
    expect(late).toEqual([answer, other]);
    line.postActivity({ type: 'message', text: 'thanks' }).subscribe({});
    await settle();
    expect(requests[1].url).toBe('/webchat/api/conversations/wc-1/activities?after=3');
  });

  it('reports a refused token as ExpiredToken, fails the post and tells the page', async () => {
    const { fetch } = fakeFetch({
      'GET /webchat/api/conversations/wc-1/activities': () => ({ status: 200, body: { activities: [] } }),
      'POST /webchat/api/conversations/wc-1/activities?after=0': () => ({
        status: 401,
        body: { error: 'The chat token has expired; start a new chat.' },
      }),
    });
    let expired = 0;
    const line = new SameOriginDirectLine({ session, fetch, onExpired: () => expired++ });
    line.activity$.subscribe({});
    await settle();
    const errors: unknown[] = [];
    line.postActivity({ type: 'message', text: 'hi' }).subscribe({ error: (e) => errors.push(e) });
    await settle();
    await settle();
    expect(line.connectionStatus$.value).toBe(ConnectionStatus.ExpiredToken);
    expect(String(errors[0])).toBe('ChatRequestError: The chat token has expired; start a new chat.');
    expect(expired).toBe(1);
  });

  it('renews the token once half its life has passed, and uses the new one', async () => {
    let now = 1_000_000;
    const renewed = { ...session, token: 't2', expiresIn: 1800 };
    const { fetch, requests } = fakeFetch({
      'POST /webchat/api/conversations/wc-1/token': () => ({ status: 200, body: renewed }),
      'GET /webchat/api/conversations/wc-1/activities': () => ({ status: 200, body: { activities: [] } }),
    });
    const kept: Session[] = [];
    const line = new SameOriginDirectLine({ session, fetch, now: () => now, onSession: (s) => kept.push(s) });
    now += 899_000;
    await line.keepAlive();
    expect(requests).toEqual([]);
    now += 2_000;
    await line.keepAlive();
    expect(requests.map((r) => `${r.method} ${r.url} ${r.auth}`)).toEqual([
      'POST /webchat/api/conversations/wc-1/token Bearer t1',
    ]);
    expect(kept).toEqual([{ ...renewed, receivedAt: now }]);
    line.activity$.subscribe({});
    await settle();
    expect(requests.at(-1)?.auth).toBe('Bearer t2');
  });

  it('stops when Web Chat ends it', () => {
    const { fetch } = fakeFetch({});
    const line = new SameOriginDirectLine({ session, fetch });
    line.end();
    expect(line.connectionStatus$.value).toBe(ConnectionStatus.Ended);
  });
});
