import { request } from 'node:http';
import type { Activity } from 'botbuilder';
import { MemoryStorage } from 'botbuilder';
import { ManualClock } from '../../src/core/clock.js';
import { seededRandom } from '../../src/core/random.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { userMessage } from '../support/http.js';
import { createJsonApp, type JsonApp } from '../support/jsonApp.js';
import { testConfig } from '../support/testConfig.js';

/** A request from a chosen loopback address (Linux answers all of 127.0.0.0/8), as another client's would be. */
function requestFrom(
  localAddress: string,
  url: string,
  path: string,
  options: { token?: string; body: unknown },
): Promise<any> {
  const body = JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}${path}`,
      {
        method: 'POST',
        localAddress,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve(JSON.parse(text)));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const texts = (answer: { activities?: Partial<Activity>[] }) =>
  (answer.activities ?? []).filter((a) => a.from?.role === 'bot').map((a) => a.text ?? '');

const CODE_SENT = /^If \+1 415\*{4}\d{4} is registered with us, a 6-digit code has just been sent to it/;
const MUST_WAIT = (wait: string) =>
  `For your security, no new code can be sent right now. Please try again in ${wait}.`;

describe('the page counts its client address for the code-guessing budget, as /api/messages does', () => {
  let clock: ManualClock;
  let app: JsonApp;
  let running: RunningServer;
  let numbers = 0;

  beforeEach(async () => {
    clock = new ManualClock('2026-11-24T02:00:00.000Z');
    const config = testConfig({ RATE_LIMIT_REQUESTS_PER_MINUTE_PER_IP: '0', RATE_LIMIT_TURNS_PER_MINUTE: '0' });
    app = await createJsonApp(config, { clock, random: seededRandom(7), stateStorage: new MemoryStorage() });
    running = await startServer(app, 0, '127.0.0.1');
  });
  afterEach(() => running.shutdown());

  /** A fresh page conversation from `address` asks a code for a number no one registered; the bot's answer. */
  async function askOnPage(address: string) {
    const session = await requestFrom(address, running.url, '/webchat/api/conversations', {
      body: { locale: 'en-US' },
    });
    const say = async (text: string) =>
      texts(
        await requestFrom(address, running.url, `/webchat/api/conversations/${session.conversationId}/activities`, {
          token: session.token,
          body: { type: 'message', text, locale: 'en-US' },
        }),
      );
    await say('I want to cancel');
    return { answer: (await say(`+1 415 555 ${String(++numbers).padStart(4, '0')}`))[0], say };
  }

  /** The same through /api/messages without authentication. */
  async function askOnApi(address: string) {
    const conversation = `api-${++numbers}`;
    const say = async (text: string) =>
      texts(
        await requestFrom(address, running.url, '/api/messages', {
          body: userMessage(conversation, text, { locale: 'en-US' }),
        }),
      );
    await say('I want to cancel');
    return { answer: (await say(`+1 415 555 ${String(numbers).padStart(4, '0')}`))[0], say };
  }

  /** Asks a code and types `wrong` wrong ones. */
  async function guess(ask: typeof askOnPage, address: string, wrong: number) {
    const { answer, say } = await ask(address);
    expect(answer).toMatch(CODE_SENT);
    for (let i = 0; i < wrong; i++) await say('000000');
  }

  const challenges = () => app.store.data.otpChallenges;

  it('tells a fourth fresh conversation from an address whose three codes died on the page to wait', async () => {
    for (let i = 0; i < 3; i++) await guess(askOnPage, '127.0.0.21', 5);
    expect((await askOnPage('127.0.0.21')).answer).toBe(MUST_WAIT('70 minutes'));
    // Three codes, each dead and filed under the same address (a keyed hash), none for the fourth.
    expect(challenges().map((c) => [c.state, c.failedAttempts])).toEqual([
      ['dead', 5],
      ['dead', 5],
      ['dead', 5],
    ]);
    const address = challenges()[0].requesters![1];
    expect(address).toMatch(/^address:[0-9a-f]{32}$/);
    expect(challenges().every((c) => c.requesters!.includes(address))).toBe(true);
  });

  it('keeps one budget for the page and /api/messages', async () => {
    await guess(askOnApi, '127.0.0.22', 5);
    await guess(askOnPage, '127.0.0.22', 5);
    await guess(askOnApi, '127.0.0.22', 5);
    expect((await askOnPage('127.0.0.22')).answer).toBe(MUST_WAIT('70 minutes'));
    expect((await askOnApi('127.0.0.22')).answer).toBe(MUST_WAIT('70 minutes'));
    expect(challenges()).toHaveLength(3);
    expect(new Set(challenges().map((c) => c.requesters![1])).size).toBe(1);
  });

  it('counts wrong codes that never killed one, per address and per /24', async () => {
    /** Three codes from `address` (two for the last), four wrong codes typed at each, then left to expire. */
    const leave = async (address: string, codes = 3) => {
      for (let i = 0; i < codes; i++) await guess(askOnPage, address, 4);
      clock.advance(11 * 60_000);
    };
    await leave('127.0.0.31');
    // 12 guesses leave no room for a code's 5 in the address's 15 until its first code (02:00) is
    // an hour and a code's lifetime old.
    expect((await askOnPage('127.0.0.31')).answer).toBe(MUST_WAIT('59 minutes'));
    for (const address of ['127.0.0.32', '127.0.0.33', '127.0.0.34']) await leave(address);
    await leave('127.0.0.35', 2);
    // 56 guesses in 127.0.0.0/24: no room for 5 more in its 60, for a new address or for one that
    // used only 8 of its own 15; another network is not concerned.
    expect((await askOnPage('127.0.0.36')).answer).toBe(MUST_WAIT('15 minutes'));
    expect((await askOnPage('127.0.0.35')).answer).toBe(MUST_WAIT('15 minutes'));
    expect((await askOnPage('127.0.1.1')).answer).toMatch(CODE_SENT);
    // Not one code died; the 14 left hold their 4 wrong guesses each, and the refused asked none.
    expect(challenges()).toHaveLength(15);
    expect(challenges().filter((c) => c.state === 'dead')).toEqual([]);
    expect(
      challenges()
        .slice(0, 14)
        .every((c) => c.failedAttempts === 4),
    ).toBe(true);
  });
});
