/** A statement queued by put or prune: `put` cannot wait, so writes run before the next read or the commit. */
export interface Write {
  sql: string;
  params: unknown[];
  table: string;
  /** The column its rows return: an upsert's `inserted`, or the id of an outbox row a prune `dropped`. */
  returns?: 'inserted' | 'dropped';
}

/**
 * What a statement that writes to the outbox also does: wake the other instances for the rows it
 * adds. PostgreSQL delivers a transaction's notifications when it commits, and the same channel
 * and payload once however many of its statements sent them.
 */
export interface NotifyWith {
  channel: string;
  payload: string;
}

/**
 * The queued writes in runs that may go to the database as one statement: the longest run from
 * the front in which no table appears twice. Data-modifying CTEs of one statement run in no set
 * order and see the same snapshot, so two writes to one table (a challenge closed, then its
 * successor inserted under a unique index) keep their own statements, in the order made.
 */
export function nextRun(writes: readonly Write[]): Write[] {
  const tables = new Set<string>();
  const run: Write[] = [];
  for (const write of writes) {
    if (tables.has(write.table)) break;
    tables.add(write.table);
    run.push(write);
  }
  return run;
}

/**
 * One statement for a run of writes (see {@link nextRun}): each a data-modifying CTE, its
 * parameters renumbered after the previous ones'. Its rows are those the outbox writes return,
 * as each write's own statement returns them. With `notify`, the same statement calls pg_notify
 * when it added an outbox row, so the commit needs no statement of its own for it; a single write
 * without one is sent as it is.
 */
export function runStatement(run: readonly Write[], notify?: NotifyWith): { sql: string; params: unknown[] } {
  if (run.length === 1 && !notify) return { sql: run[0].sql, params: run[0].params };
  const params: unknown[] = [];
  const ctes = run.map((write, i) => {
    const offset = params.length;
    params.push(...write.params);
    return `w${i} AS (${write.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`)})`;
  });
  const outputs = run.flatMap((write, i) =>
    write.table !== 'outbox' || !write.returns
      ? []
      : [
          write.returns === 'inserted'
            ? `SELECT inserted, NULL::text AS dropped FROM w${i}`
            : `SELECT NULL::boolean AS inserted, dropped FROM w${i}`,
        ],
  );
  ctes.push(
    `out AS (${[...outputs, 'SELECT NULL::boolean AS inserted, NULL::text AS dropped WHERE false'].join(' UNION ALL ')})`,
  );
  let sql = `WITH ${ctes.join(', ')} SELECT inserted, dropped FROM out`;
  if (notify) {
    params.push(notify.channel, notify.payload);
    const [channel, payload] = [params.length - 1, params.length];
    // A volatile function in a subquery's output is evaluated for the rows that pass its filter only.
    sql +=
      ` UNION ALL SELECT NULL::boolean, NULL::text FROM (SELECT pg_notify($${channel}::text, $${payload}::text)` +
      ` WHERE EXISTS (SELECT 1 FROM out WHERE inserted)) AS notified`;
  }
  return { sql, params };
}
