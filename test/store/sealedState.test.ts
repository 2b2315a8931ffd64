import { existsSync, readFileSync } from 'node:fs';
import { TestAdapter } from 'botbuilder';
import { ManualClock } from '../../src/core/clock.js';
import { seededRandom } from '../../src/core/random.js';
import { FieldCipher } from '../../src/privacy/fieldCipher.js';
import { JsonStateStorage } from '../../src/store/json/jsonStateStorage.js';
import { SealedStateStorage } from '../../src/store/sealedStateStorage.js';
import { createApp, type App } from '../../src/app.js';
import { createJsonApp } from '../support/jsonApp.js';
import { openedOutbox } from '../support/openedRecords.js';
import { TEST_INDEX_KEY, TEST_KEY } from '../support/sealer.js';
import { testConfig } from '../support/testConfig.js';
import { PG_KEY_SETTINGS, rawQuery, seededDatabase } from './postgres/postgresFixture.js';

const NOW = '2026-11-24T02:00:00.000Z';

/** The state file and its journal as they are on disk now. */
const stateOnDisk = (file: string) =>
  [file, `${file}.journal`]
    .filter(existsSync)
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n');

function channel(app: App) {
  const adapter = new TestAdapter(async (context) => app.bot.run(context), {
    channelId: 'emulator',
    conversation: { id: 'conv-sealed' },
    user: { id: 'user-sealed', role: 'user' },
    bot: { id: 'bot', role: 'bot' },
    locale: 'zh-CN',
  } as never);
  adapter.onTurnError = app.onTurnError;
  return async (text: string): Promise<string> => {
    await adapter.receiveActivity({ type: 'message', text });
    const replies: string[] = [];
    while (adapter.activeQueue.length) replies.push(adapter.activeQueue.shift()!.text ?? '');
    return replies.join('\n');
  };
}

describe('conversation state at rest', () => {
  it('holds the typed number and the greeting by name sealed, and a restarted service resumes the conversation from it', async () => {
    const config = testConfig();
    const clock = new ManualClock(NOW);
    const open = () => createJsonApp(config, { clock, random: seededRandom(3), deliverOnCommit: false });
    const app = await open();
    const say = channel(app);
    await say('我想取消会员');
    expect(await say('我的手机号是 138 1234 5678')).toContain('验证码');
    const code = /\d{6}/.exec((await openedOutbox(app.store, app.repository)).at(-1)!.text)![0];
    await app.store.settled();
    const raw = stateOnDisk(config.STATE_FILE);
    expect(raw).toContain('"sealed":"pd1.');
    for (const personal of ['13812345678', '138 1234 5678', '+8613812345678']) expect(raw).not.toContain(personal);

    // The restarted service opens the sealed state and resumes at the code prompt.
    const restarted = await (async () => {
      await app.close();
      return open();
    })();
    expect(await channel(restarted)(code)).toContain('张伟，验证成功。');
    await restarted.close();
    const after = stateOnDisk(config.STATE_FILE);
    expect(after).not.toContain('13812345678');
    expect(after).not.toContain('张伟');
  });

  it('on PostgreSQL too: the state rows hold the typed number sealed, and another instance resumes from them', async () => {
    const url = await seededDatabase();
    const clock = new ManualClock(NOW);
    const open = (seed: number) =>
      createApp(testConfig({ DATABASE_URL: url, ...PG_KEY_SETTINGS }), {
        clock,
        random: seededRandom(seed),
        deliverOnCommit: false,
      });
    const first = await open(3);
    const say = channel(first);
    await say('我想取消会员');
    await say('我的手机号是 138 1234 5678');
    const code = /\d{6}/.exec((await first.repository.outboxOf('m-1001')).at(-1)!.text)![0];
    const rows = JSON.stringify(await rawQuery(url, 'SELECT key, state FROM conversation_state'));
    expect(rows).toContain('pd1.');
    expect(rows).not.toContain('13812345678');
    const second = await open(4);
    expect(await channel(second)(code)).toContain('张伟，验证成功。');
    await Promise.all([first.close(), second.close()]);
  });

  it('reads a state written before sealing as it is, seals it when written, and sets aside a state moved to another conversation', async () => {
    const inner = await JsonStateStorage.open(null, new ManualClock(NOW), 30);
    const sealed = new SealedStateStorage(inner, new FieldCipher([TEST_KEY], TEST_INDEX_KEY));
    const plain = { dialogState: { identifier: '+8613812345678' } };
    await inner.write({ 'emulator/conversations/a': plain });

    expect(await sealed.read(['emulator/conversations/a'])).toEqual({
      'emulator/conversations/a': { ...plain, eTag: expect.any(String) },
    });
    const { eTag } = (await sealed.readText('emulator/conversations/a'))!;
    await sealed.writeText('emulator/conversations/a', JSON.stringify(plain), eTag);
    const stored = (await inner.readText('emulator/conversations/a'))!;
    expect(stored.json).toMatch(/^\{"sealed":"pd1\.test-1\.[\w-]+"\}$/);
    expect((await sealed.readText('emulator/conversations/a'))!.json).toBe(JSON.stringify(plain));

    // Through the Storage interface too, eTag kept apart from what is sealed.
    await sealed.write({ 'emulator/conversations/b': { history: ['您好，张伟'], eTag: '*' } });
    expect(JSON.stringify(await inner.read(['emulator/conversations/b']))).not.toContain('张伟');
    expect((await sealed.read(['emulator/conversations/b']))['emulator/conversations/b']).toMatchObject({
      history: ['您好，张伟'],
    });

    // Moved to another conversation it does not open there: set aside, and that conversation starts afresh.
    await inner.writeText('emulator/conversations/c', stored.json, null);
    expect(await sealed.readText('emulator/conversations/c')).toBeUndefined();
    expect((await inner.readText('set-aside/emulator/conversations/c'))!.json).toBe(stored.json);
  });

  it('lets the idle purge judge states opened', async () => {
    const inner = await JsonStateStorage.open(null, new ManualClock(NOW), 30);
    const sealed = new SealedStateStorage(inner, new FieldCipher([TEST_KEY], TEST_INDEX_KEY));
    await sealed.write({ k: { verified: true } });
    const judged: unknown[] = [];
    const judge = sealed.judgingOpened((value) => {
      judged.push(value);
      return true;
    });
    const [[key, value]] = Object.entries(await inner.read(['k']));
    const { eTag: _eTag, ...stored } = value as Record<string, unknown>;
    expect(judge(stored, key)).toBe(true);
    expect(judged).toEqual([{ verified: true }]);
  });
});
