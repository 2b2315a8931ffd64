import { migrate, pendingMigrations, SchemaOutdatedError } from './migrate.js';
import { checkReachable, createPool } from './pool.js';
import { PostgresRepository, type PostgresRepositoryOptions } from './postgresRepository.js';

/**
 * The repository the service runs on when DATABASE_URL is set: connects once (a wrong URL stops
 * the start with a DatabaseUnreachableError), then applies pending migrations (`migrate: 'auto'`)
 * or refuses an out-of-date schema (SchemaOutdatedError). Close it with `close()`.
 */
export async function openPostgresRepository(
  url: string,
  migrateMode: 'auto' | 'off',
  options: PostgresRepositoryOptions & { onIdleError?: (err: Error) => void; applied?: (names: string[]) => void } = {},
): Promise<PostgresRepository> {
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
  return new PostgresRepository(pool, options);
}
