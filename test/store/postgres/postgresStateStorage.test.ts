import pg from 'pg';
import { ManualClock } from '../../../src/core/clock.js';
import { PostgresStateStorage } from '../../../src/store/postgres/postgresStateStorage.js';
import { StateConflictError, StateUnavailableError } from '../../../src/store/stateTextStorage.js';
import { migratedDatabase } from '../../support/postgresSchema.js';

const DAY = 24 * 3600 * 1000;

describe('PostgresStateStorage', () => {
  let url: string;
  const pools: pg.Pool[] = [];
  const clock = new ManualClock('2026-11-24T08:00:00Z');

  /** One instance's storage: a pool of its own on the shared database. */
  function instance(at = clock, idleDays = 30): { storage: PostgresStateStorage; pool: pg.Pool } {
    const pool = new pg.Pool({ connectionString: url, max: 4 });
    pools.push(pool);
    return { storage: new PostgresStateStorage(pool, at, idleDays), pool };
  }

  async function stored(
    pool: pg.Pool,
  ): Promise<Record<string, { etag: string; state: string; worth_keeping: boolean | null }>> {
    const { rows } = await pool.query<{ key: string; etag: string; state: string; worth_keeping: boolean | null }>(
      'SELECT key, etag, state, worth_keeping FROM conversation_state ORDER BY key',
    );
    return Object.fromEntries(rows.map(({ key, ...rest }) => [key, rest]));
  }

  beforeAll(async () => {
    url = await migratedDatabase();
  });
  beforeEach(async () => {
    const { pool } = instance();
    await pool.query('TRUNCATE conversation_state');
  });
  afterAll(async () => {
    await Promise.all(pools.map((pool) => pool.end()));
  });

  it('says the state is unavailable, as a typed error, when the database cannot be reached', async () => {
    const { storage } = instance();
    await storage.writeText('k', '{"n":1}', null);
    // Another instance's view of a database that went away: nothing listens on its port.
    const down = new PostgresStateStorage(
      new pg.Pool({ connectionString: 'postgres://nobody@127.0.0.1:1/none', max: 1 }),
      clock,
      30,
    );
    await expect(down.readText('k')).rejects.toBeInstanceOf(StateUnavailableError);
    await expect(down.writeText('k', '{}', '*')).rejects.toThrow(
      /cannot be read or saved now.*database is running and reachable/,
    );
    await expect(down.read(['k'])).rejects.toBeInstanceOf(StateUnavailableError);
    // A storage whose database answers is unaffected.
    expect((await storage.readText('k'))?.json).toBe('{"n":1}');
  });

  it('reads back what was written, with an eTag, as fresh copies', async () => {
    const { storage } = instance();
    const written = { dialog: { stack: ['a'] }, locale: 'zh-CN' };
    await storage.write({ 'conv/1': written });
    written.dialog.stack.push('changed after the write');
    const items = await storage.read(['conv/1', 'missing']);
    expect(items).toEqual({ 'conv/1': { dialog: { stack: ['a'] }, locale: 'zh-CN', eTag: expect.any(String) } });
    items['conv/1'].dialog.stack.push('changed after the read');
    expect((await storage.read(['conv/1']))['conv/1'].dialog).toEqual({ stack: ['a'] });
    expect(await storage.read([])).toEqual({});
  });

  it('keeps the state as the very text handed over, and hands it back as such', async () => {
    const { storage, pool } = instance();
    const json = '{"note":"引号 \\"quoted\\" and a NUL \\u0000","b":1,"a":2}';
    const eTag = await storage.writeText('k', json, null);
    expect(await storage.readText('k')).toEqual({ eTag, json });
    expect((await stored(pool)).k).toEqual({ etag: eTag, state: json, worth_keeping: null });
    expect(await storage.readText('missing')).toBeUndefined();
  });

  it('rejects a write carrying a stale eTag and keeps the newer value; "*" or no eTag writes regardless', async () => {
    const { storage } = instance();
    await storage.write({ k: { v: 1 } });
    const first = (await storage.read(['k'])).k;
    await storage.write({ k: { ...first, v: 2 } });
    await expect(storage.write({ k: { ...first, v: 3 } })).rejects.toThrow(
      'Storage: error writing "k" due to eTag conflict.',
    );
    await expect(storage.write({ k: { ...first, v: 3 } })).rejects.toThrow(StateConflictError);
    expect((await storage.read(['k'])).k.v).toBe(2);
    await storage.write({ k: { v: 4, eTag: '*' } });
    expect((await storage.read(['k'])).k.v).toBe(4);
    await storage.write({ k: { v: 5 } });
    expect((await storage.read(['k'])).k.v).toBe(5);
    // As MemoryStorage: an item with an eTag whose key holds nothing is created.
    await storage.write({ fresh: { v: 1, eTag: 'from an earlier read' } });
    expect((await storage.read(['fresh'])).fresh.v).toBe(1);
  });

  it('writes all items of a batch or none when one of them conflicts', async () => {
    const { storage } = instance();
    await storage.write({ a: { v: 1 }, b: { v: 1 } });
    await expect(storage.write({ a: { v: 2 }, b: { v: 2, eTag: 'stale' }, c: { v: 2 } })).rejects.toThrow(
      StateConflictError,
    );
    const items = await storage.read(['a', 'b', 'c']);
    expect([items.a.v, items.b.v, items.c]).toEqual([1, 1, undefined]);
  });

  it('writes text only over the eTag it expects: the one read, nothing stored (null), or any ("*")', async () => {
    const { storage } = instance();
    const first = await storage.writeText('k', '{"v":1}', null);
    await expect(storage.writeText('k', '{"v":"again"}', null)).rejects.toThrow(StateConflictError);
    const second = await storage.writeText('k', '{"v":2}', first);
    await expect(storage.writeText('k', '{"v":"stale"}', first)).rejects.toThrow(StateConflictError);
    await expect(storage.writeText('gone', '{"v":1}', second)).rejects.toThrow(StateConflictError);
    expect(await storage.readText('k')).toEqual({ eTag: second, json: '{"v":2}' });
    expect(await storage.readText('gone')).toBeUndefined();
    const third = await storage.writeText('k', '{"v":3}', '*');
    expect(await storage.readText('k')).toEqual({ eTag: third, json: '{"v":3}' });
    await storage.delete(['k', 'never there']);
    expect(await storage.readText('k')).toBeUndefined();
  });

  it('lets exactly one of many simultaneous writes over the same eTag through, across two instances', async () => {
    const [a, b] = [instance(), instance()];
    const base = await a.storage.writeText('k', '{"n":0}', null);
    const attempts = Array.from({ length: 20 }, (_, i) =>
      (i % 2 ? a : b).storage.writeText('k', `{"n":${i + 1}}`, base).then(
        (eTag) => ({ i, eTag }),
        (err: unknown) => err,
      ),
    );
    const results = await Promise.all(attempts);
    const won = results.filter((r): r is { i: number; eTag: string } => !(r instanceof Error));
    expect(won).toHaveLength(1);
    expect(results.filter((r) => r instanceof StateConflictError)).toHaveLength(19);
    expect(await b.storage.readText('k')).toEqual({ eTag: won[0].eTag, json: `{"n":${won[0].i + 1}}` });

    const creations = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).storage.writeText('new', `{"by":${i}}`, null)),
    );
    expect(creations.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });

  it('purges conversations idle past the period, and after a day those not worth keeping, reading each once', async () => {
    const local = new ManualClock('2026-11-01T00:00:00Z');
    const { storage, pool } = instance(local, 7);
    const chose = JSON.stringify({ conversationData: { localeChosen: true } });
    const said = JSON.stringify({ conversationData: { localeChosen: false } });
    await storage.writeText('old-chose', chose, null);
    local.advance(6 * DAY);
    await storage.writeText('chose', chose, null);
    await storage.writeText('said-hello', said, null);
    const rewritten = await storage.writeText('chose-then-not', chose, null);
    local.advance(2 * DAY);
    await storage.writeText('fresh', said, null);
    const worthKeeping = jest.fn((value: Record<string, unknown>) => {
      return (value.conversationData as { localeChosen?: boolean }).localeChosen === true;
    });

    expect(await storage.purgeIdle(worthKeeping)).toBe(2); // old-chose (8 days idle), said-hello
    expect(worthKeeping).toHaveBeenCalledTimes(3); // chose, said-hello, chose-then-not; not fresh, not old-chose
    expect(await stored(pool)).toEqual({
      chose: expect.objectContaining({ worth_keeping: true }),
      'chose-then-not': expect.objectContaining({ worth_keeping: true }),
      fresh: expect.objectContaining({ worth_keeping: null }),
    });

    // Judged states are not read again; a write makes its state unjudged.
    await storage.writeText('chose-then-not', said, rewritten);
    local.advance(5 * DAY + 1);
    worthKeeping.mockClear();
    expect(await storage.purgeIdle(worthKeeping)).toBe(3); // chose (over 7 days idle), chose-then-not, fresh
    expect(worthKeeping).toHaveBeenCalledTimes(2);
    expect(await stored(pool)).toEqual({});
  });

  it('purges many at once in batches, two instances sharing the work without counting a row twice', async () => {
    const local = new ManualClock('2026-11-01T00:00:00Z');
    const [a, b] = [instance(local, 7), instance(local, 7)];
    await a.pool.query(
      `INSERT INTO conversation_state (key, etag, state, updated_at)
       SELECT 'c' || i, 'e', CASE WHEN i % 3 = 0 THEN '{"keep":true}' ELSE '{}' END, $1::timestamptz - (i % 10) * interval '1 day'
       FROM generate_series(1, 3000) AS i`,
      [local.now()],
    );
    const keep = (value: Record<string, unknown>) => value.keep === true;
    const [byA, byB] = await Promise.all([a.storage.purgeIdle(keep), b.storage.purgeIdle(keep)]);
    // Idle 0 or 1 day (not more than a day): 600 stay; idle 8 or 9 days: 600 go; idle 2 to 7 days:
    // 1,800 are read, of which a third are kept.
    const { rows } = await a.pool.query<{ n: string }>('SELECT count(*) AS n FROM conversation_state');
    expect(Number(rows[0].n)).toBe(600 + 600);
    expect(byA + byB).toBe(600 + 1200);
  });
});
