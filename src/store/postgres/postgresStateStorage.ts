import { randomUUID } from 'node:crypto';
import type { StoreItems } from 'botbuilder';
import type pg from 'pg';
import type { Clock } from '../../core/clock.js';
import { isConnectionError, isUnavailable } from './pool.js';
import {
  setAsideKey,
  StateConflictError,
  StateUnavailableError,
  verdictOn,
  type ExpectedETag,
  type SetAsideListener,
  type StateText,
  type StateTextStorage,
} from '../stateTextStorage.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Rows a purge deletes or judges per statement, so no statement holds many row locks for long. */
const PURGE_BATCH = 500;

type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

const COLUMNS = 'key, etag, state, updated_at';

/**
 * Conversation state for botbuilder on PostgreSQL (table conversation_state, migration 0002), shared
 * by every instance. Each write is a compare-and-set on the row's eTag done by the database:
 *
 * - writeText (PlainConversationState's path) writes only over the eTag the turn read, or only
 *   creates when it read nothing, and throws StateConflictError otherwise;
 * - write follows botbuilder's MemoryStorage: an item with eTag '*' or none is written whatever is
 *   stored; one with an eTag replaces a stored item only if their eTags match (a missing item is
 *   created). A batch is written all or nothing.
 *
 * The state is stored as the JSON text handed over, so a turn serialises it once (see
 * stateTextStorage.ts).
 */
export class PostgresStateStorage implements StateTextStorage {
  /** States read by the turn lock just after it took a conversation's lock (see {@link readWithLock}). */
  private readonly readWithLocks = new Map<string, StateText | null>();

  constructor(
    private readonly pool: pg.Pool,
    private readonly clock: Clock,
    private readonly idleDays: number,
  ) {}

  /**
   * Reads a conversation's state on `session` (the turn lock's, sent right behind the statement
   * that takes the lock, so the read sees everything written before the lock was free), for the
   * turn's {@link readText} to take: one round trip for the lock and the read. The read is kept
   * only when the lock was taken (`kept`); {@link forgetRead} drops what the turn did not take.
   */
  readWithLock(session: pg.PoolClient, key: string): Promise<(kept: boolean) => void> {
    return session
      .query<{ etag: string; state: string }>('SELECT etag, state FROM conversation_state WHERE key = $1', [key])
      .then(({ rows }) => (kept: boolean) => {
        if (kept) this.readWithLocks.set(key, rows[0] ? { eTag: rows[0].etag, json: rows[0].state } : null);
      });
  }

  forgetRead(key: string): void {
    this.readWithLocks.delete(key);
  }

  async read(keys: string[]): Promise<StoreItems> {
    return guarded(async (): Promise<StoreItems> => {
      const items: StoreItems = {};
      if (keys.length === 0) return items;
      const { rows } = await this.pool.query<{ key: string; etag: string; state: string }>(
        'SELECT key, etag, state FROM conversation_state WHERE key = ANY($1::text[])',
        [keys],
      );
      for (const row of rows) items[row.key] = { ...(JSON.parse(row.state) as object), eTag: row.etag };
      return items;
    });
  }

  async readText(key: string): Promise<StateText | undefined> {
    const read = this.readWithLocks.get(key);
    if (read !== undefined) {
      this.readWithLocks.delete(key);
      return read ?? undefined;
    }
    return guarded(async (): Promise<StateText | undefined> => {
      const { rows } = await this.pool.query<{ etag: string; state: string }>(
        'SELECT etag, state FROM conversation_state WHERE key = $1',
        [key],
      );
      return rows[0] && { eTag: rows[0].etag, json: rows[0].state };
    });
  }

  /**
   * The state written last to a conversation (states set aside left out), for the start's key
   * check: a store sealed whole under a key dropped too early shows in it. One read of the
   * updated_at index, where a look at every state would read the whole table at each start.
   */
  async newestText(): Promise<{ key: string; json: string } | undefined> {
    return guarded(async () => {
      const { rows } = await this.pool.query<{ key: string; state: string }>(
        `SELECT key, state FROM conversation_state WHERE NOT starts_with(key, $1)
         ORDER BY updated_at DESC LIMIT 1`,
        [setAsideKey('')],
      );
      return rows[0] && { key: rows[0].key, json: rows[0].state };
    });
  }

