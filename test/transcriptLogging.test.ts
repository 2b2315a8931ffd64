import { existsSync, readdirSync, readFileSync, utimesSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Activity } from 'botbuilder';
import { ManualClock } from '../src/core/clock.js';
import { createLogger } from '../src/log.js';
import { MaskedTranscriptLogger } from '../src/transcripts/maskedTranscriptLogger.js';
import { conversation } from './support/conversation.js';
import { signHostToken } from './support/hostToken.js';
import { scratchDir } from './support/testConfig.js';

describe('transcript logging for support', () => {
  it('writes one Emulator transcript a conversation with no phone, email, code or token in it', async () => {
    const dir = scratchDir('support-');
    const secret = 'k'.repeat(32);
    const c = await conversation({ config: { TRANSCRIPTS_DIR: dir, MEMBER_TOKEN_SECRET: secret } });
    await c.say('I want to cancel');
    await c.say('my number is 138 1234 5678, email zhang.wei@example.com');
    const code = c.lastCode();
    await c.say(`${code.slice(0, 3)} ${code.slice(3)}`);
    await c.say('yes');
    const token = signHostToken(secret, 'm-1001', 'user1', Math.floor(Date.parse('2026-11-24T02:05:00Z') / 1000));
    await c.say({ text: 'Skip', channelData: { memberToken: token } });
    // Buffered during the turns: nothing waits on the disk.
    expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([]);
    await c.app.close();

    const files = readdirSync(dir);
    expect(files).toEqual(['emulator_conv-1.transcript']);
    const text = readFileSync(join(dir, files[0]), 'utf8');
    const activities = JSON.parse(text) as Activity[];
    expect(activities.filter((a) => a.from.role === 'user')).toHaveLength(5);
    expect(activities.filter((a) => a.from.role === 'bot').length).toBeGreaterThan(5);
    for (const secretText of [
      '13812345678',
      '138 1234 5678',
      'zhang.wei@example.com',
      code,
      `${code.slice(0, 3)} ${code.slice(3)}`,
      token,
    ]) {
      expect(text).not.toContain(secretText);
    }
    expect(text).toContain('138****5678');
    expect(text).toContain('z***@example.com');
    expect(text).toContain('"memberToken": "[redacted]"');
  });

  it('writes a quiet conversation on the idle check and keeps appending to the same file', async () => {
    const dir = scratchDir('support-');
    const clock = new ManualClock('2026-11-24T02:00:00Z');
    const logger = new MaskedTranscriptLogger(
      { dir, retentionDays: 30, idleMs: 60_000 },
      clock,
      createLogger('silent'),
    );
    const activity = (text: string, role: string) =>
      ({
        type: 'message',
        text,
        channelId: 'webchat',
        conversation: { id: 'c/1' },
        from: { id: role, role },
      }) as Partial<Activity>;
    logger.logActivity(activity('hello', 'user'));
    await logger.flush(false);
    expect(readdirSync(dir)).toEqual([]);
    clock.advance(60_000);
    await logger.flush(false);
    logger.logActivity(activity('again', 'user'));
    await logger.close();
    expect(JSON.parse(readFileSync(join(dir, 'webchat_c_1.transcript'), 'utf8')).map((a: Activity) => a.text)).toEqual([
      'hello',
      'again',
    ]);
  });

  it('deletes transcripts older than the retention and keeps the rest', async () => {
    const dir = scratchDir('support-');
    mkdirSync(dir, { recursive: true });
    const clock = new ManualClock('2026-11-24T02:00:00Z');
    writeFileSync(join(dir, 'old.transcript'), '[]');
    writeFileSync(join(dir, 'new.transcript'), '[]');
    writeFileSync(join(dir, 'notes.txt'), 'kept');
    const thirtyOneDaysAgo = new Date(clock.now().getTime() - 31 * 86_400_000);
    utimesSync(join(dir, 'old.transcript'), thirtyOneDaysAgo, thirtyOneDaysAgo);
    utimesSync(join(dir, 'new.transcript'), clock.now(), clock.now());
    const logger = new MaskedTranscriptLogger(
      { dir, retentionDays: 30, idleMs: 60_000 },
      clock,
      createLogger('silent'),
    );
    expect(await logger.purgeOld()).toBe(1);
    expect(readdirSync(dir).sort()).toEqual(['new.transcript', 'notes.txt']);
  });
});
