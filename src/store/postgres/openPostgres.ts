import type pg from 'pg';
import type { RecordSealer } from '../sealedRecords.js';
import { checkKeysFit } from './keyFit.js';
import { checkReachable, createPool, type DatabaseDeadlines } from './pool.js';
import { PostgresRepository, type PostgresRepositoryOptions } from './postgresRepository.js';
import type { RowCounts } from './sealRows.js';
import { requireCurrent, upgradeDatabase } from './upgrade.js';

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

export interface OpenPostgresOptions extends PostgresRepositoryOptions {
  /** Seals members and notices as they are written, opens them as they are read. */
  sealer: RecordSealer;
  /** How long a connection and a statement may wait for the database (DEFAULT_DEADLINES). */
  deadlines?: DatabaseDeadlines;
  onIdleError?: (err: Error) => void;
  /** Told the SQL files a start with DATABASE_MIGRATE=auto applied, if any. */
  applied?: (names: string[]) => void;
  /** Told how many rows in plain text a start with DATABASE_MIGRATE=auto sealed, if any. */
  sealed?: (counts: RowCounts) => void;
}

/**
 * What the service runs on when DATABASE_URL is set: connects once (a wrong URL stops the start
 * with a DatabaseUnreachableError), then applies pending migrations and seals rows left in plain
 * text (`migrate: 'auto'`), or refuses a database that needs either (SchemaOutdatedError, its
 * UnsealedDataError). Keys that do not fit the sealed rows stop it too (keyFit.ts). `repository.close()` ends the query pool; end the lock pool after it.
 */
export async function openPostgres(
  url: string,
  migrateMode: 'auto' | 'off',
  options: OpenPostgresOptions,
): Promise<OpenedPostgres> {
  const pool = createPool(url, { onIdleError: options.onIdleError, deadlines: options.deadlines });
  try {
    await checkReachable(pool, url);
    if (migrateMode === 'auto') {
      const { applied, sealed } = await upgradeDatabase(pool, options.sealer);
      if (applied.length) options.applied?.(applied);
      if (sealed.members || sealed.outbox) options.sealed?.(sealed);
    } else {
      await requireCurrent(pool);
      await checkKeysFit(pool, options.sealer);
    }
  } catch (err) {
    await pool.end();
    throw err;
  }
  const lockPool = createPool(url, {
    max: LOCK_POOL_MAX,
    applicationName: 'membership-assistant turn locks',
    onIdleError: options.onIdleError,
    deadlines: options.deadlines,
  });
  return { pool, lockPool, repository: new PostgresRepository(pool, options.sealer, options) };
}