  async writeText(key: string, json: string, expected: ExpectedETag): Promise<string> {
    return guarded(async (): Promise<string> => {
      const eTag = randomUUID();
      const row = [key, eTag, json, this.clock.now()];
      const { rowCount } =
        expected === null
          ? await this.pool.query(
              `INSERT INTO conversation_state (${COLUMNS}) VALUES ($1, $2, $3, $4) ON CONFLICT (key) DO NOTHING`,
              row,
            )
          : expected === '*'
            ? await this.upsert(this.pool, row)
            : await this.pool.query(
                `UPDATE conversation_state SET etag = $2, state = $3, updated_at = $4, worth_keeping = NULL
                 WHERE key = $1 AND etag = $5`,
                [...row, expected],
              );
      if (rowCount !== 1) throw new StateConflictError(key);
      return eTag;
    });
  }

  async write(changes: StoreItems): Promise<void> {
    return guarded(async (): Promise<void> => {
      const entries = Object.entries<Record<string, unknown>>(changes);
      if (entries.length === 0) return;
      if (entries.length === 1) return this.writeItem(this.pool, ...entries[0]);
      await inTransaction(this.pool, async (client) => {
        for (const [key, item] of entries) await this.writeItem(client, key, item);
      });
    });
  }

  private async writeItem(db: Queryable, key: string, item: Record<string, unknown>): Promise<void> {
    const { eTag: expected, ...value } = item;
    const row = [key, randomUUID(), JSON.stringify(value), this.clock.now()];
    const conditional = typeof expected === 'string' && expected !== '*' && expected !== '';
    const { rowCount } = conditional
      ? await this.upsert(db, row, 'WHERE conversation_state.etag = $5', [expected])
      : await this.upsert(db, row);
    if (rowCount !== 1) throw new StateConflictError(key);
  }

  private upsert(db: Queryable, row: unknown[], condition = '', extra: unknown[] = []): Promise<pg.QueryResult> {
    return db.query(
      `INSERT INTO conversation_state (${COLUMNS}) VALUES ($1, $2, $3, $4)
       ON CONFLICT (key) DO UPDATE SET etag = EXCLUDED.etag, state = EXCLUDED.state,
         updated_at = EXCLUDED.updated_at, worth_keeping = NULL ${condition}`,
      [...row, ...extra],
    );
  }

  async delete(keys: string[]): Promise<void> {
    return guarded(async (): Promise<void> => {
      if (keys.length === 0) return;
      await this.pool.query('DELETE FROM conversation_state WHERE key = ANY($1::text[])', [keys]);
    });
  }

  async setAside(key: string, eTag: string): Promise<void> {
    return guarded(() => this.moveAside(this.pool, key, eTag));
  }

  /**
   * Moves the row in one statement. Marked worth keeping, so no purge reads it again; it goes when
   * it has been idle the configured number of days, as any state.
   */
  private async moveAside(db: Queryable, key: string, eTag: string): Promise<void> {
    await db.query(
      `WITH moved AS (DELETE FROM conversation_state WHERE key = $1 AND etag = $2 RETURNING etag, state)
       INSERT INTO conversation_state (${COLUMNS}, worth_keeping) SELECT $3, etag, state, $4, true FROM moved
       ON CONFLICT (key) DO UPDATE SET etag = EXCLUDED.etag, state = EXCLUDED.state,
         updated_at = EXCLUDED.updated_at, worth_keeping = true`,
      [key, eTag, setAsideKey(key), this.clock.now()],
    );
  }

