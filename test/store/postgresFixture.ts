import pg from 'pg';
import type { Db } from '../../src/model/schema.js';
import { importDocument } from '../../src/store/postgres/documentTransfer.js';
import { migrate } from '../../src/store/postgres/migrate.js';
import { createPool } from '../../src/store/postgres/pool.js';
import { PostgresRepository, type PostgresRepositoryOptions } from '../../src/store/postgres/postgresRepository.js';
import { freshDatabase } from '../support/postgres.js';
import { seedDocument } from './repositoryContract.js';

/** A new database, migrated, holding `document` (the seed unless told). */
export async function seededDatabase(document: Db = seedDocument()): Promise<string> {
  const url = await freshDatabase();
  const pool = createPool(url, { max: 2 });
  try {
    await migrate(pool);
    await importDocument(pool, document);
  } finally {
    await pool.end();
  }
  return url;
}

/** A repository (an instance of the service) over the database at `url`. */
export function instance(url: string, options: PostgresRepositoryOptions = {}): PostgresRepository {
  return new PostgresRepository(createPool(url), options);
}

/** Runs one query on a connection of its own: what a person with psql would see. */
export async function rawQuery<R extends pg.QueryResultRow>(
  url: string,
  sql: string,
  params: unknown[] = [],
): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(sql, params)).rows;
  } finally {
    await client.end();
  }
}
