import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MemoryStorage, type Storage } from 'botbuilder';
import pg from 'pg';
import { ManualClock } from '../../src/core/clock.js';
import { seededRandom } from '../../src/core/random.js';
import { KEPT_OF_TOO_LONG } from '../../src/i18n/keptText.js';
import { FieldCipher } from '../../src/privacy/fieldCipher.js';
import { startServer } from '../../src/server.js';
import { JsonStateStorage } from '../../src/store/json/jsonStateStorage.js';
import { PostgresStateStorage } from '../../src/store/postgres/postgresStateStorage.js';
import { SealedStateStorage } from '../../src/store/sealedStateStorage.js';
import { HISTORY_LIMIT, HISTORY_MAX_BYTES, WebChatHistory } from '../../src/web/webChatHistory.js';
import { createJsonApp } from '../support/jsonApp.js';
import { migratedDatabase } from '../support/postgresSchema.js';
import { TEST_INDEX_KEY, TEST_KEY } from '../support/sealer.js';
import { scratchDir, testConfig } from '../support/testConfig.js';

const stamp = (a: object, sequence: number) => ({ ...a, id: `a${sequence}` });
const member = { id: 'wu-1', name: '', role: 'user' };
const bot = { id: 'bot', name: 'Membership assistant', role: 'bot' };
const EN_NOTE = ' … [shortened: the message had 250,000 characters, more than I can read]';
const ZH_NOTE = '……（已截断：原消息共250,000个字符，超出了我能读取的长度）';

describe('web chat history', () => {
  it('keeps both of two appends that race on the same conversation, each with its own sequence number', async () => {
    const history = new WebChatHistory(new MemoryStorage(), 'en-US');
    await history.append('wc-1', [{ text: 'welcome' }], stamp);
    // Both read the same version; the second write is refused on its eTag and retried on the fresh copy.
    await Promise.all([
      history.append('wc-1', [{ text: 'turn' }], stamp),
      history.append('wc-1', [{ text: 'notification' }], stamp),
    ]);
    const kept = await history.read('wc-1');
    expect(kept.map((a) => a.text).sort()).toEqual(['notification', 'turn', 'welcome']);
    expect(new Set(kept.map((a) => a.id)).size).toBe(3);
  });

  it(`keeps the last ${HISTORY_LIMIT} activities, numbering on from the dropped ones`, async () => {
    const history = new WebChatHistory(new MemoryStorage(), 'en-US');
    for (let i = 0; i < HISTORY_LIMIT + 5; i++) await history.append('wc-1', [{ text: `m${i}` }], stamp);
    const kept = await history.read('wc-1');
    expect(kept).toHaveLength(HISTORY_LIMIT);
    expect(kept[0]).toEqual({ text: 'm5', id: 'a6' });
    expect(kept.at(-1)).toEqual({ text: `m${HISTORY_LIMIT + 4}`, id: `a${HISTORY_LIMIT + 5}` });
  });

  it("keeps a member's message longer than the bot reads as its beginning and a note in their language; 5,000 characters and the bot's words whole", async () => {
    const memory: Record<string, string> = {};
    const history = new WebChatHistory(new MemoryStorage(memory), 'zh-CN');
    const longest = 'y'.repeat(5000);
    const reply = 'z'.repeat(6000);
    const [en, zh, unsaid, whole, said] = await history.append(
      'wc-1',
      [
        { from: member, locale: 'en-US', text: 'x'.repeat(250_000) },
        { from: member, locale: 'zh-CN', text: '长'.repeat(250_000) },
        { from: member, text: 'x'.repeat(250_000) },
        { from: member, locale: 'en-US', text: longest },
        { from: bot, locale: 'en-US', text: reply },
      ],
      stamp,
    );
    expect(en.text).toBe(`${'x'.repeat(KEPT_OF_TOO_LONG)}${EN_NOTE}`);
    expect(zh.text).toBe(`${'长'.repeat(KEPT_OF_TOO_LONG)}${ZH_NOTE}`);
    expect(unsaid.text).toBe(`${'x'.repeat(KEPT_OF_TOO_LONG)}${ZH_NOTE}`);
    expect(whole.text).toBe(longest);
    expect(said.text).toBe(reply);
    expect((await history.read('wc-1')).map((a) => a.text)).toEqual([en, zh, unsaid, whole, said].map((a) => a.text));
    expect(JSON.stringify(memory).length).toBeLessThan(20_000);
  });

  it('does not cut an emoji in half where it shortens', async () => {
    const history = new WebChatHistory(new MemoryStorage(), 'en-US');
    const text = `${'x'.repeat(KEPT_OF_TOO_LONG - 1)}${'😀'.repeat(3000)}`;
    const [kept] = await history.append('wc-1', [{ from: member, text }], stamp);
    expect(kept.text).toBe(
      `${'x'.repeat(KEPT_OF_TOO_LONG - 1)} … [shortened: the message had 6,999 characters, more than I can read]`,
    );
  });

  it(`keeps at most ${HISTORY_MAX_BYTES / 1024} KB of history, however long the messages: the oldest drop off, the newest stay`, async () => {
    const history = new WebChatHistory(new MemoryStorage(), 'zh-CN');
    // 5,000 Chinese characters: read by the bot, so kept whole, 15,000 bytes each.
    for (let i = 0; i < 60; i++)
      await history.append('wc-1', [{ from: member, text: `${i}`.padEnd(5000, '长') }], stamp);
    const kept = await history.read('wc-1');
    expect(Buffer.byteLength(JSON.stringify(kept))).toBeLessThanOrEqual(HISTORY_MAX_BYTES);
    expect(kept.length).toBeGreaterThan(5);
    expect(kept.at(-1)).toMatchObject({ id: 'a60', text: '59'.padEnd(5000, '长') });
    expect(kept[0].id).toBe(`a${61 - kept.length}`);
    const next = await history.append('wc-1', [{ text: 'after' }], stamp);
    expect(next[0].id).toBe('a61');
  });
});

