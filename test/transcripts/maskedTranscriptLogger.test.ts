import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestAdapter, type Activity, type TurnContext } from 'botbuilder';
import { ManualClock } from '../../src/core/clock.js';
import { KEPT_OF_TOO_LONG } from '../../src/i18n/keptText.js';
import { createLogger } from '../../src/log.js';
import { noteName } from '../../src/privacy/namesInTurn.js';
import { MaskedTranscriptLogger, MaskedTranscriptMiddleware } from '../../src/transcripts/maskedTranscriptLogger.js';
import { conversation } from '../support/conversation.js';
import { scratchDir } from '../support/testConfig.js';

const clock = new ManualClock('2026-11-24T02:00:00Z');
const newLogger = (dir: string) =>
  new MaskedTranscriptLogger({ dir, retentionDays: 30, idleMs: 60_000 }, clock, createLogger('silent'));

/** A bot behind the transcript middleware that greets the member by the name it noted, as the dialogs do. */
function chat(logger: MaskedTranscriptLogger, conversation: string) {
  const adapter = new TestAdapter(
    async (context: TurnContext) => {
      noteName(context, 'James Miller');
      await context.sendActivity({
        type: 'message',
        text: 'Thank you, James Miller, you are verified. Your code went to +1 415 555 0188.',
        suggestedActions: { to: [], actions: [{ type: 'imBack', title: 'Not James Miller?', value: 'not me' }] },
      });
    },
    { channelId: 'webchat', conversation: { id: conversation }, user: { id: 'u1' }, bot: { id: 'bot' } } as never,
  );
  adapter.use(new MaskedTranscriptMiddleware(logger));
  return adapter;
}

const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Partial<Activity>[];

describe('the masked transcript logger', () => {
  it('masks the names a turn noted, wherever they appear in it, besides phone numbers; the event that starts a proactive message is not kept', async () => {
    const dir = join(scratchDir('support-'), 'transcripts');
    const logger = newLogger(dir);
    const adapter = chat(logger, 'wc-1');
    await adapter.send('I am James Miller');
    await adapter.receiveActivity({ type: 'event', name: 'ContinueConversation' });
    await logger.close();

    const text = readFileSync(join(dir, 'webchat_wc-1.transcript'), 'utf8');
    expect(text).not.toContain('James Miller');
    expect(text).not.toContain('415 555 0188');
    const kept = read(join(dir, 'webchat_wc-1.transcript'));
    expect(kept.map((a) => [a.type, a.from?.role, a.text])).toEqual([
      ['message', 'user', 'I am [name]'],
      ['message', 'bot', 'Thank you, [name], you are verified. Your code went to +1 415****0188.'],
      ['message', 'bot', 'Thank you, [name], you are verified. Your code went to +1 415****0188.'],
    ]);
    expect(kept[1].suggestedActions?.actions[0].title).toBe('Not [name]?');
    expect(kept.every((a) => a.timestamp !== undefined)).toBe(true);
  });

  it('writes transcripts for the service’s user alone (file 600, new folder 700), and narrows those an earlier version left readable', async () => {
    const dir = join(scratchDir('support-'), 'transcripts');
    mkdirSync(dir);
    writeFileSync(join(dir, 'webchat_old.transcript'), '[]');
    chmodSync(join(dir, 'webchat_old.transcript'), 0o644);
    // A temp file left by a crash of an earlier version: written over, it must not keep its mode.
    writeFileSync(join(dir, 'webchat_wc-2.transcript.tmp'), '[]');
    chmodSync(join(dir, 'webchat_wc-2.transcript.tmp'), 0o644);
    const logger = newLogger(dir);
    await logger.purgeOld();
    await chat(logger, 'wc-2').send('hello');
    await logger.close();

    const modes = Object.fromEntries(readdirSync(dir).map((f) => [f, statSync(join(dir, f)).mode & 0o777]));
    expect(modes).toEqual({ 'webchat_old.transcript': 0o600, 'webchat_wc-2.transcript': 0o600 });

    const fresh = join(scratchDir('support-'), 'new', 'transcripts');
    const other = newLogger(fresh);
    await chat(other, 'wc-3').send('hello');
    await other.close();
    expect(statSync(fresh).mode & 0o777).toBe(0o700);
    expect(statSync(join(fresh, 'webchat_wc-3.transcript')).mode & 0o777).toBe(0o600);
  });
});

describe('a support transcript', () => {
  it('keeps a message longer than the bot reads shortened, with a note in its language, and the member is told it is too long', async () => {
    const dir = scratchDir('support-');
    const c = await conversation({ locale: 'zh-CN', config: { TRANSCRIPTS_DIR: dir } });
    const replies = await c.say(`我的手机号是13812345678${'长'.repeat(250_000)}`);
    expect(replies.map((r) => r.text)).toEqual(['这条消息太长了，请发一条短一些的。']);
    await c.app.close();

    const [file] = readdirSync(dir);
    const activities = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Activity[];
    const said = activities.find((a) => a.from.role === 'user')!.text;
    expect(said).toBe(
      `我的手机号是138****5678${'长'.repeat(KEPT_OF_TOO_LONG - 17)}……（已截断：原消息共250,017个字符，超出了我能读取的长度）`,
    );
    expect(statSync(join(dir, file)).size).toBeLessThan(10_000);
  });
});
