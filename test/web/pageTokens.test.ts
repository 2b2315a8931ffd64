import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { MemoryStorage } from 'botbuilder';
import { ManualClock } from '../../src/core/clock.js';
import { seededRandom } from '../../src/core/random.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { signHostToken } from '../support/hostToken.js';
import { userMessage } from '../support/http.js';
import { createJsonApp, type JsonApp } from '../support/jsonApp.js';
import { testConfig } from '../support/testConfig.js';

const MEMBER_TOKEN_SECRET = 'm'.repeat(32);
const WEBCHAT_TOKEN_SECRET = 'w'.repeat(32);

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  body: any;
}

interface Session {
  conversationId: string;
  userId: string;
  token: string;
  expiresAt: string;
}

/** A request from a chosen loopback address (Linux answers all of 127.0.0.0/8) with chosen headers. */
function send(
  url: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; form?: string; from?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const payload = options.form ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}${path}`,
      {
        method,
        localAddress: options.from ?? '127.0.0.1',
        headers: {
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          ...(payload === undefined
            ? {}
            : {
                'content-type': options.form ? 'application/x-www-form-urlencoded' : 'application/json',
                'content-length': Buffer.byteLength(payload),
              }),
          ...options.headers,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          const json = /json/.test(res.headers['content-type'] ?? '');
          resolve({ status: res.statusCode!, headers: res.headers, text, body: json ? JSON.parse(text) : undefined });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** What the page shows of the bot's replies, cards included. */
const shown = (answer: Answer) => JSON.stringify(answer.body?.activities ?? []);
const botTexts = (answer: Answer) =>
  ((answer.body?.activities ?? []) as any[]).filter((a) => a.from?.role === 'bot').map((a) => a.text as string);

describe('the page, its tokens and where its requests come from', () => {
  let clock: ManualClock;
  let memory: Record<string, string>;
  let app: JsonApp;
  let running: RunningServer;

  async function open(settings: Record<string, string> = {}) {
    const config = testConfig({
      MEMBER_TOKEN_SECRET,
      WEBCHAT_TOKEN_SECRET,
      RATE_LIMIT_TURNS_PER_MINUTE: '0',
      RATE_LIMIT_REQUESTS_PER_MINUTE_PER_IP: '0',
      ...settings,
    });
    app = await createJsonApp(config, { clock, random: seededRandom(7), stateStorage: new MemoryStorage(memory) });
    running = await startServer(app, 0, '127.0.0.1');
  }

  beforeEach(() => {
    clock = new ManualClock('2026-11-24T02:00:00.000Z');
    memory = {};
  });
  afterEach(() => running.shutdown());

  const stored = (key: string) => (memory[key] === undefined ? undefined : JSON.parse(memory[key]));
  const start = async (body: unknown = { locale: 'en-US' }, from?: string) =>
    (await send(running.url, 'POST', '/webchat/api/conversations', { body, from })).body as Session;
  const say = (s: Session, text: string, token = s.token, headers: Record<string, string> = {}) =>
    send(running.url, 'POST', `/webchat/api/conversations/${s.conversationId}/activities`, {
      token,
      body: { type: 'message', text, locale: 'en-US' },
      headers,
    });
  const renew = (s: Session, token = s.token) =>
    send(running.url, 'POST', `/webchat/api/conversations/${s.conversationId}/token`, { token });
  const hostToken = (sub: string, seconds = 600) =>
    signHostToken(MEMBER_TOKEN_SECRET, sub, `app-user-${sub}`, Math.floor(clock.now().getTime() / 1000) + seconds);
  const REPLACED = {
    status: 401,
    body: { error: 'This chat token was replaced by a newer one; use the newest, or start a new chat.' },
  };

  describe('page tokens', () => {
    it('a renewal retires the token it replaced a minute later, on every instance, and only the newest renews', async () => {
      await open();
      const s = await start();
      clock.advance(20 * 60_000);
      const renewed = (await renew(s)).body as Session;
      expect(stored(`webchat/token-generation/${s.conversationId}`)).toMatchObject({
        generation: 1,
        previousUntil: '2026-11-24T02:21:00.000Z',
      });
      // A message the page sent just before it renewed still lands; the old token cannot renew.
      expect((await say(s, 'help')).status).toBe(200);
      expect(await renew(s)).toMatchObject(REPLACED);
      clock.advance(60_000);
      expect(await say(s, 'help')).toMatchObject(REPLACED);
      expect((await say(s, 'help', renewed.token)).status).toBe(200);

      // Another instance over the same state storage knows it too.
      const other = await createJsonApp(testConfig({ WEBCHAT_TOKEN_SECRET }), {
        db: 'memory',
        clock,
        random: seededRandom(8),
        stateStorage: new MemoryStorage(memory),
      });
      expect(await other.webChat.authorize(`Bearer ${s.token}`, s.conversationId)).toEqual({
        ok: false,
        status: 401,
        error: REPLACED.body.error,
      });
      expect((await other.webChat.authorize(`Bearer ${renewed.token}`, s.conversationId)).ok).toBe(true);
      await other.close();
    });

    it('end with the session (WEBCHAT_SESSION_MINUTES) however often they are renewed', async () => {
      await open({ WEBCHAT_SESSION_MINUTES: '60' });
      let s = await start();
      const ends: string[] = [];
      for (const minutes of [20, 25]) {
        clock.advance(minutes * 60_000);
        s = { ...s, ...((await renew(s)).body as Session) };
        ends.push(s.expiresAt);
      }
      expect(ends).toEqual(['2026-11-24T02:50:00.000Z', '2026-11-24T03:00:00.000Z']);
      clock.advance(15 * 60_000);
      expect(await say(s, 'help')).toMatchObject({
        status: 401,
        body: { error: 'The chat token has expired; start a new chat.' },
      });
      expect((await renew(s)).status).toBe(401);
    });
  });

  describe('host tokens', () => {
    it('one opens one conversation: a copy of it is refused and its hash is kept until it expires', async () => {
      await open();
      const token = hostToken('m-1006');
      const first = await start({ locale: 'en-US', memberToken: token });
      const again = await send(running.url, 'POST', '/webchat/api/conversations', {
        body: { locale: 'en-US', memberToken: token },
      });
      expect(again).toMatchObject({
        status: 401,
        body: { error: 'The member token has already opened a chat; open the chat again from the app.' },
      });
      const hash = createHash('sha256').update(token).digest('hex');
      expect(stored(`webchat/host-token/${hash}`)).toMatchObject({ expiresAt: '2026-11-24T02:10:00.000Z' });
      // The refused copy opened nothing: no conversation is stored for it (nor, before a message, for the first).
      expect(Object.keys(memory).filter((k) => k.startsWith('webchat/history/'))).toEqual([]);
      expect(JSON.stringify(memory)).not.toContain(token);
      // The conversation it opened goes on.
      expect(shown(await say(first, 'check my membership'))).toContain('Fitness Pro');
    });

    it('what one vouched for ends at its expiry, though the page goes on', async () => {
      await open();
      const s = await start({ locale: 'en-US', memberToken: hostToken('m-1006', 300) });
      const verification = () => stored(`webchat/conversations/${s.conversationId}/`)?.conversationData?.verification;
      expect(shown(await say(s, 'check my membership'))).toContain('Fitness Pro');
      expect(verification()).toMatchObject({ memberId: 'm-1006', via: 'token', until: '2026-11-24T02:05:00.000Z' });

      clock.advance(5 * 60_000 + 6_000);
      const late = await say(s, 'export my data');
      expect(late.status).toBe(200);
      expect(botTexts(late).join('\n')).toMatch(/phone number or email/);
      expect(botTexts(late).join('\n')).not.toContain('Emily');
      expect(verification()).toBeUndefined();
    });
  });

  describe('cross-site requests', () => {
    it('are refused on POST /chat with a clear message in every language, and the token is not taken', async () => {
      await open({ WEBCHAT_ALLOWED_ORIGINS: 'https://app.example.com' });
      const form = `memberToken=${hostToken('m-1006')}`;
      const post = (headers: Record<string, string>) => send(running.url, 'POST', '/chat', { form, headers });
      for (const headers of [
        { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } as Record<string, string>,
        { origin: 'null' },
        { 'sec-fetch-site': 'cross-site' },
        { 'sec-fetch-site': 'same-site' },
      ]) {
        const refused = await post(headers);
        expect(refused.status).toBe(403);
        expect(refused.headers['content-type']).toBe('text/plain; charset=utf-8');
        expect(refused.text).toBe(
          '此聊天只能从应用或聊天页面本身打开，请从应用中重新打开。\nThis chat can only be opened from the app or from its own page. Please open it again from the app.\n此聊天只能從應用或聊天頁面本身開啟，請從應用中重新開啟。',
        );
      }
      const own = new URL(running.url).origin;
      for (const headers of [
        { origin: own, 'sec-fetch-site': 'same-origin' } as Record<string, string>,
        { origin: 'https://app.example.com', 'sec-fetch-site': 'cross-site' },
        { 'sec-fetch-site': 'none' },
        {},
      ]) {
        const page = await post(headers);
        expect(page.status).toBe(200);
        expect(page.text).toContain('"memberToken":');
      }
    });

    it('are refused by the page API before anything runs or is stored', async () => {
      await open();
      const s = await start();
      const before = JSON.stringify(memory);
      const evil = { origin: 'https://evil.example' };
      const started = await send(running.url, 'POST', '/webchat/api/conversations', {
        body: { locale: 'en-US' },
        headers: evil,
      });
      expect(started).toMatchObject({
        status: 403,
        body: {
          error:
            "This chat accepts requests from its own page only, and this one came from another site (https://evil.example); a host app's origin must be in WEBCHAT_ALLOWED_ORIGINS.",
        },
      });
      expect((await say(s, 'I want to cancel', s.token, evil)).status).toBe(403);
      expect((await say(s, 'I want to cancel', s.token, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
      expect(JSON.stringify(memory)).toBe(before);
      const own = { origin: new URL(running.url).origin, 'sec-fetch-site': 'same-origin' };
      expect((await say(s, 'I want to cancel', s.token, own)).status).toBe(200);
    });
  });

  describe('behind trusted proxies (TRUSTED_PROXIES)', () => {
    let conversations = 0;
    const LIMITED = { TRUSTED_PROXIES: '127.0.0.2', RATE_LIMIT_REQUESTS_PER_MINUTE_PER_IP: '2' };
    const statuses = async (path: string, from: string, forwardedFor: string[], body: () => unknown) => {
      const seen: number[] = [];
      for (const xff of forwardedFor)
        seen.push(
          (await send(running.url, 'POST', path, { from, body: body(), headers: { 'x-forwarded-for': xff } })).status,
        );
      return seen;
    };

    it.each([
      ['the page', '/webchat/api/conversations', () => ({ locale: 'en-US' })],
      ['/api/messages', '/api/messages', () => userMessage(`c-${++conversations}`, 'hello')],
    ])('%s counts each client behind the proxy, never what a client wrote into the header', async (_n, path, body) => {
      await open(LIMITED);
      // Through the proxy: the right-most address it did not add is the client, whatever is left of it.
      expect(
        await statuses(path, '127.0.0.2', ['1.1.1.1, 198.51.100.7', '2.2.2.2, 198.51.100.7', '198.51.100.7'], body),
      ).toEqual([expect.any(Number), expect.any(Number), 429]);
      expect(await statuses(path, '127.0.0.2', ['198.51.100.8, 127.0.0.2'], body)).not.toContain(429);
      // Straight from a client that is no proxy: the header is its own words and counts for nothing.
      expect(await statuses(path, '127.0.0.3', ['198.51.100.9', '198.51.100.10', '198.51.100.11'], body)).toEqual([
        expect.any(Number),
        expect.any(Number),
        429,
      ]);
    });

    it('file a code asked behind the proxy under the client’s address, not the proxy’s', async () => {
      await open({ TRUSTED_PROXIES: '127.0.0.2' });
      const ask = async (client: string, number: string) => {
        const headers = { 'x-forwarded-for': client };
        const s = (
          await send(running.url, 'POST', '/webchat/api/conversations', {
            from: '127.0.0.2',
            body: { locale: 'en-US' },
            headers,
          })
        ).body as Session;
        await send(running.url, 'POST', `/webchat/api/conversations/${s.conversationId}/activities`, {
          from: '127.0.0.2',
          token: s.token,
          body: { type: 'message', text: 'I want to cancel', locale: 'en-US' },
          headers,
        });
        await send(running.url, 'POST', `/webchat/api/conversations/${s.conversationId}/activities`, {
          from: '127.0.0.2',
          token: s.token,
          body: { type: 'message', text: number, locale: 'en-US' },
          headers,
        });
      };
      await ask('198.51.100.7', '+1 415 555 0001');
      await ask('198.51.100.7', '+1 415 555 0002');
      await ask('203.0.113.9', '+1 415 555 0003');
      const addresses = app.store.data.otpChallenges.map((c) => c.requesters![1]);
      expect(addresses).toHaveLength(3);
      expect(addresses[0]).toBe(addresses[1]);
      expect(addresses[2]).not.toBe(addresses[0]);
    });
  });
});
