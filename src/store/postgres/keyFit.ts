import type pg from 'pg';
import type { RecordSealer, StoredMember } from '../sealedRecords.js';
import { selectList, TABLES, toRecord } from './tables.js';

/** The database's members are indexed under another blind-index key than the service's. */
export class IndexKeyMismatchError extends Error {
  constructor(memberId: string) {
    super(
      `Member ${memberId} was indexed with another PERSONAL_DATA_INDEX_KEY than this service's: no member would be found by phone or e-mail. Give the service the index key the database was sealed with.`,
    );
    this.name = 'IndexKeyMismatchError';
  }
}

/**
 * Checks on one sealed member (the first by id, one index read) that the keys fit the database
 * before anything is served or written: it opens (else PersonalDataKeyError: a key missing, or
 * another under the same id) and its phone indexes to what the row holds (else
 * IndexKeyMismatchError). Wrong keys would otherwise fail every read, or quietly find nobody, and a
 * db command would write rows no instance can use. A database with no sealed member has nothing to fit.
 */
export async function checkKeysFit(db: pg.Pool | pg.ClientBase, sealer: RecordSealer): Promise<void> {
  const { rows } = await db.query<Record<string, unknown>>(
    `SELECT ${selectList(TABLES.members)} FROM members WHERE phone_index IS NOT NULL ORDER BY id LIMIT 1`,
  );
  if (rows.length === 0) return;
  const stored = toRecord<StoredMember>(TABLES.members, rows[0]);
  const member = sealer.openMember(stored);
  if (sealer.phoneIndex(member.phone) !== stored.phoneIndex) throw new IndexKeyMismatchError(stored.id);
}
