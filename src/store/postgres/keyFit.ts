import type pg from 'pg';
import type { RecordSealer, StoredMember } from '../sealedRecords.js';
import { selectList, TABLES, toRecord } from './tables.js';

/**
 * Checks on one sealed member (the first by id, one index read) that the keys fit the database
 * before anything is served or written (RecordSealer.checkFits). A database with no sealed member
 * has nothing to fit. One member only: a scan of every row's key id at each start would cost a
 * sequential scan; `npm run db:reseal` makes that scan.
 */
export async function checkKeysFit(db: pg.Pool | pg.ClientBase, sealer: RecordSealer): Promise<void> {
  const { rows } = await db.query<Record<string, unknown>>(
    `SELECT ${selectList(TABLES.members)} FROM members WHERE phone_index IS NOT NULL ORDER BY id LIMIT 1`,
  );
  if (rows.length) sealer.checkFits(toRecord<StoredMember>(TABLES.members, rows[0]));
}
