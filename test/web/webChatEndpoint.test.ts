import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { MemoryStorage } from 'botbuilder';
import { signHostToken } from '../support/hostToken.js';
import { createJsonApp, type JsonApp } from '../support/jsonApp.js';
import { ManualClock } from '../../src/core/clock.js';
import { seededRandom } from '../../src/core/random.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { testConfig } from '../support/testConfig.js';

const MEMBER_TOKEN_SECRET = 'm'.repeat(32);
const WEBCHAT_TOKEN_SECRET = 'w'.repeat(32);

interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

async function call(
  base: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown } = {},
): Promise<Answer> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

interface Session {
  conversationId: string;
  userId: string;
  token: string;
  expiresIn: number;
}

describe('the web chat endpoint', () => {
  let clock: ManualClock;
  let memory: Record<string, string>;
  let app: JsonApp;
  let running: RunningServer;
  let config: ReturnType<typeof testConfig>;

  const start = async (body: unknown = {}): Promise<Session> => {
    const answer = await call(running.url, 'POST', '/webchat/api/conversations', { body });
    expect(answer.status).toBe(201);
    return answer.body as Session;
  };
  const say = (s: Session, text: string, token = s.token) =>
    call(running.url, 'POST', `/webchat/api/conversations/${s.conversationId}/activities`, {
      token,
      body: { type: 'message', text, locale: 'en-US', channelData: { clientActivityID: `c-${text.length}` } },
    });
  const history = async (s: Session, locale = 'en-US') =>
    (
      await call(running.url, 'GET', `/webchat/api/conversations/${s.conversationId}/activities?locale=${locale}`, {
        token: s.token,
      })
    ).body.activities as any[];
  const texts = (answer: Answer) => (answer.body.activities as any[]).map((a) => a.text as string);
  const hostToken = (sub: string, secret = MEMBER_TOKEN_SECRET) =>
    signHostToken(secret, sub, `app-user-${sub}`, Math.floor(clock.now().getTime() / 1000) + 600);

  beforeEach(async () => {
    clock = new ManualClock('2026-11-24T02:00:00.000Z');
    memory = {};
    config = testConfig({ MEMBER_TOKEN_SECRET, WEBCHAT_TOKEN_SECRET, RATE_LIMIT_REQUESTS_PER_MINUTE_PER_IP: '40' });
    app = await createJsonApp(config, { clock, random: seededRandom(7), stateStorage: new MemoryStorage(memory) });
    running = await startServer(app, 0, '127.0.0.1');
  });

  afterEach(async () => {
    await running.shutdown();
  });

  it('starts a conversation with the welcome and quick replies, in the language the page asks for', async () => {
    const s = await start({});
    expect(s).toEqual({
      conversationId: expect.stringMatching(/^wc-[0-9a-f]{24}$/),
      userId: expect.stringMatching(/^wu-/),
      token: expect.any(String),
      expiresAt: '2026-11-24T02:30:00.000Z',
      expiresIn: 1800,
    });
    const [welcome] = await history(s, 'zh-CN');
    expect(welcome).toMatchObject({
      type: 'message',
      text: expect.stringContaining('您好'),
      from: { role: 'bot' },
      channelData: { 'webchat:sequence-id': 1 },
      textFormat: 'plain',
    });
    expect(welcome.suggestedActions.actions.map((a: any) => a.title)).toEqual(['查询我的会员', '取消会员', '帮助']);
  });

  it('runs a whole journey: the typed code is kept masked, and the receipt is in the store', async () => {
    const s = await start();
    expect(texts(await say(s, 'I want to cancel my membership')).at(-1)).toMatch(/phone number or email/);
    await say(s, '+86 138 1234 5678');
    await app.dispatcher.deliverDue();
    const sms = readFileSync(config.NOTIFY_OUTBOX_FILE, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .find((m) => m.template === 'otp');
    const code = /\d{6}/.exec(sms.text)![0];
    const verified = await say(s, code);
    expect(verified.status).toBe(200);
    expect(verified.body.activities[0]).toMatchObject({
      id: verified.body.id,
      text: '******',
      from: { role: 'user' },
      channelData: { clientActivityID: 'c-6' },
    });
    const choice = verified.body.activities.at(-1).suggestedActions.actions[0].title as string;
    const done = await say(s, choice);
    expect(done.body.activities[0].text).toBe(choice); // a quick reply is the bot's own words: echoed as offered
    expect(texts(done).join('\n')).toMatch(/Reference number: CX-20261124-[0-9A-Z]{4}/);
    expect(app.store.data.memberships.find((m) => m.id === 'ms-2001')?.status).toBe('pending_cancel');

    const kept = JSON.stringify(await history(s));
    expect(kept).not.toContain(code);
    expect(kept).not.toContain('1234 5678');
    expect(kept).toContain('+86 138****5678');
    const kept2 = await history(s);
    expect(kept2.map((a) => a.channelData['webchat:sequence-id'])).toEqual(kept2.map((_a, i) => i + 1));
  });

  it('verifies a member the host app vouches for: two turns to the receipt, no code', async () => {
    const s = await start({ memberToken: hostToken('m-1006') });
    const warning = await say(s, 'I want to cancel my membership');
    expect(texts(warning).join('\n')).toMatch(/At period end/);
    const choice = warning.body.activities.at(-1).suggestedActions.actions[0].title as string;
    expect(texts(await say(s, choice)).join('\n')).toMatch(/Reference number: CX-/);
    expect(app.store.data.memberships.find((m) => m.id === 'ms-2007')?.status).toBe('pending_cancel');
    expect(app.store.data.outbox.filter((m) => m.template === 'otp')).toEqual([]);
    expect(JSON.stringify(await history(s))).not.toContain('memberToken');
  });

  it('shows the receipt of a cancellation made on the page once: its notice is posted and kept, marked as shown', async () => {
    const s = await start({ memberToken: hostToken('m-1007') });
    const warning = await say(s, 'I want to cancel my membership');
    const choice = warning.body.activities.at(-1).suggestedActions.actions[0].title as string;
    const answer = texts(await say(s, choice)).join('\n');
    const reference = /CX-\d{8}-[0-9A-Z]{4}/.exec(answer)![0];
    await app.dispatcher.deliverDue();
    const receipt = app.store.data.outbox.find((m) => m.memberId === 'm-1007' && m.template !== 'otp')!;
    expect(receipt).toMatchObject({ channel: 'in-app', status: 'sent' });
    const naming = (await history(s)).filter((a) => a.text?.includes(reference));
    // Posted into the conversation after the answer, and marked: the page shows the answer only.
    expect(naming.map((a) => [a.text === receipt.text, a.channelData['webchat:receipt-shown']])).toEqual([
      [false, undefined],
      [true, reference],
    ]);
  });

  it('delivers an in-app notification for a member whose last conversation was on the page into that conversation', async () => {
    const s = await start({ memberToken: hostToken('m-1007') });
    expect(texts(await say(s, 'Show my membership')).join('\n')).toMatch(/Here is your membership/);
    // Cancelled elsewhere (by support, say): the receipt goes to the member's last conversation, this page.
    await app.services.memberships.cancel({
      memberId: 'm-1007',
      membershipId: 'ms-2008',
      option: 'period_end',
      requestId: 'r-support',
    });
    await app.dispatcher.deliverDue();
    const receipt = app.store.data.outbox.find((m) => m.memberId === 'm-1007' && m.template !== 'otp');
    expect(receipt).toMatchObject({ channel: 'in-app', status: 'sent' });
    const delivered = (await history(s)).filter((a) => /^Cancellation confirmed: /.test(a.text));
    expect(delivered).toEqual([
      expect.objectContaining({ from: expect.objectContaining({ role: 'bot' }), text: receipt!.text }),
    ]);
    // Nothing on the page showed this receipt before: it is shown.
    expect(delivered[0].channelData['webchat:receipt-shown']).toBeUndefined();
    // A page that has seen up to the receipt gets the notification with the answer to its next message, after its own message.
    const seenUpTo = delivered[0].channelData['webchat:sequence-id'] - 1;
    const next = await call(
      running.url,
      'POST',
      `/webchat/api/conversations/${s.conversationId}/activities?after=${seenUpTo}`,
      { token: s.token, body: { type: 'message', text: 'thanks' } },
    );
    expect(next.body.activities.map((a: any) => a.text)[0]).toBe(receipt!.text);
    expect(next.body.activities.map((a: any) => a.channelData['webchat:sequence-id'])).toEqual(
      next.body.activities.map((_a: unknown, i: number) => seenUpTo + 1 + i),
    );
  });

  it('refuses a forged or unknown member token before anything runs', async () => {
    for (const memberToken of [hostToken('m-1001', 'x'.repeat(32)), hostToken('m-9999'), 42]) {
      const answer = await call(running.url, 'POST', '/webchat/api/conversations', { body: { memberToken } });
      expect(answer.status).toBe(401);
      expect(answer.body.error).toMatch(/member token is not valid/);
    }
    expect(Object.keys(memory)).toEqual([]);
  });

  it("refuses a message without a token, with a forged one, with another conversation's, or an expired one, and processes nothing", async () => {
    const mine = await start();
    const other = await start();
    const before = JSON.stringify(memory);
    const forged = `${Buffer.from(JSON.stringify({ c: mine.conversationId, u: mine.userId, exp: 9_999_999_999 })).toString('base64url')}.${mine.token.split('.')[1]}`;

    const noToken = await say(mine, 'I want to cancel', '');
    expect(noToken.status).toBe(401);
    expect(noToken.headers.get('www-authenticate')).toBe('Bearer');
    expect((await say(mine, 'I want to cancel', forged)).status).toBe(401);
    const crossed = await say(mine, 'I want to cancel', other.token);
    expect(crossed).toMatchObject({ status: 403, body: { error: 'This token belongs to another conversation.' } });
    expect(
      (
        await call(running.url, 'GET', `/webchat/api/conversations/${mine.conversationId}/activities`, {
          token: other.token,
        })
      ).status,
    ).toBe(403);

    clock.advance(30 * 60_000);
    const expired = await say(mine, 'I want to cancel');
    expect(expired).toMatchObject({ status: 401, body: { error: 'The chat token has expired; start a new chat.' } });
    expect(
      (
        await call(running.url, 'POST', `/webchat/api/conversations/${mine.conversationId}/token`, {
          token: mine.token,
        })
      ).status,
    ).toBe(401);
    expect(JSON.stringify(memory)).toBe(before);
  });

  it('renews a token for the same conversation, so a page left open keeps going', async () => {
    const s = await start();
    clock.advance(20 * 60_000);
    const renewed = (
      await call(running.url, 'POST', `/webchat/api/conversations/${s.conversationId}/token`, { token: s.token })
    ).body as Session;
    expect(renewed).toMatchObject({
      conversationId: s.conversationId,
      userId: s.userId,
      expiresAt: '2026-11-24T02:50:00.000Z',
    });
    clock.advance(15 * 60_000);
    expect((await say(s, 'help')).status).toBe(401);
    expect((await say({ ...s, token: renewed.token }, 'help')).status).toBe(200);
  });

  it('answers bad requests with a clear error and runs no turn', async () => {
    const s = await start();
    const before = JSON.stringify(memory);
    const post = (body: unknown) =>
      call(running.url, 'POST', `/webchat/api/conversations/${s.conversationId}/activities`, { token: s.token, body });
    expect(await post({ type: 'event', name: 'x' })).toMatchObject({
      status: 400,
      body: { error: 'Only messages can be sent to this conversation.' },
    });
    expect(await post({ type: 'message', text: 'x', attachments: [{ contentType: 'image/png' }] })).toMatchObject({
      status: 400,
      body: { error: 'Files cannot be sent in this chat.' },
    });
    expect(await post([1])).toMatchObject({ status: 400 });
    const notJson = await fetch(`${running.url}/webchat/api/conversations/${s.conversationId}/activities`, {
      method: 'POST',
      headers: { authorization: `Bearer ${s.token}`, 'content-type': 'application/json' },
      body: '{',
    });
    expect(notJson.status).toBe(400);
    expect(JSON.stringify(memory)).toBe(before);
  });

  it('limits requests per client address as /api/messages does', async () => {
    const s = await start();
    const statuses: number[] = [];
    for (let i = 0; i < 41; i++)
      statuses.push(
        (
          await call(running.url, 'GET', `/webchat/api/conversations/${s.conversationId}/activities`, {
            token: s.token,
          })
        ).status,
      );
    expect(statuses.slice(0, 39).every((x) => x === 200)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    const before = JSON.stringify(memory);
    expect((await say(s, 'I want to cancel')).status).toBe(429);
    expect(JSON.stringify(memory)).toBe(before);
  });

  it('serves the page at / and /chat with its words in both languages, no outside address and a strict policy', async () => {
    for (const path of ['/', '/chat']) {
      const res = await fetch(`${running.url}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
      const html = await res.text();
      expect(html).toContain('<html lang="zh-CN">');
      expect(html).toContain('会员助手');
      expect(html).toContain('Membership assistant');
      expect(html.match(/(?:src|href)="([^"]+)"/g)).toEqual([
        'href="data:,"',
        expect.stringMatching(/^href="\/webchat\/chat\.[0-9a-f]{16}\.css"$/),
        expect.stringMatching(/^src="\/webchat\/chat\.[0-9a-f]{16}\.js"$/),
      ]);
    }
  });

  it("hands a host app's member token from a POST to the page without putting it in a URL", async () => {
    const token = hostToken('m-1006');
    const res = await fetch(`${running.url}/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `memberToken=${token}`,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.text()).toContain(`"memberToken":"${token}"`);

    const hostile = await fetch(`${running.url}/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `memberToken=${encodeURIComponent('</script><script>alert(1)</script>')}`,
    });
    const html = await hostile.text();
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('\\u003c/script\\u003e\\u003cscript\\u003ealert(1)');
  });

  /** The script's path as the page names it. */
  const scriptPath = async () => /src="([^"]+)"/.exec(await (await fetch(`${running.url}/`)).text())![1];

  it('serves the built script under its content hash, compressed, cached for good, and 304 when unchanged', async () => {
    const path = await scriptPath();
    const br = await fetch(`${running.url}${path}`, { headers: { 'accept-encoding': 'br, gzip' } });
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('content-type')).toBe('application/javascript; charset=utf-8');
    expect(br.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const built = readFileSync('dist/web/chat.js');
    expect(path).toBe(`/webchat/chat.${createHash('sha256').update(built).digest('hex').slice(0, 16)}.js`);
    expect((await br.text()).length).toBe(built.toString('utf8').length);
    const again = await fetch(`${running.url}${path}`, { headers: { 'if-none-match': br.headers.get('etag')! } });
    expect(again.status).toBe(304);
    expect((await fetch(`${running.url}/webchat/chat.js`)).status).toBe(404);
    expect((await fetch(`${running.url}/webchat/secret.txt`)).status).toBe(404);
  });

  it("counts the page and its assets in the address's limit, with the chat's requests", async () => {
    const path = await scriptPath(); // 1 of the 40
    const statuses: number[] = [];
    for (let i = 0; i < 39; i++)
      statuses.push((await fetch(`${running.url}${path}`, { headers: { 'accept-encoding': 'identity' } })).status);
    expect(statuses.every((x) => x === 200)).toBe(true);
    const refused = await fetch(`${running.url}${path}`, { headers: { 'accept-encoding': 'identity' } });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('content-length'))).toBeLessThan(100);
    expect((await fetch(`${running.url}/`)).status).toBe(429);
    expect((await call(running.url, 'POST', '/webchat/api/conversations', { body: {} })).status).toBe(429);
    clock.advance(60_000);
    expect((await fetch(`${running.url}${path}`)).status).toBe(200);
  });
});

describe('two instances without affinity', () => {
  it("continue each other's conversations: the token is checked by either, the history is in the shared storage", async () => {
    const memory: Record<string, string> = {};
    const make = async (seed: number) => {
      const config = testConfig({ WEBCHAT_TOKEN_SECRET });
      return startServer(
        await createJsonApp(config, {
          db: 'memory',
          random: seededRandom(seed),
          stateStorage: new MemoryStorage(memory),
        }),
        0,
        '127.0.0.1',
      );
    };
    const [a, b] = [await make(1), await make(2)];
    try {
      const s = (await call(a.url, 'POST', '/webchat/api/conversations', { body: {} })).body as Session;
      const onB = await call(b.url, 'POST', `/webchat/api/conversations/${s.conversationId}/activities`, {
        token: s.token,
        body: { type: 'message', text: 'I want to cancel my membership', locale: 'en-US' },
      });
      expect(onB.body.activities.at(-1).text).toMatch(/phone number or email/);
      const onA = (
        await call(a.url, 'GET', `/webchat/api/conversations/${s.conversationId}/activities`, { token: s.token })
      ).body.activities as any[];
      expect(onA.map((x) => x.text)).toEqual([
        expect.stringMatching(/^Hi!/),
        'I want to cancel my membership',
        expect.stringMatching(/phone number or email/),
      ]);
    } finally {
      await a.shutdown();
      await b.shutdown();
    }
  });
});
