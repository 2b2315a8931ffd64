import { join } from 'node:path';
import { MemoryStorage, type Storage } from 'botbuilder';
import pg from 'pg';
import { ManualClock } from '../../src/core/clock.js';
import { FieldCipher } from '../../src/privacy/fieldCipher.js';
import { JsonStateStorage } from '../../src/store/jsonStateStorage.js';
import { PostgresStateStorage } from '../../src/store/postgres/postgresStateStorage.js';
import { SealedStateStorage } from '../../src/store/sealedStateStorage.js';
import { HISTORY_LIMIT, WebChatHistory } from '../../src/web/webChatHistory.js';
import { migratedDatabase } from '../support/postgresSchema.js';
import { TEST_INDEX_KEY, TEST_KEY } from '../support/sealer.js';
import { scratchDir } from '../support/testConfig.js';

const stamp = (a: object, sequence: number) => ({ ...a, id: `a${sequence}` });

describe('web chat history', () => {
  it('keeps both of two appends that race on the same conversation, each with its own sequence number', async () => {
    const history = new WebChatHistory(new MemoryStorage());
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
    const history = new WebChatHistory(new MemoryStorage());
    for (let i = 0; i < HISTORY_LIMIT + 5; i++) await history.append('wc-1', [{ text: `m${i}` }], stamp);
    const kept = await history.read('wc-1');
    expect(kept).toHaveLength(HISTORY_LIMIT);
    expect(kept[0]).toEqual({ text: 'm5', id: 'a6' });
    expect(kept.at(-1)).toEqual({ text: `m${HISTORY_LIMIT + 4}`, id: `a${HISTORY_LIMIT + 5}` });
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
    const history = new WebChatHistory(first.storage);
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
    const again = new WebChatHistory(restarted.storage);
    expect(await again.isClosed('wc-1')).toBe(true);
    expect(JSON.stringify(await again.read('wc-1'))).not.toContain('James Miller');
    expect(await again.read('wc-2')).toEqual([{ text: 'welcome', id: 'a1' }]);
    expect(await again.isClosed('emulator-7')).toBe(false);
    await restarted.close();
  });
});
