import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { TestAdapter } from 'botbuilder';
import { createJsonApp, type JsonApp } from './support/jsonApp.js';
import { ManualClock } from '../src/core/clock.js';
import { seededRandom } from '../src/core/random.js';
import { createLogger } from '../src/log.js';
import { testConfig } from './support/testConfig.js';

const NOW = '2026-11-24T02:00:00.000Z';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const bytes = (file: string) => (existsSync(file) ? statSync(file).size : 0);
/** What is on disk once the app has closed: the snapshot (close compacts the journal into it). */
const onDisk = (config: ReturnType<typeof testConfig>) => bytes(config.DB_FILE) + bytes(config.STATE_FILE);

/** One conversation of its own through the app's bot, as a channel would drive it. */
async function talk(app: JsonApp, id: string, texts: string[]): Promise<string[]> {
  const adapter = new TestAdapter(async (context) => app.bot.run(context), {
    channelId: 'emulator',
    conversation: { id },
    user: { id: `user-${id}`, role: 'user' },
    bot: { id: 'bot', role: 'bot' },
    locale: 'en-US',
  } as never);
  adapter.onTurnError = app.onTurnError;
  const replies: string[] = [];
  for (const text of texts) {
    await adapter.receiveActivity({ type: 'message', text });
    while (adapter.activeQueue.length) replies.push(adapter.activeQueue.shift()!.text ?? '');
  }
  return replies;
}

/** The conversations the state file holds once the app has closed. */
const stateKeys = (config: ReturnType<typeof testConfig>) =>
  Object.keys((JSON.parse(readFileSync(config.STATE_FILE, 'utf8')) as { items: Record<string, unknown> }).items);

async function open(config: ReturnType<typeof testConfig>, clock: ManualClock, logger = createLogger('silent')) {
  return createJsonApp(config, { clock, random: seededRandom(5), deliverOnCommit: false, logger });
}

const throwaways = (n: number) =>
  Array.from({ length: n }, (_, i) => (i % 2 ? ['hello'] : ['cancel my membership', `138 9999 ${String(1000 + i)}`]));

describe('throwaway conversations (issue #14, item 8)', () => {
  it('leave nothing in the state or the challenges a day after they ended', async () => {
    const config = testConfig();
    const clock = new ManualClock(NOW);
    await (await open(config, clock)).close();
    const empty = onDisk(config);

    const app = await open(config, clock);
    for (const [i, texts] of throwaways(20).entries()) {
      await talk(app, `throwaway-${i}`, texts);
      clock.advance(10 * 60_000);
    }
    await app.close();
    // Kept while the conversations may still come back: about 850 bytes (number typed) or 250 (hello) each.
    expect(onDisk(config) - empty).toBeGreaterThan(20 * 500);
    // Each number typed is a challenge, filed under a keyed hash of the number (never the number).
    expect(
      (JSON.parse(readFileSync(config.DB_FILE, 'utf8')) as { otpChallenges: unknown[] }).otpChallenges,
    ).toHaveLength(10);

    clock.advance(DAY + HOUR);
    // The start runs the sweep, as the running process does every hour.
    const later = await open(config, clock);
    await later.close();
    expect(stateKeys(config)).toEqual([]);
    const db = readFileSync(config.DB_FILE, 'utf8');
    expect(db).not.toContain('+86138999910');
    expect((JSON.parse(db) as { otpChallenges: unknown[] }).otpChallenges).toEqual([]);
    // What remains is one audit entry per code asked (no number in it), purged after AUDIT_RETENTION_DAYS.
    const audit = (JSON.parse(db) as { audit: { type: string }[] }).audit;
    expect(audit.map((a) => a.type)).toEqual(Array(10).fill('verification.code_requested'));
    expect(onDisk(config) - empty).toBe(JSON.stringify(audit).length - '[]'.length);
  });

  it('are purged by the hourly sweep of a running process, not only at the next start', async () => {
    const config = testConfig();
    const clock = new ManualClock(NOW);
    const app = await open(config, clock);
    await talk(app, 'left-at-code', ['cancel my membership', '138 9999 0000']);
    clock.advance(DAY + HOUR);
    await app.sweep();
    expect(app.store.data.otpChallenges).toEqual([]);
    await app.close();
    expect(stateKeys(config)).toEqual([]);
  });

  it('keep a conversation at its code prompt for a day: a late code is told it expired, for a member as for a stranger', async () => {
    const config = testConfig();
    const clock = new ManualClock(NOW);
    const app = await open(config, clock);
    await talk(app, 'member', ['cancel my membership', '138 1234 5678']);
    await talk(app, 'stranger', ['cancel my membership', '138 9999 0000']);
    clock.advance(20 * HOUR);
    await app.sweep();
    const member = await talk(app, 'member', ['123456']);
    const stranger = await talk(app, 'stranger', ['123456']);
    expect(member[0]).toMatch(/expired/);
    expect(stranger).toEqual(member);
    await app.close();
  });

  it('keep a conversation whose member chose a language for STATE_IDLE_DAYS', async () => {
    const config = testConfig({ STATE_IDLE_DAYS: '3' });
    const clock = new ManualClock(NOW);
    const app = await open(config, clock);
    await talk(app, 'chose', ['中文']);
    await talk(app, 'hello', ['hello']);
    clock.advance(2 * DAY);
    await app.sweep();
    await app.close();
    expect(stateKeys(config)).toEqual(['emulator/conversations/chose/']);
    clock.advance(DAY + HOUR);
    await (await open(config, clock)).close();
    expect(stateKeys(config)).toEqual([]);
  });
});

