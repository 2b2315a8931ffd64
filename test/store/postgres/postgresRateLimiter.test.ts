import pg from 'pg';
import { PostgresRateLimiter } from '../../../src/store/postgres/postgresRateLimiter.js';
import { migratedDatabase } from '../../support/postgresSchema.js';

describe('PostgresRateLimiter', () => {
  let url: string;
  const pools: pg.Pool[] = [];
  /** The library reads Date.now for its windows; the tests move it by hand. */
  let now = Date.parse('2026-11-24T08:00:00Z');

  function pool(): pg.Pool {
    const created = new pg.Pool({ connectionString: url, max: 4 });
    pools.push(created);
    return created;
  }

  async function takes(limiters: PostgresRateLimiter[], key: string, n: number): Promise<boolean[]> {
    const answers: boolean[] = [];
    for (let i = 0; i < n; i++) answers.push(await limiters[i % limiters.length].take(key));
    return answers;
  }

  beforeAll(async () => {
    url = await migratedDatabase();
    jest.spyOn(Date, 'now').mockImplementation(() => now);
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await Promise.all(pools.map((p) => p.end()));
  });

  it('shares one budget per key between two instances, and starts a new one when the window ends', async () => {
    const [a, b] = [
      new PostgresRateLimiter(pool(), 'turns', 5, 60_000),
      new PostgresRateLimiter(pool(), 'turns', 5, 60_000),
    ];
    expect(await takes([a, b], 'webchat/c1', 7)).toEqual([true, true, true, true, true, false, false]);
    expect(await takes([b, a], 'webchat/c2', 1)).toEqual([true]);
    now += 59_999;
    expect(await takes([a, b], 'webchat/c1', 2)).toEqual([false, false]);
    now += 1;
    expect(await takes([b, a], 'webchat/c1', 6)).toEqual([true, true, true, true, true, false]);
  });

  it('counts simultaneous events exactly: of 40 at once over two instances, `limit` get through', async () => {
    const [a, b] = [
      new PostgresRateLimiter(pool(), 'burst', 12, 60_000),
      new PostgresRateLimiter(pool(), 'burst', 12, 60_000),
    ];
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).take('203.0.113.9')));
    expect(answers.filter(Boolean)).toHaveLength(12);
  });

  it('keeps the counts of limiters with different names apart, in the table the migration made', async () => {
    const shared = pool();
    const turns = new PostgresRateLimiter(shared, 'per-conversation', 1, 60_000);
    const requests = new PostgresRateLimiter(shared, 'per-address', 1, 60_000);
    expect(await turns.take('same key')).toBe(true);
    expect(await requests.take('same key')).toBe(true);
    expect(await turns.take('same key')).toBe(false);
    const { rows } = await shared.query<{ key: string; points: number }>(
      "SELECT key, points FROM rate_limits WHERE key LIKE '%same key' ORDER BY key",
    );
    expect(rows).toEqual([
      { key: 'per-address:same key', points: 1 },
      { key: 'per-conversation:same key', points: 2 },
    ]);
  });

  it('takes a key longer than 255 characters (a long conversation id)', async () => {
    const limiter = new PostgresRateLimiter(pool(), 'long', 1, 60_000);
    const key = `msteams/a:${'x'.repeat(400)}`;
    expect(await takes([limiter], key, 2)).toEqual([true, false]);
  });

  it('with a limit of 0 lets everything through and writes nothing', async () => {
    const shared = pool();
    const limiter = new PostgresRateLimiter(shared, 'unlimited', 0, 60_000);
    expect(await takes([limiter], 'k', 50)).toEqual(Array.from({ length: 50 }, () => true));
    const { rows } = await shared.query("SELECT 1 FROM rate_limits WHERE key LIKE 'unlimited:%'");
    expect(rows).toEqual([]);
  });
});
