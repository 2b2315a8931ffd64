import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { CommitOutcomeUnknownError } from '../../model/repositoryErrors.js';
import type { RenewalLeadDays, Repository, StoredRecords, Transaction } from '../../model/repository.js';
import type { ApiKey, AuditEntry, Cancellation, Member, Membership, OutboxMessage, Plan } from '../../model/schema.js';
import { SECRET_TEMPLATES } from '../../notify/notifier.js';
import { isUnreadable } from '../../privacy/fieldCipher.js';
import type { RecordSealer } from '../sealedRecords.js';
import { OUTBOX_CHANNEL, OutboxListener } from './outboxListener.js';
import { isConnectionError, isUnavailable, prepared, unreachable, unreachableOr, withDeadline } from './pool.js';
import { RecordReads, type Run } from './recordReads.js';
import { secretChange, SecretTexts } from './secretTexts.js';
import { prefixedList, selectList, TABLES, toRecord, unprefixed, upsertParams, upsertSql } from './tables.js';
import { nextRun, runStatement, type NotifyWith, type Write } from './writeBatch.js';

/** Conflicts with another transaction that running the work again resolves: serialization, deadlock, a key taken meanwhile. */
const RETRYABLE = new Set(['40001', '40P01', '23505']);

/** A transaction kept conflicting with others; nothing of it was kept. */
export class TransactionConflictError extends Error {
  constructor(
    readonly attempts: number,
    cause: unknown,
  ) {
    const detail = (cause as { constraint?: string }).constraint;
    super(
      `The change conflicted with others ${attempts} times and was not kept (${(cause as Error).message}${detail ? `, ${detail}` : ''}); try again.`,
    );
    this.name = 'TransactionConflictError';
    this.cause = cause;
  }
}

export interface PostgresRepositoryOptions {
  /** Runs of a transaction's work before a {@link TransactionConflictError} (5). */
  maxAttempts?: number;
  /**
   * How old another process's code message must be before this one takes it (blank, so the
   * dispatcher parks it as lost): pass the code's lifetime (OTP_TTL_SECONDS), so an instance that
   * is alive but retrying a slow gateway never loses a code that could still be used (10 minutes).
   */
  secretGraceMs?: number;
  /** Told when the outbox listener's connection breaks (it reconnects by itself). */
  onListenerError?: (err: Error) => void;
  /** Wait before reconnecting the listener (1 s). */
  listenerRetryMs?: number;
  /** How long the health check waits for the database before it reports it as not answering (2 s). */
  healthTimeoutMs?: number;
}

type Row = Record<string, unknown>;

/** The default of {@link PostgresRepositoryOptions.secretGraceMs}: OTP_TTL_SECONDS' default. */
export const SECRET_GRACE_MS = 10 * 60_000;
/** The default of {@link PostgresRepositoryOptions.healthTimeoutMs}: DATABASE_HEALTH_TIMEOUT_MS' default. */
export const HEALTH_TIMEOUT_MS = 2_000;

const sqlCode = (err: unknown) => (err as { code?: unknown })?.code;

const ignore = () => undefined;
/** How a plan's columns are named beside a membership's in one row. */
const PLAN_PREFIX = 'plan__';

/**
 * A transaction on one pipelined connection (pool.ts): a statement is sent as soon as it is made,
 * without waiting for the answers to those before it, and the server runs them in the order sent.
 * BEGIN goes with the first read, the writes put before a read go with it, and the last writes go
 * with the COMMIT: each such group costs one round trip. Reads made together (Promise.all) share
 * one too. The answers come back in order, so the first failure is the earliest statement's; every
 * statement after it in the transaction fails with it, and a COMMIT after it rolls back.
 */
class PostgresTransaction extends RecordReads implements Transaction {
  private readonly writes: Write[] = [];
  /** The first error the database raised: the transaction is lost whatever the work did with it. */
  failure: Error | null = null;
  addedOutbox = false;
  /** BEGIN is sent with the first read or write that needs it: a transaction of one write needs none. */
  private begun = false;
  /** The COMMIT went out: after it the transaction is over on the server, committed or rolled back. */
  private committing = false;
  /** Set when the connection broke once the statement that decides the outcome was sent: it is unknown. */
  outcomeUnknown = false;
  /** Settles once every statement sent so far has its answer; rejects with the first failure. */
  private answered: Promise<unknown> = Promise.resolve();
  /** Code texts put (id → text, or null once done with), kept in memory when it commits. */
  readonly secrets = new Map<string, { text: string; at: string } | null>();
  /** Outbox rows deleted, whose texts are forgotten when it commits. */
  readonly dropped: string[] = [];
  /** Plans read with a membership (see {@link membership}). */
  private readonly plans = new Map<string, Plan>();

