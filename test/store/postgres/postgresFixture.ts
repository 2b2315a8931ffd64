import pg from 'pg';
import type { Db } from '../../../src/model/schema.js';
import { FieldCipher, type FieldKey } from '../../../src/privacy/fieldCipher.js';
import type { PersonalDataKeys } from '../../../src/store/personalDataKeys.js';
import { RecordSealer } from '../../../src/store/sealedRecords.js';
import { importDocument } from '../../../src/store/postgres/documentTransfer.js';
import { migrate } from '../../../src/store/postgres/migrate.js';
import { createPool } from '../../../src/store/postgres/pool.js';
import { PostgresRepository, type PostgresRepositoryOptions } from '../../../src/store/postgres/postgresRepository.js';
import { freshDatabase } from '../../support/postgres.js';
import { seedDocument } from '../repositoryContract.js';

/** Fixed keys, so what one instance seals another (a restarted service) opens. */
export const PG_KEY: FieldKey = { id: 'pg-1', key: Buffer.alloc(32, 3) };
export const NEXT_KEY: FieldKey = { id: 'pg-2', key: Buffer.alloc(32, 4) };
const INDEX_KEY_SETTING = 'postgres-test-index-key-0123456789';
const INDEX_KEY = Buffer.from(INDEX_KEY_SETTING, 'utf8');
/** The same keys as the service's settings: an app built on a database of {@link seededDatabase} reads it. */
export const PG_KEY_SETTINGS = {
  PERSONAL_DATA_KEYS: `${PG_KEY.id}:${PG_KEY.key.toString('hex')}`,
  PERSONAL_DATA_INDEX_KEY: INDEX_KEY_SETTING,
};
/** Another blind-index key: a service configured with it finds none of the members sealed with {@link INDEX_KEY}. */
export const OTHER_INDEX_KEY = Buffer.from('another-index-key-another-index-key');

/** A sealer over `keys` (the first seals), with the tests' blind-index key unless told. */
export const pgSealer = (keys: FieldKey[] = [PG_KEY], indexKey = INDEX_KEY) =>
  new RecordSealer(new FieldCipher(keys, indexKey));

/** The keys as the db tool is given them (loadPersonalDataKeys' result). */
export function pgKeys(keys: FieldKey[] = [PG_KEY], indexKey = INDEX_KEY): PersonalDataKeys {
  const cipher = new FieldCipher(keys, indexKey);
  return { keyIds: cipher.keyIds, cipher: () => cipher };
}

/** A new database, migrated, holding `document` (the seed unless told), sealed with {@link pgSealer}. */
export async function seededDatabase(document: Db = seedDocument()): Promise<string> {
  const url = await freshDatabase();
  const pool = createPool(url, { max: 2 });
  try {
    await migrate(pool);
    await importDocument(pool, document, pgSealer());
  } finally {
    await pool.end();
  }
  return url;
}

/** A repository (an instance of the service) over the database at `url`. */
export function instance(
  url: string,
  options: PostgresRepositoryOptions = {},
  sealer = pgSealer(),
): PostgresRepository {
  return new PostgresRepository(createPool(url), sealer, options);
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
