import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type pg from 'pg';
import { withClient } from './pool.js';

/**
 * The schema's SQL files, relative to the working directory as every file the service reads is
 * (dist/nlu-model.json, data/…): the same path serves ts-jest (src/), `node dist/src/…` and the
 * esbuild bundle dist/server.mjs, which cannot carry them, all started from the repository root.
 */
export const MIGRATIONS_DIR = 'src/store/postgres/migrations';

/** Any number; every instance of this service uses the same one, so their migrations take turns. */
const MIGRATION_LOCK = 7_341_150_901;

/** The migrations folder cannot be read, or a file applied earlier has been edited since. */
export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MigrationError';
  }
}

async function migrationFiles(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((name) => name.endsWith('.sql')).sort();
  } catch (err) {
    throw new MigrationError(
      `Cannot read the migrations in ${dir} (${(err as Error).message}); start the service from the repository root.`,
    );
  }
}

/** The schema is older than this code: nothing was changed. */
export class SchemaOutdatedError extends Error {
  constructor(readonly pending: string[]) {
    super(
      `The database schema lacks the migrations ${pending.join(', ')}; run \`npm run db:migrate\` (or start with DATABASE_MIGRATE=auto), then start again.`,
    );
    this.name = 'SchemaOutdatedError';
  }
}

const digest = (sql: string) => createHash('sha256').update(sql).digest('hex');

/**
 * Runs `use` holding the migration lock: instances starting together take turns on it, so what
 * one does to the schema (and to the rows, sealRows.ts) the next finds done.
 */
export async function withMigrationLock<R>(pool: pg.Pool, use: (client: pg.PoolClient) => Promise<R>): Promise<R> {
  return withClient(pool, async (client) => {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      return await use(client);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  });
}

/**
 * Applies every `*.sql` file of `dir` not applied yet, in name order, each in its own transaction
 * with its row in schema_migrations, and returns the names applied. Call it holding the migration
 * lock ({@link withMigrationLock}), so each file runs once. A file applied before whose text has
 * changed since stops it: a migration is changed by adding the next one.
 */
export async function applyMigrations(client: pg.ClientBase, dir = MIGRATIONS_DIR): Promise<string[]> {
  const files = await migrationFiles(dir);
  await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
    name text PRIMARY KEY,
    sha256 text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
  const { rows } = await client.query<{ name: string; sha256: string }>('SELECT name, sha256 FROM schema_migrations');
  const applied = new Map(rows.map((row) => [row.name, row.sha256]));
  const done: string[] = [];
  for (const name of files) {
    const sql = await readFile(join(dir, name), 'utf8');
    const before = applied.get(name);
    if (before !== undefined) {
      if (before !== digest(sql))
        throw new MigrationError(
          `The migration ${name} was changed after it was applied; put the change in a new file after it and restore ${name}.`,
        );
      continue;
    }
    await client.query('BEGIN');
    try {
      await client.query(sql);
      await client.query('INSERT INTO schema_migrations (name, sha256) VALUES ($1, $2)', [name, digest(sql)]);
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK');
      throw new MigrationError(`The migration ${name} failed and was rolled back: ${(err as Error).message}`);
    }
    done.push(name);
  }
  return done;
}

/** The SQL files of `dir` only, under the lock ({@link applyMigrations}); the service migrates with upgrade.ts. */
export async function migrate(pool: pg.Pool, dir = MIGRATIONS_DIR): Promise<string[]> {
  return withMigrationLock(pool, (client) => applyMigrations(client, dir));
}

/** The files of `dir` not applied yet (all of them on an empty database); applies nothing. */
export async function pendingMigrations(pool: pg.Pool, dir = MIGRATIONS_DIR): Promise<string[]> {
  const files = await migrationFiles(dir);
  const table = await pool.query<{ found: string | null }>("SELECT to_regclass('schema_migrations') AS found");
  if (table.rows[0].found === null) return files;
  const { rows } = await pool.query<{ name: string }>('SELECT name FROM schema_migrations');
  const applied = new Set(rows.map((row) => row.name));
  return files.filter((name) => !applied.has(name));
}
