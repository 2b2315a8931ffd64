import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { freshDatabase } from './postgres.js';

const MIGRATIONS = 'src/store/postgres/migrations';

/** A fresh database with the service's schema applied (every migration, in name order). */
export async function migratedDatabase(): Promise<string> {
  const url = await freshDatabase();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const name of readdirSync(MIGRATIONS)
      .filter((f) => f.endsWith('.sql'))
      .sort())
      await client.query(readFileSync(join(MIGRATIONS, name), 'utf8'));
  } finally {
    await client.end();
  }
  return url;
}
