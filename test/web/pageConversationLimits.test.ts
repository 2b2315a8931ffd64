import { request } from 'node:http';
import { MemoryStorage } from 'botbuilder';
import { ManualClock } from '../../src/core/clock.js';
import { seededRandom } from '../../src/core/random.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { signHostToken } from '../support/hostToken.js';
import { createJsonApp } from '../support/jsonApp.js';
import { testConfig } from '../support/testConfig.js';

const MEMBER_TOKEN_SECRET = 'm'.repeat(32);

interface Answer {
  status: number;
  body: any;
}

/** A request from a chosen loopback address (Linux answers all of 127.0.0.0/8), as another client's would be. */
function requestFrom(
  localAddress: string,
  base: string,
  method: 'GET' | 'POST',
  path: string,
  options: { token?: string; body?: unknown } = {},
): Promise<Answer> {
  const body = options.body === undefined ? '' : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}${path}`,
      {
        method,
        localAddress,
        headers: {
          ...(body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {}),
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('anonymous page conversations are bounded', () => {
  let clock: ManualClock;
  let memory: Record<string, string>;
  let running: RunningServer;

  const startFrom = (address: string, body: unknown = {}) =>
    requestFrom(address, running.url, 'POST', '/webchat/api/conversations', { body });
  const stored = () => Object.keys(memory);

  beforeEach(async () => {
    clock = new ManualClock('2026-11-24T02:00:00.000Z');
    memory = {};
    const config = testConfig({
      MEMBER_TOKEN_SECRET,
      WEBCHAT_STARTS_PER_HOUR_PER_ADDRESS: '3',
      WEBCHAT_ANONYMOUS_STARTS_PER_HOUR: '5',
    });
    const app = await createJsonApp(config, {
      clock,
      random: seededRandom(11),
      stateStorage: new MemoryStorage(memory),
    });
    running = await startServer(app, 0, '127.0.0.1');
  });

  afterEach(async () => {
    await running.shutdown();
  });

  it('a new conversation stores nothing until its member writes; the page shows the welcome meanwhile', async () => {
    const s = (await startFrom('127.0.0.41')).body;
    const activitiesOf = `/webchat/api/conversations/${s.conversationId}/activities`;
    const shown = await requestFrom('127.0.0.41', running.url, 'GET', `${activitiesOf}?locale=en-US`, {
      token: s.token,
    });
    expect(shown.body.activities).toEqual([
      expect.objectContaining({
        text: expect.stringMatching(/^Hi!/),
        from: expect.objectContaining({ role: 'bot' }),
        channelData: { 'webchat:sequence-id': 1 },
      }),
    ]);
    expect(stored()).toEqual([]);

    const said = await requestFrom('127.0.0.41', running.url, 'POST', `${activitiesOf}?after=1`, {
      token: s.token,
      body: { type: 'message', text: 'I want to cancel my membership', locale: 'en-US' },
    });
    expect(said.body.activities.map((a: any) => a.text)).toEqual([
      'I want to cancel my membership',
      expect.stringMatching(/phone number or email/),
    ]);
    // From the first message on, the conversation is kept: the welcome first, as the page showed it.
    const kept = await requestFrom('127.0.0.41', running.url, 'GET', activitiesOf, { token: s.token });
    expect(kept.body.activities.map((a: any) => [a.channelData['webchat:sequence-id'], a.text])).toEqual([
      [1, expect.stringMatching(/^Hi!/)],
      [2, 'I want to cancel my membership'],
      [3, expect.stringMatching(/phone number or email/)],
    ]);
    expect(stored().sort()).toEqual(
      [`webchat/conversations/${s.conversationId}/`, `webchat/history/${s.conversationId}`].sort(),
    );
  });

  it('limits new chats per address and all anonymous ones together, an hour at a time, with a reason the page shows', async () => {
    const statuses = async (address: string, n: number) => {
      const answers: Answer[] = [];
      for (let i = 0; i < n; i++) answers.push(await startFrom(address));
      return answers;
    };
    const first = await statuses('127.0.0.51', 4);
    expect(first.map((a) => a.status)).toEqual([201, 201, 201, 429]);
    expect(first[3].body).toEqual({
      error: 'Too many new chats from this address in the last hour.',
      code: 'chats-per-address',
    });
    const second = await statuses('127.0.0.52', 3);
    expect(second.map((a) => a.status)).toEqual([201, 201, 429]);
    expect(second[2].body).toEqual({ error: 'Too many new chats right now; try again later.', code: 'chats-overall' });
    // A member the host app vouches for is not turned away by the anonymous limit.
    const exp = Math.floor(clock.now().getTime() / 1000) + 600;
    const member = await startFrom('127.0.0.53', {
      memberToken: signHostToken(MEMBER_TOKEN_SECRET, 'm-1006', 'app-user-m-1006', exp),
    });
    expect(member.status).toBe(201);
    // No conversation is stored before a message; only the host token's one-use mark (its hash).
    expect(stored()).toEqual([expect.stringMatching(/^webchat\/host-token\/[0-9a-f]{64}$/)]);

    // The page has the words for each refusal, in both languages.
    const html = await (await fetch(`${running.url}/`)).text();
    expect(html).toContain('Too many new chats have been started from your network in the last hour.');
    expect(html).toContain('过去一小时内从您的网络发起的新聊天过多。');
    expect(html).toContain('Too many people are starting a chat right now.');
    expect(html).toContain('当前发起聊天的人数过多');

    clock.advance(60 * 60_000);
    expect((await startFrom('127.0.0.51')).status).toBe(201);
  });
});
