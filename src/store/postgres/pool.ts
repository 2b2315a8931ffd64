import { createHash } from 'node:crypto';
import pg from 'pg';
import { redactDatabaseUrl } from './databaseUrl.js';

/** Connections one instance keeps: a turn takes one for a transaction; the outbox listener has its own. */
export const POOL_MAX = 10;

/**
 * How long a connection may wait before the database answers. A turn waiting on a database that
 * stopped answering (a paused VM, stalled storage: connections open, nothing said) would wait as
 * long as TCP lets it, so every wait has a deadline and the member hears "try again" instead.
 */
export interface DatabaseDeadlines {
  /** For a new connection, or a free one of the pool (DATABASE_CONNECT_TIMEOUT_MS). */
  connectMs: number;
  /**
   * For a statement (DATABASE_QUERY_TIMEOUT_MS): the server cancels it then (statement_timeout),
   * which keeps the connection; a server that cannot even do that is given up on
   * {@link CLIENT_GRACE_MS} later by the client, which drops the connection.
   */
  queryMs: number;
}

/** The service's defaults; DATABASE_CONNECT_TIMEOUT_MS and DATABASE_QUERY_TIMEOUT_MS change them. */
export const DEFAULT_DEADLINES: DatabaseDeadlines = { connectMs: 5_000, queryMs: 5_000 };

/**
 * How much longer than the server's own deadline the client waits for any answer: the server's
 * cancel is the clean one (the session stays, a ROLLBACK follows), so it gets the first chance.
 */
export const CLIENT_GRACE_MS = 1_000;

/** The database could not be reached, refused the connection, or the connection broke during a change (which was then not acknowledged). */
export class DatabaseUnreachableError extends Error {
  readonly code: string | undefined;

  constructor(url: string, cause: unknown) {
    const reason = (cause as Error)?.message || String(cause);
    super(
      `Cannot reach the PostgreSQL database at ${redactDatabaseUrl(url)} (${reason}). ` +
        'Check that the server is running and reachable from here, and that DATABASE_URL names the right host, port, database, user and password.',
    );
    this.name = 'DatabaseUnreachableError';
    this.code = (cause as NodeJS.ErrnoException)?.code;
    this.cause = cause;
  }
}

/** Options for the connections of one instance; `applicationName` shows in pg_stat_activity. */
export function connectionOptions(
  url: string,
  applicationName = 'membership-assistant',
  deadlines: DatabaseDeadlines = DEFAULT_DEADLINES,
): pg.ClientConfig {
  return {
    connectionString: url,
    application_name: applicationName,
    connectionTimeoutMillis: deadlines.connectMs,
    // The server's deadline bounds how long a statement holds the row locks other turns wait on.
    statement_timeout: deadlines.queryMs,
    // The client's holds when the server cannot answer at all; a query it gives up on leaves its
    // connection busy, so whoever holds that connection must release it as broken.
    query_timeout: deadlines.queryMs + CLIENT_GRACE_MS,
    // Timestamps come back as instants whatever the server's zone; they are rendered in UTC (ISO).
    options: '-c TimeZone=UTC',
  };
}

/**
 * A pool over DATABASE_URL. An idle connection that breaks is dropped by the pool (the 'error'
 * event, logged by `onIdleError`), and the next query opens a new one. Its connections pipeline:
 * a statement sent while others await their answers goes out at once instead of after them, which
 * is what lets a transaction send BEGIN with its first read and COMMIT with its last writes.
 */
export function createPool(
  url: string,
  options: {
    max?: number;
    applicationName?: string;
    onIdleError?: (err: Error) => void;
    deadlines?: DatabaseDeadlines;
  } = {},
): pg.Pool {
  const pool = new pg.Pool({
    ...connectionOptions(url, options.applicationName, options.deadlines),
    max: options.max ?? POOL_MAX,
    pipeline: true,
  });
  pool.on('error', options.onIdleError ?? (() => undefined));
  return pool;
}

/** Connects once, so a wrong URL stops the start with a {@link DatabaseUnreachableError} rather than the first turn. */
export async function checkReachable(pool: pg.Pool, url: string): Promise<void> {
  try {
    await pool.query('SELECT 1');
  } catch (err) {
    throw isConnectionError(err) ? new DatabaseUnreachableError(url, err) : err;
  }
}

/** Refused logins, a missing database, a server shutting down or terminating the session; class 08 is the connection itself. */
const CONNECTION_SQLSTATES = new Set(['28000', '28P01', '3D000', '57P01', '57P02', '57P03']);

/** A failure to connect, to authenticate or to keep the connection, as opposed to a statement the server refused. */
export function isConnectionError(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  if (typeof code !== 'string') return /timeout|terminated|connection/i.test((err as Error)?.message ?? '');
  return CONNECTION_SQLSTATES.has(code) || code.startsWith('08') || /^E[A-Z]+$/.test(code);
}

/** The server cancelled the statement: its statement_timeout, or an operator's pg_cancel_backend. */
const QUERY_CANCELED = '57014';

/**
 * The database did not serve the statement: unreachable, broken, or past a deadline (the client's
 * or the server's). The statement's transaction is not kept, and the same request may work later.
 */
export function isUnavailable(err: unknown): boolean {
  return isConnectionError(err) || (err as { code?: unknown })?.code === QUERY_CANCELED;
}

/** A statement with a client deadline of its own: pg reads `query_timeout` per query (its types leave it out). */
export function withDeadline(query: pg.QueryConfig, ms: number): pg.QueryConfig {
  return { ...query, query_timeout: ms } as pg.QueryConfig;
}

/** The database of `pool` could not serve a request, because of `err`. */
export function unreachable(pool: pg.Pool, err: unknown): DatabaseUnreachableError {
  return new DatabaseUnreachableError(String(pool.options.connectionString ?? '(the configured database)'), err);
}

/** `err` as the DatabaseUnreachableError the turn's error policy answers with "try again", if it is one. */
export function unreachableOr(pool: pg.Pool, err: unknown): unknown {
  return isUnavailable(err) ? unreachable(pool, err) : err;
}

/**
 * Runs `use` on a connection of its own and gives it back (closed, if it broke or a statement on
 * it ran past the client's deadline: it is still busy with that statement). A connection
 * that breaks while held reports an 'error' event, which unheard would end the process; the
 * statement under way fails anyway, so the event is only kept to close the connection.
 */
export async function withClient<R>(pool: pg.Pool, use: (client: pg.PoolClient) => Promise<R>): Promise<R> {
  const client = await pool.connect();
  let lost: Error | undefined;
  const onLost = (err: Error) => {
    lost = err;
  };
  client.on('error', onLost);
  try {
    return await use(client);
  } catch (err) {
    if (isConnectionError(err)) lost ??= err as Error;
    throw err;
  } finally {
    client.off('error', onLost);
    client.release(lost);
  }
}

/**
 * A statement the connection parses and plans once and then only binds: named after its text, so
 * each connection prepares it the first time it runs it. The adapter's statements are a fixed
 * set of texts (a write's run of tables gives one of a few), so a connection keeps few of them.
 */
export function prepared(text: string, values: unknown[]): pg.QueryConfig {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `s${createHash('sha1').update(text).digest('base64url').slice(0, 16)}`;
    if (statementNames.size < 10_000) statementNames.set(text, name);
  }
  return { name, text, values };
}

/** The names given so far, by text: hashing a statement's text each time it runs would cost more than the look-up. */
const statementNames = new Map<string, string>();
