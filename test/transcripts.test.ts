import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Activity } from 'botbuilder';
import { languageOf as readAs } from '../src/i18n/languages.js';
import { writtenLanguage } from '../src/nlu/language.js';

/** The language a reply is in, whatever its script (a traditional journey is a Chinese one). */
const languageOf = (text: string) => {
  const written = writtenLanguage(text)?.locale;
  return written ? readAs(written) : null;
};
import { replay } from './transcripts/transcriptPlayer.js';

const DIR = 'test/transcripts';
const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.transcript'))
  .sort();
const load = (file: string) => JSON.parse(readFileSync(join(DIR, file), 'utf8')) as Partial<Activity>[];
const sidecar = (file: string) => {
  const path = join(DIR, file.replace(/\.transcript$/, '.expect.json'));
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : undefined;
};

describe('Emulator transcripts', () => {
  it('cover at least 24 scenarios, at least 10 in each language', () => {
    expect(files.length).toBeGreaterThanOrEqual(24);
    expect(files.filter((f) => f.startsWith('zh-')).length).toBeGreaterThanOrEqual(10);
    expect(files.filter((f) => f.startsWith('en-')).length).toBeGreaterThanOrEqual(10);
  });

  it.each(files)('%s replays against the bot', async (file) => {
    await replay(file.replace(/\.transcript$/, ''), load(file), sidecar(file));
  });

  it.each(files)('%s opens in the Emulator: every activity has the fields it reads', (file) => {
    for (const a of load(file)) {
      expect(a).toEqual(
        expect.objectContaining({ type: expect.any(String), timestamp: expect.any(String), channelId: 'emulator' }),
      );
      expect(['user', 'bot']).toContain(a.from?.role);
      expect(a.from).toEqual(expect.objectContaining({ id: expect.any(String), name: expect.any(String) }));
      expect(a.recipient?.id).toEqual(expect.any(String));
      expect(a.conversation?.id).toEqual(expect.any(String));
    }
  });

  it('the bot answers in the language the scenario is named for', () => {
    for (const file of files) {
      const firstReply = load(file).find((a) => a.from?.role === 'bot' && a.type === 'message');
      expect([file, languageOf(firstReply?.text ?? '')]).toEqual([file, file.startsWith('zh-') ? 'zh-CN' : 'en-US']);
    }
  });

  it('fails, naming the scenario and step with a diff, when a transcript is altered', async () => {
    const file = 'zh-cancel-at-period-end.transcript';
    const altered = load(file);
    const index = altered.findIndex((a) => a.from?.role === 'bot' && (a.text ?? '').includes('验证码'));
    altered[index] = { ...altered[index], text: `${altered[index].text}（改动）` };
    await expect(replay('zh-cancel-at-period-end', altered)).rejects.toThrow(
      new RegExp(`Transcript "zh-cancel-at-period-end", step ${index}: the bot's reply differs[\\s\\S]*改动`),
    );
  });

  it('fails when a quick reply is altered, and when the store is not as expected', async () => {
    const altered = load('en-host-token-skips-verification.transcript');
    const withChoices = altered.find((a) => a.suggestedActions?.actions.length)!;
    withChoices.suggestedActions!.actions[0].title = 'Something else';
    await expect(replay('en-host-token-skips-verification', altered)).rejects.toThrow(
      /step \d+: the bot's reply differs/,
    );
    await expect(
      replay('en-host-token-skips-verification', load('en-host-token-skips-verification.transcript'), {
        memberships: { 'ms-2007': { status: 'active' } },
      }),
    ).rejects.toThrow('membership ms-2007.status: expected "active", found "pending_cancel"');
  });
});
