import pg from 'pg';
import { redactDatabaseUrl } from './databaseUrl.js';

/** Connections one instance keeps: a turn takes one for a transaction; the outbox listener has its own. */
export const POOL_MAX = 10;
/** A statement running longer than this is cancelled: it holds row locks other turns wait on. */
export const STATEMENT_TIMEOUT_MS = 10_000;
const CONNECT_TIMEOUT_MS = 5_000;

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
export function connectionOptions(url: string, applicationName = 'membership-assistant'): pg.ClientConfig {
  return {
    connectionString: url,
    application_name: applicationName,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    statement_timeout: STATEMENT_TIMEOUT_MS,
    // Timestamps come back as instants whatever the server's zone; they are rendered in UTC (ISO).
    options: '-c TimeZone=UTC',
  };
}

/**
 * A pool over DATABASE_URL. An idle connection that breaks is dropped by the pool (the 'error'
 * event, logged by `onIdleError`), and the next query opens a new one.
 */
export function createPool(
  url: string,
  options: { max?: number; applicationName?: string; onIdleError?: (err: Error) => void } = {},
): pg.Pool {
  const pool = new pg.Pool({ ...connectionOptions(url, options.applicationName), max: options.max ?? POOL_MAX });
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

/**
 * Runs `use` on a connection of its own and gives it back (closed, if it broke). A connection
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
  } finally {
    client.off('error', onLost);
    client.release(lost);
  }
}