  constructor(
    private readonly client: pg.PoolClient,
    kept: SecretTexts,
    sealer: RecordSealer,
    private readonly notify: NotifyWith,
  ) {
    const run: Run = async (sql, params) => {
      this.begin();
      this.flush();
      const answer = this.send(sql, params);
      await this.answered;
      return (await answer).rows;
    };
    super(
      run,
      ' FOR NO KEY UPDATE',
      (id, stored) => {
        const own = this.secrets.get(id);
        return own === undefined || own === null ? kept.textOf(id, stored) : own.text;
      },
      sealer,
    );
  }

  /**
   * Sends one statement of the transaction now; its answer joins {@link answered}. The first
   * failure is kept; once it is known, later statements are not sent.
   */
  private send(sql: string, params: unknown[] = [], onRows?: (rows: Row[]) => void): Promise<pg.QueryResult<Row>> {
    const answer = this.failure
      ? Promise.reject(this.failure)
      : this.client.query<Row>(params.length ? prepared(sql, params) : sql).then(
          (result) => {
            onRows?.(result.rows);
            return result;
          },
          (err: Error) => {
            this.failure ??= err;
            throw err;
          },
        );
    answer.catch(ignore);
    // In order: the chain rejects with the earliest statement's failure, as the answers come.
    this.answered = this.answered.then(() => answer);
    this.answered.catch(ignore);
    return answer;
  }

  private begin(): void {
    if (this.begun) return;
    this.begun = true;
    void this.send('BEGIN');
  }

  /**
   * Commits what the work wrote. A transaction that read nothing and whose writes go in one
   * statement (writeBatch.ts: an audit entry; a message and its audit entry) is that statement,
   * atomic on its own: one round trip instead of three. Otherwise its last writes and the COMMIT
   * go together. Statements that add outbox rows notify the other instances (writeBatch.ts).
   */
  async commit(): Promise<void> {
    const alone = !this.begun && nextRun(this.writes).length === this.writes.length;
    if (!alone) this.begin();
    this.flush();
    if (!alone) {
      // A COMMIT not sent (a failure known before it) leaves the transaction open for the ROLLBACK.
      this.committing = !this.failure;
      void this.send('COMMIT');
    }
    try {
      await this.answered;
    } catch (err) {
      // Once the deciding statement is out, a broken connection hides whether it took effect.
      if ((alone || this.committing) && isConnectionError(err)) this.outcomeUnknown = true;
      throw err;
    }
  }

  /** Whether a ROLLBACK is needed after a failure. */
  get open(): boolean {
    return this.begun && !this.committing;
  }

  /**
   * Sends the queued writes in the order they were made, each run of writes to different tables
   * as one statement (writeBatch.ts); a run that writes to the outbox also notifies.
   */
  private flush(): void {
    while (this.writes.length) {
      const run = nextRun(this.writes);
      this.writes.splice(0, run.length);
      const addsOutbox = run.some((write) => write.table === 'outbox');
      const { sql, params } = runStatement(run, addsOutbox ? this.notify : undefined);
      void this.send(sql, params, addsOutbox ? (rows) => this.noteOutbox(rows) : undefined);
    }
  }

  /**
   * The membership with its plan in one statement (only the membership's row locked): a change to
   * a membership reads its plan next. The plan is kept for {@link plan}; plans change by import only.
   */
  override async membership(id: string): Promise<Membership | undefined> {
    const [row] = await this.run(
      `SELECT ${selectList(TABLES.memberships, 'm')}, ${prefixedList(TABLES.plans, 'p', PLAN_PREFIX)}
       FROM memberships m LEFT JOIN plans p ON p.id = m.plan_id WHERE m.id = $1 FOR NO KEY UPDATE OF m`,
      [id],
    );
    if (!row) return undefined;
    const plan = unprefixed(row, PLAN_PREFIX);
    if (typeof plan.id === 'string') this.plans.set(plan.id, toRecord<Plan>(TABLES.plans, plan));
    return toRecord<Membership>(TABLES.memberships, row);
  }

