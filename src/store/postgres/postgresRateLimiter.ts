import type pg from 'pg';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimiter } from '../../core/rateLimiter.js';
import { withDeadline } from './pool.js';

/** The table of migration 0003_rate_limits.sql, shared by every limiter (their keys are prefixed by name). */
const TABLE = 'rate_limits';
/** How long a check waits for the database before this instance counts in its own memory instead. */
export const LIMIT_DEADLINE_MS = 1_000;

/**
 * A RateLimiter whose counts every instance shares, on rate-limiter-flexible's RateLimiterPostgres
 * over the query pool: one upsert per event, counted by the database, so `limit` holds across
 * instances. Same rule as InMemoryRateLimiter: at most `limit` events per key in a window that
 * starts at the key's first event; 0 means no limit.
 *
 * - The table comes from the migrations (tableCreated), so no instance runs DDL at start.
 * - A key over its limit is also refused in this process's memory until its window ends, so a
 *   client flooding one instance costs the database one query per window, not one per request.
 * - While the database cannot be reached, each instance counts in its own memory (insurance
 *   limiter) rather than refusing everyone or letting everything through. A check the database
 *   has not answered in LIMIT_DEADLINE_MS counts so too: every request checks a limit before
 *   anything else, and must not spend the turn's deadline waiting for it.
 * - Windows run on the system clock: the library reads Date.now.
 */
export class PostgresRateLimiter implements RateLimiter {
  private readonly limiter: RateLimiterPostgres | null;

  /** `name` keeps this limiter's keys apart from the other limiters' in the shared table. */
  constructor(pool: pg.Pool, name: string, limit: number, windowMs: number) {
    if (limit <= 0) {
      this.limiter = null;
      return;
    }
    const window = { keyPrefix: name, points: limit, duration: windowMs / 1000 };
    this.limiter = new RateLimiterPostgres({
      ...window,
      storeClient: deadlined(pool, LIMIT_DEADLINE_MS),
      storeType: 'pool',
      tableName: TABLE,
      tableCreated: true,
      inMemoryBlockOnConsumed: limit + 1,
      insuranceLimiter: new RateLimiterMemory(window),
    });
  }

  async take(key: string): Promise<boolean> {
    if (!this.limiter) return true;
    try {
      await this.limiter.consume(key);
      return true;
    } catch (refusal) {
      if (refusal instanceof RateLimiterRes) return false;
      throw refusal;
    }
  }
}

/** The query pool as the limiter uses it (storeType 'pool': query only), each query given up on after `ms`. */
function deadlined(pool: pg.Pool, ms: number): Pick<pg.Pool, 'query'> {
  const query = (config: pg.QueryConfig) => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`the database did not answer a rate limit's check within ${ms} ms`)),
        ms,
      );
    });
    return Promise.race([pool.query(withDeadline(config, ms)), late]).finally(() => clearTimeout(timer));
  };
  return { query } as unknown as Pick<pg.Pool, 'query'>;
}
