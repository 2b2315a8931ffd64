import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Activity } from 'botbuilder';
import { KEPT_OF_TOO_LONG } from '../../src/i18n/keptText.js';
import { conversation } from '../support/conversation.js';
import { scratchDir } from '../support/testConfig.js';

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