  /**
   * Forgets conversations nobody has touched for the configured number of days, and, after one
   * day, those whose state `worthKeeping` does not want kept that long — as JsonStateStorage does.
   *
   * The predicate is JavaScript on the state's value, so a purge must read the states; it reads
   * each idle one once: a state judged worth keeping is marked so (worth_keeping) until its next
   * write. Writes stay as they are (no parse of the text to precompute a flag on every turn), and
   * the hourly sweep reads only what went idle since the last. Instances purging at once take
   * different rows (SKIP LOCKED). A state that cannot be judged (it does not open) is set aside and
   * `onSetAside` told. Resolves with the number of conversations this call deleted.
   */
  async purgeIdle(
    worthKeeping: (value: Record<string, unknown>, key: string) => boolean = () => true,
    onSetAside: SetAsideListener = () => undefined,
  ): Promise<number> {
    const now = this.clock.now().getTime();
    const cutoff = new Date(now - this.idleDays * DAY_MS);
    const dayAgo = new Date(now - DAY_MS);
    let purged = 0;
    let deleted: number;
    do {
      const result = await this.pool.query(
        `DELETE FROM conversation_state WHERE key IN (
           SELECT key FROM conversation_state WHERE updated_at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED)`,
        [cutoff, PURGE_BATCH],
      );
      deleted = result.rowCount ?? 0;
      purged += deleted;
    } while (deleted === PURGE_BATCH);
    let batch: { judged: number; deleted: number };
    do {
      batch = await this.judgeBatch(cutoff, dayAgo, worthKeeping, onSetAside);
      purged += batch.deleted;
    } while (batch.judged === PURGE_BATCH);
    return purged;
  }

  /**
   * Reads up to a batch of idle states not judged since their last write; deletes, marks or (when
   * it cannot be judged) sets aside each. Those set aside are told once the batch has committed.
   */
  private async judgeBatch(
    cutoff: Date,
    idleSince: Date,
    worthKeeping: (value: Record<string, unknown>, key: string) => boolean,
    onSetAside: SetAsideListener,
  ): Promise<{ judged: number; deleted: number }> {
    const unreadable: { key: string; err: unknown }[] = [];
    const judged = await inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<{ key: string; etag: string; state: string }>(
        // Not below the cutoff: those are the deletes' alone, so a purge beside this one finds them unlocked.
        `SELECT key, etag, state FROM conversation_state
         WHERE worth_keeping IS NULL AND updated_at < $1 AND updated_at >= $2
         ORDER BY updated_at LIMIT $3 FOR UPDATE SKIP LOCKED`,
        [idleSince, cutoff, PURGE_BATCH],
      );
      const keep: string[] = [];
      const drop: string[] = [];
      for (const row of rows) {
        const verdict = verdictOn(worthKeeping, row.key, () => JSON.parse(row.state) as Record<string, unknown>);
        if (typeof verdict === 'boolean') (verdict ? keep : drop).push(row.key);
        else {
          await this.moveAside(client, row.key, row.etag);
          unreadable.push({ key: row.key, err: verdict.unreadable });
        }
      }
      if (drop.length) await client.query('DELETE FROM conversation_state WHERE key = ANY($1::text[])', [drop]);
      if (keep.length)
        await client.query('UPDATE conversation_state SET worth_keeping = true WHERE key = ANY($1::text[])', [keep]);
      return { judged: rows.length, deleted: drop.length };
    });
    for (const { key, err } of unreadable) onSetAside(key, err);
    return judged;
  }
}

/** A database that cannot be reached or does not answer in time is a StateUnavailableError; anything else is passed on. */
async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw isUnavailable(err) ? new StateUnavailableError(err) : err;
  }
}

/** Runs `work` in a transaction on one connection; a connection that failed is not reused. */
async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let failure: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    // A broken connection, or one still busy with a statement past its deadline, is closed instead:
    // the server rolls back what the session held.
    if (isConnectionError(err)) failure = err as Error;
    else await client.query('ROLLBACK').catch((rollback: Error) => (failure = rollback));
    throw err;
  } finally {
    client.release(failure);
  }
}
