import { request } from 'node:http';
import { readFileSync } from 'node:fs';
import type { Activity } from 'botbuilder';
import { createApp } from '../src/app.js';
import { startServer, type RunningServer } from '../src/server.js';
import { userMessage } from './support/http.js';
import { testConfig } from './support/testConfig.js';

/** POSTs an activity from a chosen loopback address (Linux answers all of 127.0.0.0/8), as another client would. */
function postFrom(localAddress: string, url: string, activity: unknown): Promise<string[]> {
  const body = JSON.stringify(activity);
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/api/messages`,
      {
        method: 'POST',
        localAddress,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () =>
          resolve(
            ((JSON.parse(text) as { activities?: Partial<Activity>[] }).activities ?? []).map((a) => a.text ?? ''),
          ),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('strangers cannot lock a member out (over HTTP, from different client addresses)', () => {
  let running: RunningServer;
  let outbox: string;
  let app: Awaited<ReturnType<typeof createApp>>;
  beforeAll(async () => {
    // No resend interval, so the strangers' codes and the member's follow each other at once.
    const config = testConfig({
      OTP_RESEND_SECONDS: '0',
      RATE_LIMIT_REQUESTS_PER_MINUTE_PER_IP: '0',
      RATE_LIMIT_TURNS_PER_MINUTE: '0',
    });
    outbox = config.NOTIFY_OUTBOX_FILE;
    app = await createApp(config);
    running = await startServer(app, 0, '127.0.0.1');
  });
  afterAll(() => running.shutdown());

  /** The newest code in the inbox file, once every committed message has been handed to it. */
  const lastCode = async () => {
    await app.dispatcher.deliverDue();
    // A pass already running when the code was committed may have missed it; this one does not.
    await app.dispatcher.deliverDue();
    const last = JSON.parse(readFileSync(outbox, 'utf8').trim().split('\n').at(-1)!) as { text: string };
    return /\d{6}/.exec(last.text)![0];
  };

  it('three conversations letting codes for the number die throttle their own address, not the member', async () => {
    const say = (address: string, conversation: string, text: string) =>
      postFrom(address, running.url, userMessage(conversation, text, { locale: 'en-US' }));
    for (let i = 0; i < 3; i++) {
      await say('127.0.0.2', `stranger-${i}`, 'I want to cancel');
      expect((await say('127.0.0.2', `stranger-${i}`, '13812345678'))[0]).toMatch(
        /^If 138\*\*\*\*5678 is registered with us, a 6-digit code/,
      );
      const wrong = (await lastCode()) === '000000' ? '111111' : '000000';
      for (let attempt = 0; attempt < 5; attempt++) await say('127.0.0.2', `stranger-${i}`, wrong);
    }
    // A fourth fresh conversation from the same address is paused...
    await say('127.0.0.2', 'stranger-3', 'I want to cancel');
    expect((await say('127.0.0.2', 'stranger-3', '13812345678'))[0]).toMatch(
      /^For your security, no new code can be sent right now/,
    );
    // ...while the member, in their own conversation from their own address, gets a code and verifies.
    await say('127.0.0.5', 'member', 'I want to cancel');
    expect((await say('127.0.0.5', 'member', '13812345678'))[0]).toMatch(
      /^If 138\*\*\*\*5678 is registered with us, a 6-digit code/,
    );
    expect(await say('127.0.0.5', 'member', await lastCode())).toContain('Thank you, 张伟, you are verified.');
  });
});