  override async plan(id: string): Promise<Plan | undefined> {
    return this.plans.get(id) ?? super.plan(id);
  }

  private noteOutbox(rows: Row[]): void {
    if (rows.some((row) => row.inserted === true)) this.addedOutbox = true;
    for (const { dropped } of rows) if (typeof dropped === 'string') this.dropped.push(dropped);
  }

  put<K extends keyof StoredRecords>(collection: K, record: StoredRecords[K]): void {
    const table = TABLES[collection];
    if (!table) throw new Error(`No such collection: ${String(collection)}`);
    if (collection === 'members') {
      this.writes.push({
        sql: upsertSql(table),
        params: upsertParams(table, this.sealer.sealMember(record as Member)),
        table: table.name,
        returns: 'inserted',
      });
      return;
    }
    if (collection === 'outbox') {
      const message = record as OutboxMessage;
      const params = upsertParams(table, this.sealer.sealOutbox(message));
      const secret = secretChange(message);
      if (secret !== undefined) this.secrets.set(message.id, secret);
      // The row never holds a code; a put ends the delivery lease (the message was sent, or rescheduled).
      if (SECRET_TEMPLATES.has(message.template))
        params[TABLES.outbox.columns.findIndex((c) => c.field === 'text')] = '';
      this.writes.push({
        sql: upsertSql(table, 'lease_until = NULL, lease_holder = NULL'),
        params,
        table: 'outbox',
        returns: 'inserted',
      });
      return;
    }
    this.writes.push({
      sql: upsertSql(table),
      params: upsertParams(table, record),
      table: table.name,
      returns: 'inserted',
    });
  }

  /**
   * A transaction-level advisory lock on the key: a second transaction checking the same requester
   * (on any instance) waits for this one to end, then reads the challenge it added. Row locks
   * cannot do it: the row that matters is the one not inserted yet.
   */
  protected override hold(requesterKey: string): void {
    this.begin();
    this.flush();
    // Not waited for: the read that follows is sent behind it and answered after it.
    void this.send('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`otp-requester:${requesterKey}`]);
  }

  pruneChallenges(cutoff: string): void {
    this.writes.push({
      sql: `DELETE FROM otp_challenges
            WHERE coalesce(closed_at, CASE WHEN state = 'open' THEN expires_at ELSE issued_at END) < $1::timestamptz`,
      params: [cutoff],
      table: 'otp_challenges',
    });
  }

  pruneSpentSecrets(cutoff: string): void {
    this.writes.push({
      sql: `DELETE FROM outbox
            WHERE template = ANY($1::text[]) AND status <> 'pending' AND coalesce(sent_at, next_attempt_at) < $2::timestamptz
            RETURNING id AS dropped`,
      params: [[...SECRET_TEMPLATES], cutoff],
      table: 'outbox',
      returns: 'dropped',
    });
  }

  pruneAudit(cutoff: string, keptPrefixes: readonly string[]): void {
    this.writes.push({
      sql: `DELETE FROM audit
            WHERE at < $1::timestamptz AND NOT EXISTS (SELECT 1 FROM unnest($2::text[]) AS kept(prefix) WHERE starts_with(type, prefix))`,
      params: [cutoff, [...keptPrefixes]],
      table: 'audit',
    });
  }
}

/**
 * The domain's {@link Repository} over PostgreSQL, for one instance among several on one database.
 * Transactions are BEGIN … COMMIT on one pooled connection; their reads lock the rows they return,
 * and a conflict with another instance (deadlock, serialization, a unique key taken meanwhile)
 * runs the work again, up to `maxAttempts` times. Members and notices are sealed as they are put
 * and opened as they are read (`sealer`). It owns `pool`: {@link close} ends it.
 */
export class PostgresRepository extends RecordReads implements Repository {
  /** Names this instance in leases and in its own notifications. */
  readonly instance = randomUUID();
  private readonly kept: SecretTexts;
  private readonly listeners: (() => void)[] = [];
  private listener: OutboxListener | null = null;
  private readonly maxAttempts: number;
  private readonly secretGraceMs: number;
  private readonly healthTimeoutMs: number;
  private closing: Promise<void> | null = null;

