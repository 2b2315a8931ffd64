import type pg from 'pg';
import { InProcessTurnLock, type TurnLock } from '../../core/turnLock.js';

/** PostgreSQL's SQLSTATE for a lock wait that ran past lock_timeout. */
const LOCK_NOT_AVAILABLE = '55P03';

/** Another turn of the conversation held it for longer than the wait allowed; this turn did not run. */
export class TurnLockTimeoutError extends Error {
  constructor(
    readonly key: string,
    readonly waitMs: number,
  ) {
    super(
      `Another turn of conversation ${key} held it for over ${waitMs} ms, so this turn was not run and nothing of it was kept. ` +
        'The member can send the message again; if this recurs, look for turns that take that long (a slow database or channel).',
    );
    this.name = 'TurnLockTimeoutError';
  }
}

/**
 * A TurnLock shared by every instance on one database: a session-level advisory lock on a hash of
 * the key (pg_advisory_lock(hashtextextended(key, 0)), 64 bits: two keys sharing a hash only wait
 * for each other), held on a connection of its own for the whole turn and released after it.
 *
 * - The connections come from a small pool of their own (`pool`, used for nothing else): a turn
 *   holding a lock keeps its connection, so with a shared pool, turns holding locks could take
 *   every connection and wait forever for the queries they need. Its size bounds how many turns
 *   of different conversations one instance runs at once; the rest wait for a connection.
 * - An instance that dies loses its connections, and the server releases their locks with them.
 * - Waiting is bounded by lock_timeout (`waitMs`), after which run rejects with
 *   TurnLockTimeoutError and the work is not run.
 * - Turns of one conversation arriving at the same instance queue in the process first
 *   (InProcessTurnLock), so they do not each take a connection only to wait on the server.
 *
 * If a lock's connection breaks while its work runs (the server restarted, the connection was
 * cut), the work goes on unprotected by the lock, but not by the state's compare-and-set; the
 * connection is discarded and `onLockLost` told.
 */
export class PostgresTurnLock implements TurnLock {
  private readonly local = new InProcessTurnLock();
  /** Connections whose lock_timeout is set: the pool hands out the same client objects again. */
  private readonly prepared = new WeakSet<pg.PoolClient>();

  constructor(
    private readonly pool: pg.Pool,
    private readonly waitMs: number,
    private readonly onLockLost: (key: string, err: Error) => void = () => undefined,
  ) {
    if (!Number.isInteger(waitMs) || waitMs <= 0)
      throw new Error(`The turn lock's wait must be a whole number of milliseconds above 0, not ${waitMs}.`);
  }

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    return this.local.run(key, () => this.runLocked(key, work));
  }

  private async runLocked<T>(key: string, work: () => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    const onError = (err: Error) => {
      broken ??= err;
    };
    // A checked-out client whose connection breaks emits 'error'; unheard, it would end the process.
    client.on('error', onError);
    try {
      if (!this.prepared.has(client)) {
        // statement_timeout off: on this connection only the lock waits, and lock_timeout bounds that.
        await client.query(`SET lock_timeout = ${this.waitMs}; SET statement_timeout = 0`);
        this.prepared.add(client);
      }
      try {
        await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [key]);
      } catch (err) {
        if ((err as { code?: string }).code === LOCK_NOT_AVAILABLE) throw new TurnLockTimeoutError(key, this.waitMs);
        broken ??= err as Error;
        throw err;
      }
      try {
        return await work();
      } finally {
        if (broken) this.onLockLost(key, broken);
        else
          await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [key]).catch((err: Error) => {
            // Discarding the connection ends its session on the server, and the lock with it.
            broken = err;
            this.onLockLost(key, err);
          });
      }
    } finally {
      client.removeListener('error', onError);
      client.release(broken);
    }
  }
}
