import type pg from 'pg';
import { SECRET_TEMPLATES } from '../../notify/notifier.js';
import { storedDbSchema, type RecordSealer, type StoredDb } from '../sealedRecords.js';
import { withClient } from './pool.js';
import { selectList, TABLES, toRecord, upsertParams, upsertSql, type TableName } from './tables.js';

/** Referenced tables first, so a reader of the database mid-import never sees a membership without its plan. */
const ORDER: readonly TableName[] = [
  'plans',
  'members',
  'memberships',
  'cancellations',
  'audit',
  'outbox',
  'otpChallenges',
  'handoffs',
  'apiKeys',
  'idempotencyKeys',
];

/**
 * Upserts every record of a JSON store document in one transaction: all of it or nothing, and
 * importing the same document again changes nothing (but the sealed fields' random IVs, if they
 * were in plain text in it). Rows the document does not name are left. Members and notices are
 * written sealed under the current key, whether the document held them plain, sealed under it
 * (kept as they are) or under an earlier key; one sealed under a key `sealer` lacks throws
 * PersonalDataKeyError before anything is written. Returns the count of records per collection.
 */
export async function importDocument(
  pool: pg.Pool,
  document: StoredDb,
  sealer: RecordSealer,
): Promise<Record<TableName, number>> {
  const parsed = storedDbSchema.parse(document);
  // Members kept as sealed must open, and be found, with these keys.
  sealer.checkFitsAny(parsed.members);
  const db = {
    ...parsed,
    members: parsed.members.map((member) => sealer.sealedMember(member)),
    outbox: parsed.outbox.map((message) => sealer.sealedOutbox(message)),
  };
  const counts = {} as Record<TableName, number>;
  return withClient(pool, async (client) => {
    try {
      await client.query('BEGIN');
      for (const name of ORDER) {
        const table = TABLES[name];
        const sql = upsertSql(table, name === 'outbox' ? 'lease_until = NULL, lease_holder = NULL' : '');
        for (const record of db[name]) {
          const params = upsertParams(table, record);
          // A code never rests in the database (src/store/postgres/secretTexts.ts).
          if (name === 'outbox' && SECRET_TEMPLATES.has((record as { template: string }).template))
            params[table.columns.findIndex((c) => c.field === 'text')] = '';
          await client.query(sql, params);
        }
        counts[name] = db[name].length;
      }
      await client.query('COMMIT');
      return counts;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  });
}

/**
 * Everything in the database as a JSON store document, records in the order first written, as it
 * holds them: members and notices sealed (storedDbSchema-valid; a JSON store with the same keys
 * reads it, db:import takes it back).
 */
export async function exportDocument(pool: pg.Pool): Promise<StoredDb> {
  return withClient(pool, async (client) => {
    // One snapshot for every table: a cancellation is never exported without its membership's change.
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    try {
      const document: Record<string, unknown[]> = {};
      for (const name of ORDER) {
        const table = TABLES[name];
        const { rows } = await client.query<Record<string, unknown>>(
          `SELECT ${selectList(table)} FROM ${table.name} ORDER BY seq`,
        );
        document[name] = rows.map((row) => toRecord(table, row));
      }
      return storedDbSchema.parse(document);
    } finally {
      await client.query('COMMIT').catch(() => undefined);
    }
  });
}