  constructor(
    private readonly pool: pg.Pool,
    sealer: RecordSealer,
    private readonly options: PostgresRepositoryOptions = {},
  ) {
    const kept = new SecretTexts();
    super(
      // A look-up the database does not serve is told to the member as "try again", as a transaction's.
      (sql, params) =>
        pool.query<Row>(prepared(sql, params)).then(
          (result) => result.rows,
          (err: unknown) => {
            throw unreachableOr(pool, err);
          },
        ),
      '',
      (id, stored) => kept.textOf(id, stored),
      sealer,
    );
    this.kept = kept;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.secretGraceMs = options.secretGraceMs ?? SECRET_GRACE_MS;
    this.healthTimeoutMs = options.healthTimeoutMs ?? HEALTH_TIMEOUT_MS;
  }

  /** Code messages whose text only this process holds (for tests and the health of the outbox). */
  get secretsHeld(): number {
    return this.kept.size;
  }

  async transact<R>(work: (tx: Transaction) => Promise<R>): Promise<R> {
    for (let attempt = 1; ; attempt++) {
      const client = await this.connect();
      const tx = new PostgresTransaction(client, this.kept, this.sealer, {
        channel: OUTBOX_CHANNEL,
        payload: this.instance,
      });
      // A connection that breaks while checked out says so with an 'error' event, which unheard would end the process.
      const onLost = (err: Error) => {
        tx.failure ??= err;
      };
      client.on('error', onLost);
      try {
        const result = await work(tx);
        await tx.commit();
        client.off('error', onLost);
        client.release();
        this.kept.apply(tx.secrets);
        this.kept.apply(new Map(tx.dropped.map((id) => [id, null])));
        if (tx.addedOutbox) this.wake();
        return result;
      } catch (err) {
        // A connection that broke, or is still busy with a statement past the client's deadline,
        // takes no ROLLBACK (it would wait behind that statement): it is closed, and the server
        // rolls back what the session held when it sees it gone.
        let broken = Boolean(tx.failure && isConnectionError(tx.failure));
        if (tx.open && !broken) {
          await client.query('ROLLBACK').catch(() => {
            broken = true;
          });
        }
        client.off('error', onLost);
        client.release(broken);
        // The database's error decides, whatever the work made of it (it may have caught it).
        const cause = tx.failure ?? err;
        if (tx.outcomeUnknown) throw new CommitOutcomeUnknownError(cause);
        if (RETRYABLE.has(sqlCode(cause) as string)) {
          if (attempt < this.maxAttempts) continue;
          throw new TransactionConflictError(attempt, cause);
        }
        if (tx.failure && isUnavailable(tx.failure)) throw unreachable(this.pool, tx.failure);
        throw tx.failure ?? err;
      }
    }
  }

  async dueCancellations(now: string, limit: number): Promise<Membership[]> {
    const table = TABLES.memberships;
    const { rows } = await this.pool.query<Row>(
      `SELECT ${selectList(table)} FROM memberships
       WHERE status = 'pending_cancel' AND coalesce(effective_at, current_period_end) <= $1::timestamptz
       ORDER BY coalesce(effective_at, current_period_end), seq LIMIT $2`,
      [now, limit],
    );
    return rows.map((row) => toRecord<Membership>(table, row));
  }

  async claimPeriodsEnded(now: string, leaseMs: number, limit: number): Promise<Membership[]> {
    const table = TABLES.memberships;
    // As claimOutbox: rows another instance is claiming are skipped, not waited for, and rows it
    // holds stay out until its lease ends; the UPDATE commits at once, so the hold outlives no statement.
    const { rows } = await this.pool.query<Row & { seq: string }>(
      `UPDATE memberships SET lifecycle_lease_until = $1::timestamptz + make_interval(secs => $2::double precision / 1000),
         lifecycle_lease_holder = $3
       WHERE id IN (
         SELECT id FROM memberships
         WHERE status = 'active' AND app_store IS NULL AND coalesce(grace_until, current_period_end) <= $1::timestamptz
           AND (lifecycle_lease_until IS NULL OR lifecycle_lease_until <= $1::timestamptz)
         ORDER BY coalesce(grace_until, current_period_end), seq LIMIT $4
         FOR UPDATE SKIP LOCKED)
       RETURNING ${selectList(table)}, seq`,
      [now, leaseMs, this.instance, limit],
    );
    const claimed = rows.map((row) => ({ m: toRecord<Membership>(table, row), seq: Number(row.seq) }));
    const endOf = (m: Membership) => Date.parse(m.graceUntil ?? m.currentPeriodEnd);
    claimed.sort((a, b) => endOf(a.m) - endOf(b.m) || a.seq - b.seq);
    return claimed.map((c) => c.m);
  }