describe('web chat history over HTTP, in the state file', () => {
  it('answers an oversized message with "too long", shows it shortened, and stores a few KB for it, not its size', async () => {
    const config = testConfig({ WEBCHAT_TOKEN_SECRET: 'w'.repeat(32) });
    const clock = new ManualClock('2026-11-24T02:00:00.000Z');
    const app = await createJsonApp(config, { clock, random: seededRandom(11) });
    const running = await startServer(app, 0, '127.0.0.1');
    const call = async (path: string, token?: string, body?: unknown) => {
      const res = await fetch(`${running.url}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as any };
    };
    let session: any;
    try {
      session = (await call('/webchat/api/conversations', undefined, {})).body;
      const path = `/webchat/api/conversations/${session.conversationId}/activities`;
      for (let i = 0; i < 4; i++) {
        const answer = await call(path, session.token, { type: 'message', locale: 'en-US', text: 'x'.repeat(250_000) });
        expect(answer.status).toBe(200);
        const [echo, ...replies] = answer.body.activities;
        expect(echo.text).toBe(`${'x'.repeat(KEPT_OF_TOO_LONG)}${EN_NOTE}`);
        expect(replies[0].text).toBe('That message is too long for me. Please send a shorter one.');
      }
      const shown = await call(path, session.token);
      expect(shown.status).toBe(200);
      expect(shown.body.activities.filter((a: any) => a.text.endsWith(EN_NOTE))).toHaveLength(4);
    } finally {
      await running.shutdown();
    }
    // Each such message adds about 2.2 KB sealed (the kept characters, the note and the reply); it
    // added 334 KB, the whole message sealed, and the journal took the whole history at each write.
    const snapshot = JSON.parse(readFileSync(config.STATE_FILE, 'utf8')) as {
      items: Record<string, { value: { sealed: string } }>;
    };
    expect(snapshot.items[`webchat/history/${session.conversationId}`].value.sealed.length).toBeLessThan(12_000);
    expect(statSync(config.STATE_FILE).size + statSync(`${config.STATE_FILE}.journal`).size).toBeLessThan(100_000);
  });
});

/** One instance's conversation state, sealed as the service keeps it; `close` ends it like a stop. */
interface StateInstance {
  storage: Storage;
  close(): Promise<void>;
}

const cipher = new FieldCipher([TEST_KEY], TEST_INDEX_KEY);
const clock = new ManualClock('2026-11-24T02:00:00.000Z');

const ENGINES: [string, () => Promise<() => Promise<StateInstance>>][] = [
  [
    'the JSON state file',
    async () => {
      const file = join(scratchDir(), 'state.json');
      return async () => {
        const inner = await JsonStateStorage.open(file, clock, 30);
        return { storage: new SealedStateStorage(inner, cipher), close: () => inner.close() };
      };
    },
  ],
  [
    'PostgreSQL',
    async () => {
      const url = await migratedDatabase();
      return async () => {
        const pool = new pg.Pool({ connectionString: url, max: 2 });
        const inner = new PostgresStateStorage(pool, clock, 30);
        return { storage: new SealedStateStorage(inner, cipher), close: () => pool.end() };
      };
    },
  ],
];

describe.each(ENGINES)('an erasure’s web chat history over %s', (_name, engine) => {
  it('empties and closes the page’s conversations, numbering on, for every instance and after a restart; another channel’s has no history to close', async () => {
    const open = await engine();
    const first = await open();
    const history = new WebChatHistory(first.storage, 'en-US');
    await history.append(
      'wc-1',
      [{ text: 'Thank you, James Miller, you are verified.' }, { text: 'Name: James Miller' }],
      stamp,
    );
    await history.append('wc-2', [{ text: 'welcome' }], stamp);

    expect(await history.forget(['wc-1', 'emulator-7'])).toEqual(['wc-1']);
    expect(await history.read('wc-1')).toEqual([]);
    expect(await history.isClosed('wc-1')).toBe(true);
    expect(await history.isClosed('wc-2')).toBe(false);
    // The erasure's own reply still reaches the page: numbering goes on after what was there.
    expect(await history.append('wc-1', [{ text: 'Done. Erased for good:' }], stamp)).toEqual([
      { text: 'Done. Erased for good:', id: 'a3' },
    ]);
    await first.close();

    const restarted = await open();
    const again = new WebChatHistory(restarted.storage, 'en-US');
    expect(await again.isClosed('wc-1')).toBe(true);
    expect(JSON.stringify(await again.read('wc-1'))).not.toContain('James Miller');
    expect(await again.read('wc-2')).toEqual([{ text: 'welcome', id: 'a1' }]);
    expect(await again.isClosed('emulator-7')).toBe(false);
    await restarted.close();
  });
});
