import pg from 'pg';
import { migrate } from '../../src/store/postgres/migrate.js';
import { freshDatabase } from './postgres.js';

/** A fresh database with the service's schema applied by its own migration runner. */
export async function migratedDatabase(): Promise<string> {
  const url = await freshDatabase();
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  try {
    await migrate(pool);
  } finally {
    await pool.end();
  }
  return url;
}
