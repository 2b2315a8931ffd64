import type pg from 'pg';
import { InProcessTurnLock, type TurnLock } from '../../core/turnLock.js';
import { CLIENT_GRACE_MS, unreachable, unreachableOr, withDeadline } from './pool.js';

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
 * What a turn reads as soon as it holds its lock, sent on the lock's session right behind the
 * statement that takes it: the lock and the read in one round trip (PostgresStateStorage.readWithLock).
 */
export interface ReadWithLock {
  /** The key of what to read for a lock key, or undefined to read nothing. */
  keyOf(lockKey: string): string | undefined;
  /** Sends the read; resolves to a function that keeps it (when the lock was taken) or drops it. */
  read(session: pg.PoolClient, key: string): Promise<(kept: boolean) => void>;
  /** Drops a read the turn did not take. */
  forget(key: string): void;
}

/** A session that holds this instance's uncontended locks, and what broke it. */
interface Holder {
  client: pg.PoolClient;
  lost?: Error;
  /** The last query sent on it: the next waits for it (pg 9 refuses a query sent while one runs). */
  last: Promise<unknown>;
}

/**
 * A TurnLock shared by every instance on one database: a session-level advisory lock on a hash of
 * the key (hashtextextended(key, 0), 64 bits: two keys sharing a hash only wait for each other),
 * taken before the work and released after it, in a finally.
 *
 * - Uncontended (nearly every turn), the lock is taken with pg_try_advisory_lock on one session
 *   this instance keeps for all its locks: a turn holds no connection while it runs. Holding a
 *   connection per turn capped the turns in flight at the pool's size, and 200 concurrent
 *   journeys on 3 instances waited past the pool's 5 s (the instances stress test). The turns'
 *   queries on that session go one at a time, each after the one before has its answer.
 * - Contended (another instance holds it), the turn waits with pg_advisory_lock on a connection of
 *   its own, bounded by lock_timeout (`waitMs`), then TurnLockTimeoutError; the work is not run.
 * - All connections come from `pool`, used for nothing else, so turns waiting on a lock can never
 *   take the connections that running turns need for their queries.
 * - An instance that dies loses its sessions, and the server releases their locks with them.
 * - Turns of one conversation arriving at the same instance queue in the process first
 *   (InProcessTurnLock): a session's advisory locks are re-entrant, so only one turn per key may
 *   ever take it from this process.
 * - A database that does not answer (the pool's deadlines) fails the turn with a
 *   DatabaseUnreachableError before its work runs: the member is told to try again.
 *
 * If a lock's session breaks while its work runs (the server restarted, the connection was cut),
 * the work goes on unprotected by the lock, but not by the state's compare-and-set; `onLockLost`
 * is told. Call close() before ending the pool: the holding session stays checked out until then.
 */
export class PostgresTurnLock implements TurnLock {
  private readonly local = new InProcessTurnLock();
  private holder: Promise<Holder> | null = null;