  async releasePeriodClaims(ids: readonly string[]): Promise<void> {
    if (!ids.length) return;
    await this.pool.query(
      `UPDATE memberships SET lifecycle_lease_until = NULL, lifecycle_lease_holder = NULL
       WHERE id = ANY($1::text[]) AND lifecycle_lease_holder = $2`,
      [ids, this.instance],
    );
  }

  async renewalsToRemind(now: string, lead: RenewalLeadDays, limit: number): Promise<Membership[]> {
    const table = TABLES.memberships;
    // The lead days go as one JSON object, looked up by the membership's jurisdiction and plan period.
    const { rows } = await this.pool.query<Row>(
      `SELECT ${selectList(table, 'm')} FROM memberships m
         JOIN plans p ON p.id = m.plan_id JOIN members mb ON mb.id = m.member_id
       WHERE m.status = 'active' AND m.auto_renew AND m.grace_until IS NULL AND m.app_store IS NULL
         AND m.current_period_end <= $1::timestamptz + make_interval(days =>
           ($2::jsonb -> coalesce(mb.reminder_policy, p.reminder_policy, $3::text) ->> p.period)::int)
         AND m.reminded_for IS DISTINCT FROM m.current_period_end
       ORDER BY m.current_period_end, m.seq LIMIT $4`,
      [now, JSON.stringify(lead.days), lead.fallback, limit],
    );
    return rows.map((row) => toRecord<Membership>(table, row));
  }

  async priceNoticesDue(now: string, limit: number): Promise<Membership[]> {
    const table = TABLES.memberships;
    const { rows } = await this.pool.query<Row>(
      `SELECT ${selectList(table)} FROM memberships
       WHERE price_change IS NOT NULL AND price_change ->> 'notifiedAt' IS NULL
         AND (price_change ->> 'noticeAt')::timestamptz <= $1::timestamptz
       ORDER BY (price_change ->> 'noticeAt')::timestamptz, seq LIMIT $2`,
      [now, limit],
    );
    return rows.map((row) => toRecord<Membership>(table, row));
  }

  async claimOutbox(
    now: string,
    leaseMs: number,
    limit: number,
    channel?: OutboxMessage['channel'],
  ): Promise<OutboxMessage[]> {
    const table = TABLES.outbox;
    this.kept.forgetBefore(Date.parse(now) - this.secretGraceMs);
    // Another process's code message is taken only once that process has had time to send it:
    // then it has died, and the message comes with a blank text (the dispatcher parks it as lost).
    const { rows } = await this.pool.query<Row & { next_attempt_at: Date; seq: string }>(
      `UPDATE outbox SET lease_until = $1::timestamptz + make_interval(secs => $2::double precision / 1000), lease_holder = $3
       WHERE id IN (
         SELECT id FROM outbox
         WHERE status = 'pending' AND next_attempt_at <= $1::timestamptz
           AND (lease_until IS NULL OR lease_until <= $1::timestamptz)
           AND ($8::text IS NULL OR channel = $8::text)
           AND (template <> ALL($4::text[]) OR id = ANY($5::text[])
                OR at <= $1::timestamptz - make_interval(secs => $6::double precision / 1000))
         ORDER BY next_attempt_at, seq
         LIMIT $7
         FOR UPDATE SKIP LOCKED)
       RETURNING ${selectList(table)}, seq`,
      [now, leaseMs, this.instance, [...SECRET_TEMPLATES], this.kept.ids(), this.secretGraceMs, limit, channel ?? null],
    );
    rows.sort((a, b) => a.next_attempt_at.getTime() - b.next_attempt_at.getTime() || Number(a.seq) - Number(b.seq));
    const claimed: OutboxMessage[] = [];
    const unreadable: { id: string; reason: string }[] = [];
    for (const row of rows) {
      const stored = toRecord<OutboxMessage>(table, row);
      try {
        claimed.push(this.openOutbox(stored));
      } catch (err) {
        if (!isUnreadable(err)) throw err;
        unreadable.push({ id: stored.id, reason: err.message });
      }
    }
    // Parked with why (the sealed address kept: given the key back, an operator can still read
    // it), so a notice sealed under a key the service lacks stops every claim that reaches it no longer.
    if (unreadable.length)
      await this.pool.query(
        `UPDATE outbox AS o SET status = 'failed', last_error = u.reason, lease_until = NULL, lease_holder = NULL
         FROM unnest($1::text[], $2::text[]) AS u(id, reason) WHERE o.id = u.id`,
        [unreadable.map((u) => u.id), unreadable.map((u) => u.reason)],
      );
    return claimed;
  }

