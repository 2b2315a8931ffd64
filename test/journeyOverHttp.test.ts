import { readFileSync } from 'node:fs';
import { createJsonApp } from './support/jsonApp.js';
import { ManualClock } from '../src/core/clock.js';
import { seededRandom } from '../src/core/random.js';
import { startServer } from '../src/server.js';
import { post, userMessage } from './support/http.js';
import { testConfig } from './support/testConfig.js';

const clock = () => new ManualClock('2026-11-24T02:00:00.000Z');

describe('a whole journey over HTTP against the real server', () => {
  it('cancels in four turns, and a restart in the middle resumes at the same prompt', async () => {
    const config = testConfig();
    let app = await createJsonApp(config, { clock: clock(), random: seededRandom(3) });
    let running = await startServer(app, 0, '127.0.0.1');
    const texts = async (text: string) =>
      ((await post(running.url, userMessage('journey', text))).body.activities ?? []).map((a) => a.text ?? '');

    expect(await texts('I want to cancel my membership')).toEqual([
      "First I need to check it's you. What is the phone number or email registered with your membership?",
    ]);
    expect((await texts('+86 138 1234 5678'))[0]).toBe(
      'If 138****5678 is registered with us, a 6-digit code has just been sent to it. It is valid for 10 minutes.',
    );
    await app.dispatcher.deliverDue();
    // Delivered to the inbox, and blanked in the store: the code lives only in the member's inbox.
    expect(app.store.data.outbox.find((m) => m.template === 'otp')).toMatchObject({
      text: '',
      redacted: true,
      status: 'sent',
    });

    // Restart between the code being sent and typed: state and data come back from disk.
    await running.shutdown();
    app = await createJsonApp(config, { clock: clock(), random: seededRandom(4) });
    running = await startServer(app, 0, '127.0.0.1');
    const inbox = readFileSync(config.NOTIFY_OUTBOX_FILE, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const sms = inbox.find((m) => m.template === 'otp');
    expect(sms).toMatchObject({ channel: 'sms', to: '+8613812345678' });
    const delivered = /\d{6}/.exec(sms.text)![0];

    const warning = await texts(delivered);
    expect(warning[0]).toBe('Thank you, 张伟, you are verified.');
    expect(warning[1]).toContain(
      '• At period end: auto-renew stops, you keep all benefits until Mar 1, 2027, no refund.',
    );
    const done = await texts('Cancel at period end (keep benefits until Mar 1, 2027)');
    expect(done[0]).toMatch(/Reference number: CX-20261124-[0-9A-Z]{4}/);
    expect(app.store.data.memberships.find((m) => m.id === 'ms-2001')?.status).toBe('pending_cancel');
    await running.shutdown();
  });
});