  constructor(
    private readonly pool: pg.Pool,
    private readonly waitMs: number,
    private readonly onLockLost: (key: string, err: Error) => void = () => undefined,
    private readonly alongside?: ReadWithLock,
  ) {
    if (!Number.isInteger(waitMs) || waitMs <= 0)
      throw new Error(`The turn lock's wait must be a whole number of milliseconds above 0, not ${waitMs}.`);
  }

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    return this.local.run(key, () => this.runLocked(key, work));
  }

  /** Gives the holding session back to the pool; its locks are released with it. */
  async close(): Promise<void> {
    const holder = this.holder;
    this.holder = null;
    const held = await holder?.catch(() => null);
    // Ended rather than pooled: its session may still hold locks. A broken one was released already.
    if (held && !held.lost) held.client.release(true);
  }

  private async runLocked<T>(key: string, work: () => Promise<T>): Promise<T> {
    let holder: Holder;
    try {
      holder = await this.holding();
    } catch (err) {
      throw unreachable(this.pool, err);
    }
    const readKey = this.alongside?.keyOf(key);
    let got: boolean;
    try {
      got = await this.tryLock(holder, key, readKey);
    } catch (err) {
      // A query past its deadline leaves the session busy with it: it is given up as broken too.
      this.drop(holder, err as Error);
      throw unreachableOr(this.pool, err);
    }
    if (!got) return this.runContended(key, work);
    try {
      return await work();
    } finally {
      if (readKey !== undefined) this.alongside?.forget(readKey);
      if (holder.lost) this.onLockLost(key, holder.lost);
      else
        await this.ask(holder, 'SELECT pg_advisory_unlock(hashtextextended($1, 0))', key).catch((err: Error) => {
          // Discarding the session ends it on the server, and its locks with it.
          this.drop(holder, err);
          this.onLockLost(key, err);
        });
    }
  }

  /**
   * Tries the lock on the holding session, with the read of `readKey` sent right behind it (its
   * snapshot taken after the lock): kept if the lock was taken. A read that fails is left to the turn.
   */
  private tryLock(holder: Holder, key: string, readKey: string | undefined): Promise<boolean> {
    const answer = holder.last.then(async () => {
      if (holder.lost) throw holder.lost;
      const lock = holder.client.query<{ got: boolean }>(
        'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS got',
        [key],
      );
      const read = readKey === undefined ? undefined : this.alongside?.read(holder.client, readKey).catch(() => null);
      const got = (await lock).rows[0].got;
      (await read)?.(got);
      return got;
    });
    holder.last = answer.catch(() => undefined);
    return answer;
  }

  /**
   * Sends a query on the holding session once the one before it has its answer; once the session
   * is lost, fails at once with why (the queries behind a stuck one do not each wait out a deadline).
   */
  private ask<R extends pg.QueryResultRow>(holder: Holder, sql: string, key: string): Promise<R[]> {
    const answer = holder.last.then(async () => {
      if (holder.lost) throw holder.lost;
      return (await holder.client.query<R>(sql, [key])).rows;
    });
    holder.last = answer.catch(() => undefined);
    return answer;
  }

  /** The session holding this instance's uncontended locks, opened again after one broke. */
  private holding(): Promise<Holder> {
    this.holder ??= this.pool.connect().then(
      (client) => {
        const holder: Holder = { client, last: Promise.resolve() };
        // A checked-out client whose connection breaks emits 'error'; unheard, it would end the process.
        client.on('error', (err: Error) => this.drop(holder, err));
        return holder;
      },
      (err: unknown) => {
        this.holder = null;
        throw err;
      },
    );
    return this.holder;
  }

  /** Forgets a broken holding session; the locks it held are gone with it. */
  private drop(holder: Holder, err: Error): void {
    if (holder.lost) return;
    holder.lost = err;
    void this.holder?.then((current) => {
      if (current === holder) this.holder = null;
    });
    holder.client.release(err);
  }

  /** Another instance holds the key: waits for it on a connection of its own, for at most waitMs. */
  private async runContended<T>(key: string, work: () => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      throw unreachable(this.pool, err);
    }
    let broken: Error | undefined;
    const onError = (err: Error) => {
      broken ??= err;
    };
    client.on('error', onError);
    try {
      try {
        // statement_timeout off: on this connection only the lock waits, and lock_timeout bounds
        // that; the client waits as long, and a little more for the server to say so.
        await client.query(`SET lock_timeout = ${this.waitMs}; SET statement_timeout = 0`);
        await client.query(
          withDeadline(
            { text: 'SELECT pg_advisory_lock(hashtextextended($1, 0))', values: [key] },
            this.waitMs + CLIENT_GRACE_MS,
          ),
        );
      } catch (err) {
        if ((err as { code?: string }).code === LOCK_NOT_AVAILABLE) throw new TurnLockTimeoutError(key, this.waitMs);
        broken ??= err as Error;
        throw unreachableOr(this.pool, err);
      }
      try {
        return await work();
      } finally {
        if (broken) this.onLockLost(key, broken);
        else
          await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [key]).catch((err: Error) => {
            broken = err;
            this.onLockLost(key, err);
          });
      }
    } finally {
      client.removeListener('error', onError);
      // The session's settings stay with it: a connection that waited is not handed to anyone else.
      client.release(broken ?? true);
    }
  }
}
