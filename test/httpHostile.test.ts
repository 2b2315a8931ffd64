import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { createApp } from '../src/app.js';
import { startServer, type RunningServer } from '../src/server.js';
import { post, userMessage } from './support/http.js';
import { testConfig } from './support/testConfig.js';

async function raw(url: string, body: string | Buffer, contentType = 'application/json') {
  const res = await fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': contentType }, body });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : {} };
}

describe('hostile HTTP requests', () => {
  let running: RunningServer;
  beforeAll(async () => {
    running = await startServer(
      await createApp(testConfig({ RATE_LIMIT_REQUESTS_PER_MINUTE_PER_IP: '0' })),
      0,
      '127.0.0.1',
    );
  });
  afterAll(() => running.shutdown());

  const stillServes = async () => {
    const { status, body } = await post(running.url, userMessage('alive', 'hello'));
    expect(status).toBe(200);
    expect(body.activities?.length).toBeGreaterThan(0);
  };

  it.each([
    ['malformed JSON', '{"type": "message", ', 400, 'The body is not valid JSON.'],
    [
      'a JSON array',
      '[{"type":"message"}]',
      400,
      'The body must be one activity (a JSON object), not an array or a value.',
    ],
    ['a bare value', '42', 400, 'The body must be one activity (a JSON object), not an array or a value.'],
    ['an empty body', '', 400, 'The body is empty; send one Bot Framework activity as JSON.'],
    ['a body of white space', ' \r\n\t ', 400, 'The body is empty; send one Bot Framework activity as JSON.'],
    [
      'an activity without conversation or from',
      JSON.stringify({ type: 'message', text: 'hi', serviceUrl: 'http://127.0.0.1:1' }),
      400,
      'The activity is missing conversation.id, from.id.',
    ],
  ])('answers %s with a short JSON error and keeps serving', async (_what, body, status, error) => {
    expect(await raw(running.url, body)).toEqual({ status, body: { error } });
    await stillServes();
  });

  it('answers a non-JSON content type with 415', async () => {
    expect(await raw(running.url, 'type=message', 'application/x-www-form-urlencoded')).toEqual({
      status: 415,
      body: { error: 'Content-Type must be application/json.' },
    });
    await stillServes();
  });

  it('answers a body over 256 KB with 413', async () => {
    const big = JSON.stringify({ ...userMessage('big', 'x'.repeat(300 * 1024)) });
    const { status } = await raw(running.url, big);
    expect(status).toBe(413);
    await stillServes();
  });

  it.each(['gzip', 'deflate', 'br', 'GZIP, identity'])(
    'refuses a body sent with Content-Encoding: %s (415), without expanding it',
    async (encoding) => {
      // 256 KB of zeros would expand to about 256 MB; the size limit counted only what arrived.
      const bomb = gzipSync(Buffer.alloc(256 * 1024 * 1024), { level: 9 });
      expect(bomb.length).toBeLessThan(300 * 1024);
      const res = await fetch(`${running.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-encoding': encoding },
        body: bomb,
      });
      expect({ status: res.status, body: await res.json() }).toEqual({
        status: 415,
        body: { error: 'Content-Encoding is not accepted; send the activity as uncompressed JSON.' },
      });
      await stillServes();
    },
  );

  it('accepts Content-Encoding: identity', async () => {
    const res = await fetch(`${running.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'identity' },
      body: JSON.stringify(userMessage('plain', 'hello')),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { activities: { text: string }[] }).activities[0].text).toMatch(/^Hi!/);
  });

  it('answers a 5,001-character message with a short "too long" reply', async () => {
    const { status, body } = await post(running.url, userMessage('long', '取'.repeat(5001)));
    expect(status).toBe(200);
    expect(body.activities?.map((a) => a.text)).toEqual(['这条消息太长了，请发一条短一些的。']);
  });

  it('acknowledges and ignores unknown activity types', async () => {
    const { status, body } = await post(running.url, userMessage('odd', '', { type: 'somethingNew' }));
    expect(status).toBe(200);
    expect(body.activities ?? []).toEqual([]);
    await stillServes();
  });
});

describe('rate limits', () => {
  it('asks a conversation that sends more than its turns a minute to slow down, without losing its place', async () => {
    const running = await startServer(
      await createApp(testConfig({ RATE_LIMIT_TURNS_PER_MINUTE: '3' })),
      0,
      '127.0.0.1',
    );
    const texts = async (t: string) =>
      ((await post(running.url, userMessage('fast', t))).body.activities ?? []).map((a) => a.text);
    await texts('I want to cancel');
    await texts('help');
    await texts('help');
    expect(await texts('13812345678')).toEqual([
      'You are sending messages faster than I can answer well. Please wait a minute, then carry on; nothing was lost.',
    ]);
    expect((await post(running.url, userMessage('another', 'hello'))).body.activities?.[0]?.text).toMatch(/^Hi!/);
    await running.shutdown();
  });

  it('answers 429 to an address over its requests a minute', async () => {
    const running = await startServer(
      await createApp(testConfig({ RATE_LIMIT_REQUESTS_PER_MINUTE_PER_IP: '2' })),
      0,
      '127.0.0.1',
    );
    expect((await post(running.url, userMessage('a', 'hi'))).status).toBe(200);
    expect((await post(running.url, userMessage('b', 'hi'))).status).toBe(200);
    expect(await post(running.url, userMessage('c', 'hi'))).toEqual({
      status: 429,
      body: { error: 'Too many requests from this address; try again in a minute.' },
    });
    await running.shutdown();
  });
});

describe('with MicrosoftAppId set', () => {
  it('refuses a request without an Authorization bearer token with 401 and runs no turn', async () => {
    const config = testConfig({
      MicrosoftAppId: '00000000-0000-0000-0000-000000000001',
      MicrosoftAppPassword: 'not-a-real-secret',
    });
    const running = await startServer(await createApp(config), 0, '127.0.0.1');
    // The refusal goes to the masked log, not to the console as CloudAdapter.process would print it.
    const printed = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const { status, body } = await post(running.url, userMessage('unauthenticated', 'I want to cancel'));
    expect({ status, body }).toEqual({
      status: 401,
      body: { error: 'Unauthorized: the request does not carry a valid Bot Framework token.' },
    });
    expect(printed).not.toHaveBeenCalled();
    printed.mockRestore();
    await running.shutdown();
    expect(Object.keys(JSON.parse(readFileSync(config.STATE_FILE, 'utf8')).items)).toEqual([]);
  });
});