describe('audit retention', () => {
  it('purges entries older than AUDIT_RETENTION_DAYS except cancellation records, also after a restart', async () => {
    const config = testConfig({ AUDIT_RETENTION_DAYS: '30' });
    const clock = new ManualClock(NOW);
    const app = await open(config, clock);
    await talk(app, 'stranger', ['cancel my membership', '138 9999 0000']);
    const replies = await talk(app, 'member', ['cancel my membership', '138 1234 5678']);
    expect(replies.join('\n')).toMatch(/code/);
    const code = /\d{6}/.exec(app.store.data.outbox.filter((m) => m.template === 'otp').at(-1)!.text)![0];
    const done = await talk(app, 'member', [code, 'cancel at period end']);
    expect(done.join('\n')).toMatch(/CX-\d{8}-[0-9A-Z]{4}/);
    const before = app.store.data.audit.map((a) => a.type);
    expect(before).toEqual(
      expect.arrayContaining([
        'verification.code_requested',
        'verification.succeeded',
        'cancellation.quote_shown',
        'cancellation.decision',
        'cancellation.committed',
      ]),
    );

    clock.advance(29 * DAY);
    await app.sweep();
    expect(app.store.data.audit.map((a) => a.type).slice(0, before.length)).toEqual(before);

    clock.advance(2 * DAY);
    await app.sweep();
    // The month's renewals and reminders (membership.*), recorded by these sweeps, are recent.
    const types = (audit: { type: string }[]) =>
      audit.map((a) => a.type).filter((type) => !type.startsWith('membership.'));
    const kept = types(app.store.data.audit);
    expect(kept).toEqual(
      expect.arrayContaining(['cancellation.quote_shown', 'cancellation.decision', 'cancellation.committed']),
    );
    expect(kept.every((type) => type.startsWith('cancellation.'))).toBe(true);
    expect(kept.filter((type) => type !== 'cancellation.effective')).toEqual(
      before.filter((type) => type.startsWith('cancellation.')),
    );
    expect(app.store.data.cancellations.map((c) => c.conversationId)).toContain('member');
    expect(app.store.data.outbox.map((m) => m.template)).toContain('cancellation-scheduled');
    await app.close();

    // The purge is journalled like any change: a restart reads the same.
    const reopened = await open(config, clock);
    expect(types(reopened.store.data.audit)).toEqual(kept);
    await reopened.close();
  });
});

describe('the size warning', () => {
  function capture() {
    const lines: { msg: string; file?: string; sizeMb?: number }[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    return { lines, logger: createLogger('warn', { destination }) };
  }

  it('names the file, its size and what to do, at start and after each snapshot', async () => {
    const config = testConfig({ STORE_WARN_MB: '1', STORE_COMPACT_AFTER: '1' });
    // A state file of 1.5 MB (1.4 MiB): one conversation's state holding a long text.
    writeFileSync(
      config.STATE_FILE,
      JSON.stringify({ items: { big: { eTag: 'e', updatedAt: NOW, value: { note: 'x'.repeat(1_500_000) } } } }),
    );
    const { lines, logger } = capture();
    const clock = new ManualClock(NOW);
    const app = await open(config, clock, logger);
    const warnings = () => lines.filter((l) => l.file === config.STATE_FILE);
    expect(warnings()).toHaveLength(1);
    // The start seals the plain state it found (under the current key), so the file has grown by
    // the sealing's base64 by the time its size is told: 1.4 MB written, 1.9 MB sealed.
    expect(warnings()[0].sizeMb).toBe(1.9);
    expect(warnings()[0].msg).toContain(`${config.STATE_FILE} is 1.9 MB`);
    expect(warnings()[0].msg).toContain('past STORE_WARN_MB=1');
    expect(warnings()[0].msg).toMatch(/at about \d+ MB it can no longer be loaded/);
    expect(warnings()[0].msg).toContain('Lower STATE_IDLE_DAYS or AUDIT_RETENTION_DAYS');
    // The data file (the seed, a few KB) is under the threshold.
    expect(lines.filter((l) => l.file === config.DB_FILE)).toEqual([]);

    await talk(app, 'c', ['hello']);
    await app.close();
    expect(warnings().length).toBeGreaterThanOrEqual(2);
  });

  it('says nothing under the threshold', async () => {
    const config = testConfig({ STORE_COMPACT_AFTER: '1' });
    const { lines, logger } = capture();
    const app = await open(config, new ManualClock(NOW), logger);
    await talk(app, 'c', ['hello']);
    await app.close();
    expect(lines).toEqual([]);
  });
});
