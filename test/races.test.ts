import { readdirSync, readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { join } from 'node:path';
import { createJsonApp } from './support/jsonApp.js';
import { ManualClock } from '../src/core/clock.js';
import { createLogger } from '../src/log.js';
import { storedDbSchema } from '../src/store/sealedRecords.js';
import { startServer } from '../src/server.js';
import { post, userMessage } from './support/http.js';
import { scratchDir, testConfig } from './support/testConfig.js';
import { signHostToken } from './support/hostToken.js';

const SECRET = 'r'.repeat(32);
const clock = () => new ManualClock('2026-11-24T02:00:00.000Z');
const hostToken = (sub: string, conversationId: string) =>
  signHostToken(SECRET, sub, `user-${conversationId}`, Math.floor(Date.parse('2026-11-24T02:05:00Z') / 1000));
const texts = (body: { activities?: { text?: string }[] }) =>
  (body.activities ?? []).map((a) => a.text ?? '').join('\n');

describe('races over HTTP', () => {
  it('two conversations cancelling one membership at the same moment: one cancellation, one refund, both told the truth', async () => {
    const config = testConfig({ MEMBER_TOKEN_SECRET: SECRET, RATE_LIMIT_REQUESTS_PER_MINUTE_PER_IP: '0' });
    const app = await createJsonApp(config, { clock: clock() });
    const running = await startServer(app, 0, '127.0.0.1');
    for (const conv of ['race-a', 'race-b']) {
      await post(
        running.url,
        userMessage(conv, 'I want to cancel', { channelData: { memberToken: hostToken('m-1001', conv) } }),
      );
    }
    const [a, b] = await Promise.all(
      ['race-a', 'race-b'].map((conv) => post(running.url, userMessage(conv, 'Cancel now, refund ¥62.59'))),
    );
    const records = app.store.data.cancellations.filter((c) => c.membershipId === 'ms-2001');
    expect(records).toHaveLength(1);
    const reference = records[0].reference;
    const replies = [texts(a.body), texts(b.body)].sort();
    expect(
      replies.filter((r) => r.includes(`Reference number: ${reference}`) && r.includes('Refund: ¥62.59')),
    ).toHaveLength(1);
    expect(
      replies.filter((r) =>
        r.includes(`This membership was already cancelled (reference ${reference}); nothing was changed.`),
      ),
    ).toHaveLength(1);
    expect(app.store.data.outbox.filter((m) => m.template === 'cancellation-confirmed')).toHaveLength(1);
    await running.shutdown();
  });

  it('many conversations writing at once lose no update (checked in the file after a restart)', async () => {
    // Every conversation comes from this machine's one address: its limits are not what is tested here.
    const config = testConfig({
      RATE_LIMIT_REQUESTS_PER_MINUTE_PER_IP: '0',
      OTP_GUESSES_PER_HOUR_PER_ADDRESS: '10000',
      OTP_GUESSES_PER_HOUR_PER_RANGE: '10000',
    });
    const running = await startServer(await createJsonApp(config, { clock: clock() }), 0, '127.0.0.1');
    const count = 100;
    await Promise.all(
      Array.from({ length: count }, (_, i) => post(running.url, userMessage(`w-${i}`, 'I want to cancel'))),
    );
    await Promise.all(
      Array.from({ length: count }, (_, i) =>
        post(running.url, userMessage(`w-${i}`, `+86 135 ${String(i).padStart(4, '0')} 0000`)),
      ),
    );
    await Promise.all(
      Array.from({ length: count }, (_, i) => post(running.url, userMessage(`w-${i}`, 'talk to a human'))),
    );
    await running.shutdown();
    const onDisk = storedDbSchema.parse(JSON.parse(readFileSync(config.DB_FILE, 'utf8')));
    expect(new Set(onDisk.otpChallenges.map((c) => c.identifier)).size).toBe(count);
    expect(onDisk.handoffs).toHaveLength(count);
    const state = JSON.parse(readFileSync(config.STATE_FILE, 'utf8'));
    expect(Object.keys(state.items).filter((k) => k.includes('/w-'))).toHaveLength(count);
  });
});

describe('personal data after a whole journey', () => {
  it('logs at debug level, support transcripts and the stored outbox hold no full phone, email or code', async () => {
    const transcripts = scratchDir('pii-');
    const config = testConfig({ LOG_LEVEL: 'debug', TRANSCRIPTS_DIR: transcripts });
    const lines: string[] = [];
    const logger = createLogger('debug', {
      destination: new Writable({
        write(chunk, _e, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    });
    const app = await createJsonApp(config, { clock: clock(), logger });
    const running = await startServer(app, 0, '127.0.0.1');
    const say = (text: string) => post(running.url, userMessage('pii', text));
    await say('check my membership');
    await say('我的邮箱是 Zhang.Wei@example.com，手机 138 1234 5678');
    await app.dispatcher.deliverDue();
    const inbox = readFileSync(config.NOTIFY_OUTBOX_FILE, 'utf8');
    const code = /\d{6}/.exec(JSON.parse(inbox.trim().split('\n')[0]).text)![0];
    await say(code);
    await say('I want to cancel');
    await say('yes');
    await say('Skip');
    await app.dispatcher.deliverDue();
    await running.shutdown();

    const stored = JSON.parse(readFileSync(config.DB_FILE, 'utf8'));
    const places = {
      logs: lines.join(''),
      transcripts: readdirSync(transcripts)
        .map((f) => readFileSync(join(transcripts, f), 'utf8'))
        .join(''),
      storedOutbox: JSON.stringify(stored.outbox),
    };
    expect(places.transcripts.length).toBeGreaterThan(1000);
    for (const [where, text] of Object.entries(places)) {
      for (const secret of ['13812345678', '138 1234 5678', 'zhang.wei@example.com', 'Zhang.Wei@example.com', code]) {
        expect({ where, found: text.includes(secret) ? secret : null }).toEqual({ where, found: null });
      }
    }
    // The development inbox is the member's own inbox: the code is there by design.
    expect(inbox).toContain(code);
  });
});
