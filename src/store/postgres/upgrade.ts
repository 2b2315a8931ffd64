import type pg from 'pg';
import { ERASED_PREFIX, KEYED_IDENTIFIER_PATTERN } from '../../model/schema.js';
import type { RecordSealer } from '../sealedRecords.js';
import { checkKeysFit } from './keyFit.js';
import { applyMigrations, pendingMigrations, SchemaOutdatedError, withMigrationLock } from './migrate.js';
import { plainRows, sealRows, type RowCounts } from './sealRows.js';

/** The schema is current but rows hold personal data in plain text, which this code cannot read: nothing was changed. */
export class UnsealedDataError extends SchemaOutdatedError {
  constructor(readonly plain: RowCounts) {
    super([]);
    this.message = `The database holds personal data in plain text (${plain.members} members, ${plain.outbox} notices), written before it was sealed at rest or by an earlier version of the service; run \`npm run db:migrate\` (or start with DATABASE_MIGRATE=auto) to seal it, then start again.`;
    this.name = 'UnsealedDataError';
  }
}

/** What {@link upgradeDatabase} did. */
export interface Upgrade {
  /** The SQL files applied. */
  applied: string[];
  /** Rows found in plain text and sealed. */
  sealed: RowCounts;
}

/**
 * Brings the database to what this code reads (`npm run db:migrate`, DATABASE_MIGRATE=auto): the
 * pending SQL files, then every row still in plain text sealed (written before 0005, or since by an
 * instance of an earlier version), under the same lock, so an instance never serves a half-sealed
 * database another is sealing. Keys that do not fit the rows sealed already seal nothing.
 */
export async function upgradeDatabase(pool: pg.Pool, sealer: RecordSealer): Promise<Upgrade> {
  return withMigrationLock(pool, async (client) => {
    const applied = await applyMigrations(client);
    await checkKeysFit(client, sealer);
    const sealed = await sealRows(client, sealer, 'plain');
    // Challenges naming a number or address in plain text (isFiledIdentifier) live a day at most
    // and would escape an erasure, which finds a member's by keyed hash: they go.
    await client.query(`DELETE FROM otp_challenges WHERE identifier !~ $1 AND NOT starts_with(identifier, $2)`, [
      KEYED_IDENTIFIER_PATTERN,
      ERASED_PREFIX,
    ]);
    return { applied, sealed };
  });
}

/** Refuses a database whose schema lacks SQL files of this code's. */
export async function requireMigrated(pool: pg.Pool): Promise<void> {
  const pending = await pendingMigrations(pool);
  if (pending.length) throw new SchemaOutdatedError(pending);
}

/** Refuses a database this code cannot serve as it is (DATABASE_MIGRATE=off): SQL files pending, or rows not sealed. */
export async function requireCurrent(pool: pg.Pool): Promise<void> {
  await requireMigrated(pool);
  const plain = await plainRows(pool);
  if (plain.members || plain.outbox) throw new UnsealedDataError(plain);
}
