import { existsSync, readFileSync } from 'node:fs';
import type { Activity } from 'botbuilder';
import { createJsonApp, type JsonApp } from './support/jsonApp.js';
import { ManualClock } from '../src/core/clock.js';
import { seededRandom } from '../src/core/random.js';
import { startServer, type RunningServer } from '../src/server.js';
import { enUS as en } from '../src/i18n/catalog.en-US.js';
import { zhCN as zh } from '../src/i18n/catalog.zh-CN.js';
import { failingFiles } from './support/failingFiles.js';
import { post, userMessage } from './support/http.js';
import { testConfig } from './support/testConfig.js';

const clock = () => new ManualClock('2026-11-24T02:00:00.000Z');

describe('a cancellation on a full disk, over HTTP against the real server', () => {
  let app: JsonApp;
  let running: RunningServer;
  afterEach(async () => {
    await running?.shutdown();
  });

  it.each([
    ['en-US', '+86 138 1234 5678', 'I want to cancel my membership', en['error.storeUnavailable']],
    ['zh-CN', '13812345678', '我要取消会员', zh['error.storeUnavailable']],
  ])(
    'in %s: tells the member nothing changed, sends no receipt, /healthz 503, and recovers once there is space',
    async (_locale, phone, ask, unavailable) => {
      const config = testConfig();
      const disk = failingFiles();
      app = await createJsonApp(config, { clock: clock(), random: seededRandom(3), files: disk.files });
      running = await startServer(app, 0, '127.0.0.1');
      const say = async (text: string) =>
        (await post(running.url, userMessage('full-disk', text))).body.activities ?? [];
      await say(ask);
      await say(phone);
      await app.dispatcher.deliverDue();
      const inbox = () =>
        existsSync(config.NOTIFY_OUTBOX_FILE)
          ? readFileSync(config.NOTIFY_OUTBOX_FILE, 'utf8')
              .trim()
              .split('\n')
              .map((l) => JSON.parse(l))
          : [];
      const code = /\d{6}/.exec(inbox().find((m) => m.template === 'otp').text)![0];
      const warning = await say(code);
      const cancelNow = (warning.at(-1) as Partial<Activity>)
        .suggestedActions!.actions.map((a) => String(a.title))
        .find((t) => /Cancel now|立即取消/.test(t))!;

      // The turn's first write (the decision's audit entry) lands; the cancellation's is the one that fails.
      disk.fill({ only: /db\.json\.(journal|probe)$/, skip: 1 });
      const replies = await say(cancelNow);
      expect(replies.map((a) => a.text)).toEqual([unavailable]);
      expect((await fetch(`${running.url}/healthz`)).status).toBe(503);
      // No receipt, now or on a later timer tick; the store shows the membership as it was.
      await app.dispatcher.deliverDue();
      expect(inbox().map((m) => m.template)).toEqual(['otp']);
      expect(app.store.data.memberships.find((m) => m.id === 'ms-2001')?.status).toBe('active');
      expect(app.store.data.cancellations.filter((c) => c.membershipId === 'ms-2001')).toEqual([]);
      expect(app.store.data.audit.at(-1)?.type).toBe('cancellation.decision');

      // Space again: healthy without a restart, and the same answer now cancels.
      disk.free();
      const health = await fetch(`${running.url}/healthz`);
      expect(health.status).toBe(200);
      const done = await say(cancelNow);
      expect(done[0].text).toMatch(/CX-20261124-[0-9A-Z]{4}/);
      await app.dispatcher.deliverDue();
      expect(inbox().map((m) => m.template)).toEqual(['otp', 'cancellation-confirmed']);
      await running.shutdown();

      // After a restart the store holds the one cancellation.
      app = await createJsonApp(config, { clock: clock(), random: seededRandom(4) });
      expect(app.store.data.cancellations.filter((c) => c.membershipId === 'ms-2001')).toHaveLength(1);
      await app.close();
    },
  );

  it('when only the conversation state cannot be written: the cancellation that committed stands, and the member is told so', async () => {
    const config = testConfig();
    const disk = failingFiles();
    app = await createJsonApp(config, { clock: clock(), random: seededRandom(3), files: disk.files });
    running = await startServer(app, 0, '127.0.0.1');
    const say = async (text: string) =>
      (await post(running.url, userMessage('state-full', text))).body.activities ?? [];
    await say('I want to cancel my membership');
    await say('+86 138 1234 5678');
    await app.dispatcher.deliverDue();
    const inbox = () =>
      readFileSync(config.NOTIFY_OUTBOX_FILE, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
    const warning = await say(/\d{6}/.exec(inbox().find((m) => m.template === 'otp').text)![0]);
    const cancelNow = (warning.at(-1) as Partial<Activity>)
      .suggestedActions!.actions.map((a) => String(a.title))
      .find((t) => /Cancel now/.test(t))!;

    disk.fill({ only: /state\.json\.(journal|probe)$/ });
    const replies = (await say(cancelNow)).map((a) => a.text);
    expect(replies[0]).toMatch(/Reference number: CX-20261124-[0-9A-Z]{4}/);
    expect(replies.at(-1)).toBe(en['error.stateUnavailable']);
    expect((await fetch(`${running.url}/healthz`)).status).toBe(503);
    await app.dispatcher.deliverDue();
    expect(inbox().map((m) => m.template)).toEqual(['otp', 'cancellation-confirmed']);

    // The saved conversation is still at the confirmation: the same answer finds it already done.
    disk.free();
    expect((await fetch(`${running.url}/healthz`)).status).toBe(200);
    const again = (await say(cancelNow)).map((a) => a.text);
    expect(again.join('\n')).toContain(/CX-20261124-[0-9A-Z]{4}/.exec(replies[0] ?? '')![0]);
    expect(app.store.data.cancellations.filter((c) => c.membershipId === 'ms-2001')).toHaveLength(1);
  });
});
