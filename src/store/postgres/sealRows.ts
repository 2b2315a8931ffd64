import type pg from 'pg';
import type { Member, OutboxMessage } from '../../model/schema.js';
import { PersonalDataKeyError, SEALED_SQL_PATTERN } from '../../privacy/fieldCipher.js';
import type { AnyMember, RecordSealer, StoredMember } from '../sealedRecords.js';
import { sealedStatePrefix, type StateResealer } from '../sealedStateStorage.js';
import { checkKeysFit } from './keyFit.js';
import { withMigrationLock } from './migrate.js';
import { selectList, TABLES, toRecord } from './tables.js';

/** Rows sealed in one transaction: short enough that a turn waiting on one of them hardly notices. */
export const SEAL_BATCH = 500;

export interface RowCounts {
  members: number;
  outbox: number;
}

/** What `db:reseal` sealed again: member rows, notices and conversation states. */
export interface ResealCounts extends RowCounts {
  states: number;
}

/** Where a pass reads its rows from: the table, the columns it needs, and the unique column it walks in order. */
interface Source {
  table: string;
  columns: string;
  id: string;
}

const tableSource = (table: 'members' | 'outbox'): Source => ({
  table,
  columns: selectList(TABLES[table]),
  id: 'id',
});

/**
 * Which rows a pass seals: those in plain text (written before 0005, or by an earlier version of
 * the service), or those not sealed under the current key (after a rotation; plain ones too).
 * A row is written whole, so its phone tells the key of every field. `$2` is the current key's
 * prefix. Plain rows are found through the indexes 0005 made (phone_index NULL, outbox_plain_recipient).
 */
const WHICH = {
  plain: {
    members: 'phone_index IS NULL',
    outbox: `recipient !~ '${SEALED_SQL_PATTERN}'`,
  },
  stale: {
    members: 'phone_index IS NULL OR NOT starts_with(phone, $2)',
    outbox: 'NOT starts_with(recipient, $2)',
  },
} as const;

type Pass = keyof typeof WHICH;

/** What every field sealed under the current key (the first of the sealer's) starts with. */
const prefixOf = (sealer: RecordSealer) => `pd1.${sealer.currentKeyId}.`;

/** A member row as it is: sealed, or in plain text with its channel address as JSON text (0005 made the column text). */
function anyMember(row: Record<string, unknown>): AnyMember {
  const stored = toRecord<StoredMember>(TABLES.members, row);
  if (stored.phoneIndex !== null) return stored;
  const { phoneIndex: _p, emailIndex: _e, conversationReference, ...plain } = stored;
  const member: Member = plain;
  if (conversationReference !== undefined)
    member.conversationReference = JSON.parse(conversationReference) as Member['conversationReference'];
  return member;
}

/**
 * Seals, one transaction of {@link SEAL_BATCH} rows at a time, every member row and notice the
 * pass names, under the current key; returns how many of each. Each batch locks its rows, so a
 * turn changing one of them meanwhile waits for it and then writes over the sealed row. Rows are
 * taken in key order from where the last batch stopped: each is read once, however many there are.
 */
export async function sealRows(client: pg.ClientBase, sealer: RecordSealer, pass: Pass): Promise<RowCounts> {
  const prefix = prefixOf(sealer);
  const members = await inBatches(client, tableSource('members'), WHICH[pass].members, prefix, async (rows) => {
    const sealed = rows.map((row) => sealer.sealedMember(anyMember(row)));
    await client.query(
      `UPDATE members AS m SET name = u.name, phone = u.phone, email = u.email,
         conversation_reference = u.conversation_reference, phone_index = u.phone_index, email_index = u.email_index
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
         AS u(id, name, phone, email, conversation_reference, phone_index, email_index)
       WHERE m.id = u.id`,
      [
        sealed.map((m) => m.id),
        sealed.map((m) => m.name),
        sealed.map((m) => m.phone),
        sealed.map((m) => m.email),
        sealed.map((m) => m.conversationReference ?? null),
        sealed.map((m) => m.phoneIndex),
        sealed.map((m) => m.emailIndex),
      ],
    );
  });
  const outbox = await inBatches(client, tableSource('outbox'), WHICH[pass].outbox, prefix, async (rows) => {
    const sealed = rows.map((row) => sealer.sealedOutbox(toRecord<OutboxMessage>(TABLES.outbox, row)));
    await client.query(
      `UPDATE outbox AS o SET recipient = u.recipient
       FROM unnest($1::text[], $2::text[]) AS u(id, recipient) WHERE o.id = u.id`,
      [sealed.map((m) => m.id), sealed.map((m) => m.to)],
    );
  });
  return { members, outbox };
}