  onOutbox(listener: () => void): void {
    this.listeners.push(listener);
    this.listener ??= new OutboxListener(
      this.pool.options,
      // Our own commits woke the listeners already.
      (payload) => {
        if (payload !== this.instance) this.wake();
      },
      this.options.onListenerError ?? (() => undefined),
      this.options.listenerRetryMs,
    );
  }

  /** Resolves once notifications from other instances reach {@link onOutbox}'s listeners. */
  outboxListening(): Promise<void> {
    return this.listener?.listening() ?? Promise.resolve();
  }

  /** The listening connection's server process (tests break it to see the listener come back). */
  listenerBackendPid(): Promise<number | null> {
    return this.listener?.backendPid() ?? Promise.resolve(null);
  }

  async auditEntries(): Promise<AuditEntry[]> {
    const table = TABLES.audit;
    const { rows } = await this.pool.query<Row>(`SELECT ${selectList(table)} FROM audit ORDER BY at, seq`);
    return rows.map((row) => toRecord<AuditEntry>(table, row));
  }

  async cancellationsAfter(
    after: { receivedAt: string; reference: string } | null,
    until: string,
    limit: number,
  ): Promise<Cancellation[]> {
    const table = TABLES.cancellations;
    const { rows } = await this.pool.query<Row>(
      `SELECT ${selectList(table)} FROM cancellations
       WHERE received_at <= $1::timestamptz
         AND ($2::timestamptz IS NULL OR (received_at, reference) > ($2::timestamptz, $3::text))
       ORDER BY received_at, reference LIMIT $4`,
      [until, after?.receivedAt ?? null, after?.reference ?? '', limit],
    );
    return rows.map((row) => toRecord<Cancellation>(table, row));
  }

  async apiKeys(): Promise<ApiKey[]> {
    const table = TABLES.apiKeys;
    const { rows } = await this.pool.query<Row>(`SELECT ${selectList(table)} FROM api_keys ORDER BY seq`);
    return rows.map((row) => toRecord<ApiKey>(table, row));
  }

  /** Nothing to do in a turn: an updated row's old version is dead and autovacuum reclaims it (VACUUM needs the table's owner). */
  forgetEarlierVersions(): Promise<void> {
    return Promise.resolve();
  }

  /**
   * Why the database cannot serve now, or null when it answers: for the health check, so it
   * names the error code only (the endpoint answers anyone who can reach it). It waits at most
   * `healthTimeoutMs`, however long a connection or the query would: a probe that gets no answer
   * is a failed probe, and the load balancer must hear so while it can still act on it.
   */
  async problem(): Promise<string | null> {
    const ms = this.healthTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve(`the database did not answer within ${ms} ms`), ms);
    });
    const answer = this.pool.query(withDeadline({ text: 'SELECT 1' }, ms)).then(
      () => null,
      (err: unknown) => {
        const code = (err as { code?: unknown }).code;
        return `the database cannot be reached (${typeof code === 'string' ? code : 'error'})`;
      },
    );
    try {
      return await Promise.race([answer, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Stops listening and ends the pool; transactions under way finish first. Closing twice is harmless. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.listener?.close();
      await this.pool.end();
    })();
    return this.closing;
  }

  private wake(): void {
    for (const listener of this.listeners) listener();
  }

  private async connect(): Promise<pg.PoolClient> {
    try {
      return await this.pool.connect();
    } catch (err) {
      throw unreachable(this.pool, err);
    }
  }
}
