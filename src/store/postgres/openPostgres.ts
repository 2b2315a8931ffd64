import type pg from 'pg';
import { migrate, pendingMigrations, SchemaOutdatedError } from './migrate.js';
import { checkReachable, createPool } from './pool.js';
import { PostgresRepository, type PostgresRepositoryOptions } from './postgresRepository.js';

/**
 * Connections that only serve turn locks (PostgresTurnLock): one session holds this instance's
 * uncontended locks, and a turn waiting for another instance's takes one of the rest. Apart from
 * the query pool, so that waiting turns never take the connections running turns need.
 */
export const LOCK_POOL_MAX = 8;

export interface OpenedPostgres {
  /** The query pool: the repository's, the conversation state's and the rate limits'. */
  pool: pg.Pool;
  lockPool: pg.Pool;
  repository: PostgresRepository;
}

/**
 * What the service runs on when DATABASE_URL is set: connects once (a wrong URL stops the start
 * with a DatabaseUnreachableError), then applies pending migrations (`migrate: 'auto'`) or
 * refuses an out-of-date schema (SchemaOutdatedError). `repository.close()` ends the query pool;
 * end the lock pool after it.
 */
export async function openPostgres(
  url: string,
  migrateMode: 'auto' | 'off',
  options: PostgresRepositoryOptions & { onIdleError?: (err: Error) => void; applied?: (names: string[]) => void } = {},
): Promise<OpenedPostgres> {
  const pool = createPool(url, { onIdleError: options.onIdleError });
  try {
    await checkReachable(pool, url);
    if (migrateMode === 'auto') {
      const applied = await migrate(pool);
      if (applied.length) options.applied?.(applied);
    } else {
      const pending = await pendingMigrations(pool);
      if (pending.length) throw new SchemaOutdatedError(pending);
    }
  } catch (err) {
    await pool.end();
    throw err;
  }
  const lockPool = createPool(url, {
    max: LOCK_POOL_MAX,
    applicationName: 'membership-assistant turn locks',
    onIdleError: options.onIdleError,
  });
  return { pool, lockPool, repository: new PostgresRepository(pool, options) };
}