/**
 * Seals again, a batch at a time as {@link sealRows} does, every conversation state not under the
 * current key (StateResealer: those no key given opens are left and noted there). Only the state
 * changes: its eTag stays, so a turn that read it meanwhile still saves over it (its lock waits
 * for the batch), and so do the time of its last write and its idle verdict.
 */
async function resealStates(client: pg.ClientBase, resealer: StateResealer, currentKeyId: string): Promise<number> {
  const source = { table: 'conversation_state', columns: 'key, state', id: 'key' };
  const which = 'NOT starts_with(state, $2)';
  let count = 0;
  await inBatches(client, source, which, sealedStatePrefix(currentKeyId), async (rows) => {
    const changed = rows.flatMap((row) => {
      const state = resealer.reseal(row.key as string, row.state as string);
      return state === undefined ? [] : [{ key: row.key as string, state }];
    });
    if (changed.length === 0) return;
    count += changed.length;
    await client.query(
      `UPDATE conversation_state AS s SET state = u.state
       FROM unnest($1::text[], $2::text[]) AS u(key, state) WHERE s.key = u.key`,
      [changed.map((c) => c.key), changed.map((c) => c.state)],
    );
  });
  return count;
}

async function inBatches(
  client: pg.ClientBase,
  source: Source,
  which: string,
  prefix: string,
  seal: (rows: Record<string, unknown>[]) => Promise<void>,
): Promise<number> {
  let after = '';
  let count = 0;
  for (;;) {
    await client.query('BEGIN');
    try {
      const { rows } = await client.query<Record<string, unknown>>(
        `SELECT ${source.columns} FROM ${source.table}
         WHERE ${source.id} > $1 AND (${which})
         ORDER BY ${source.id} LIMIT ${SEAL_BATCH} FOR UPDATE`,
        which.includes('$2') ? [after, prefix] : [after],
      );
      if (rows.length) await seal(rows);
      await client.query('COMMIT');
      if (rows.length === 0) return count;
      count += rows.length;
      after = String(rows[rows.length - 1][source.id]);
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  }
}

/** Rows the service cannot read yet: in plain text (SchemaOutdatedError's UnsealedDataError names them). */
export async function plainRows(pool: pg.Pool): Promise<RowCounts> {
  const { rows } = await pool.query<{ members: string; outbox: string }>(
    `SELECT (SELECT count(*) FROM members WHERE ${WHICH.plain.members}) AS members,
            (SELECT count(*) FROM outbox WHERE ${WHICH.plain.outbox}) AS outbox`,
  );
  return { members: Number(rows[0].members), outbox: Number(rows[0].outbox) };
}

/**
 * `npm run db:reseal`, after a key rotation: seals again under the current key every member and
 * notice row that is not under it (plain ones too), then every conversation state (see
 * {@link resealStates}), and returns how many of each. If any member or notice is sealed under a
 * key this sealer lacks, nothing is changed: a {@link PersonalDataKeyError} names the key. A state
 * no key given opens never stops it (a conversation starts again without it): `resealer` notes
 * it. Holds the migration lock, so it never runs beside a migration or another reseal.
 */
export async function resealRows(pool: pg.Pool, sealer: RecordSealer, resealer: StateResealer): Promise<ResealCounts> {
  return withMigrationLock(pool, async (client) => {
    const { rows } = await client.query<{ key_id: string }>(
      `SELECT DISTINCT key_id FROM (
         SELECT substring(field FROM '^pd1\\.([A-Za-z0-9_-]{1,32})\\.') AS key_id
         FROM members, unnest(ARRAY[name, phone, email, conversation_reference]) AS field
         UNION ALL
         SELECT substring(recipient FROM '^pd1\\.([A-Za-z0-9_-]{1,32})\\.') FROM outbox
       ) AS named WHERE key_id IS NOT NULL ORDER BY key_id`,
    );
    const missing = rows.find((row) => !sealer.keyIds.has(row.key_id));
    if (missing) throw new PersonalDataKeyError(missing.key_id, 'is not among the keys this service was given');
    await checkKeysFit(client, sealer);
    const records = await sealRows(client, sealer, 'stale');
    return { ...records, states: await resealStates(client, resealer, sealer.currentKeyId) };
  });
}
