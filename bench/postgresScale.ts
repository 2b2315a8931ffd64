import { monitorEventLoopDelay } from 'node:perf_hooks';
import pg from 'pg';
import { systemClock } from '../src/core/clock.js';
import { seededRandom } from '../src/core/random.js';
import { syntheticDb, syntheticPhone } from '../src/devtools/syntheticData.js';
import { cancelConcurrently } from './concurrentCancellations.js';
import { MembershipService } from '../src/membership/membershipService.js';
import { Notifier } from '../src/notify/notifier.js';
import { FieldCipher } from '../src/privacy/fieldCipher.js';
import { importDocument } from '../src/store/postgres/documentTransfer.js';
import { openPostgres } from '../src/store/postgres/openPostgres.js';
import { TABLES, type Table } from '../src/store/postgres/tables.js';
import { RecordSealer } from '../src/store/sealedRecords.js';
import { percentile } from './loadClient.js';

/**
 * The PostgreSQL adapter at one member count, beside storeScale.ts's JSON store figures.
 * `node postgresScale.js load COUNT URL`: migrates the (empty) database and loads COUNT generated
 * members, printing how long that took; `node postgresScale.js measure COUNT URL` then opens a
 * repository on it in a fresh process (so the start and the RSS are the service's, not the
 * generator's) and prints the start, RSS, look-up and cancellation figures as one JSON line.
 */
/**
 * Fixed keys, those serverProcess.ts gives the servers: what the load process seals, the measuring
 * process (a fresh one) and the servers sideBySide.ts starts on the same database open.
 */
const sealer = new RecordSealer(
  new FieldCipher([{ id: 'k1', key: Buffer.from('ab'.repeat(32), 'hex') }], Buffer.from('i'.repeat(32), 'utf8')),
);
const round = (n: number) => Math.round(n * 10) / 10;
const mb = (bytes: number) => round(bytes / 1024 / 1024);
/** Rows per INSERT … SELECT FROM unnest(…): one statement of arrays, one round trip. */
const BATCH = 20_000;
const SQL_ARRAY: Record<string, string> = {
  text: 'text[]',
  int: 'bigint[]',
  bool: 'boolean[]',
  time: 'timestamptz[]',
  json: 'jsonb[]',
};

/** Inserts records column-wise (a parameter an array per column), far fewer round trips than importDocument's one per record. */
async function bulkInsert(client: pg.Client, table: Table, records: readonly object[]): Promise<void> {
  const columns = table.columns;
  const casts = columns.map((c, i) => `$${i + 1}::${SQL_ARRAY[c.kind]}`).join(', ');
  const sql = `INSERT INTO ${table.name} (${columns.map((c) => c.column).join(', ')}) SELECT * FROM unnest(${casts})`;
  for (let from = 0; from < records.length; from += BATCH) {
    const batch = records.slice(from, from + BATCH) as Record<string, unknown>[];
    const params = columns.map((c) =>
      batch.map((r) => {
        const v = r[c.field];
        if (v === undefined || v === null) return null;
        return c.kind === 'json' ? JSON.stringify(v) : v;
      }),
    );
    await client.query(sql, params);
  }
}

async function load(count: number, url: string): Promise<void> {
  let t = performance.now();
  const data = syntheticDb(count, seededRandom(count));
  const generateMs = performance.now() - t;
  t = performance.now();
  // Migrations through the service's own path, then the plans (the seed's few records) through importDocument.
  const opened = await openPostgres(url, 'auto', { sealer });
  await opened.repository.close();
  await opened.lockPool.end();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  await importDocument(pool, { ...data, members: [], memberships: [] }, sealer);
  await pool.end();
  await client.query('BEGIN');
  await bulkInsert(
    client,
    TABLES.members,
    data.members.map((member) => sealer.sealMember(member)),
  );
  await bulkInsert(client, TABLES.memberships, data.memberships);
  await client.query('COMMIT');
  await client.query('ANALYZE');
  const loadMs = performance.now() - t;
  const { rows } = await client.query<{ bytes: string }>('SELECT pg_database_size(current_database()) AS bytes');
  await client.end();
  process.stdout.write(
    `${JSON.stringify({
      members: count,
      memberships: data.memberships.length,
      generateMs: Math.round(generateMs),
      loadMs: Math.round(loadMs),
      databaseMB: mb(Number(rows[0].bytes)),
    })}\n`,
  );
}

async function measure(count: number, url: string): Promise<void> {
  const random = seededRandom(count + 1);
  // The start as the service does it: connect, check the schema, and answer a first look-up.
  const t = performance.now();
  const { repository: repo, lockPool } = await openPostgres(url, 'off', { sealer });
  const firstFound = await repo.memberByPhone(syntheticPhone(random.int(count)));
  const startMs = performance.now() - t;
  const rssStarted = process.memoryUsage().rss;

  // Look-ups one after another, each timed: a turn's look-up waits for its answer.
  const lookups = 5_000;
  const lookupLatencies: number[] = [];
  let found = 0;
  for (let i = 0; i < lookups; i++) {
    const t0 = performance.now();
    if (await repo.memberByPhone(syntheticPhone(random.int(count)))) found += 1;
    lookupLatencies.push(performance.now() - t0);
  }
  lookupLatencies.sort((a, b) => a - b);

  // The memberships to cancel, read aside (not through the port: a bench input, not a turn's read).
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows: active } = await client.query<{ id: string; memberId: string }>(
    `SELECT id, member_id AS "memberId" FROM memberships WHERE status = 'active' ORDER BY random() LIMIT 50000`,
  );
  await client.end();

  const service = new MembershipService(repo, new Notifier(systemClock, random), systemClock, random);
  const stalls = monitorEventLoopDelay({ resolution: 10 });
  stalls.enable();
  const {
    latencies,
    failed,
    failures,
    elapsedSeconds: elapsed,
  } = await cancelConcurrently(service, active, {
    workers: 50,
    seconds: Number(process.env.BENCH_SECONDS ?? 5),
  });
  stalls.disable();
  const rssAfter = process.memoryUsage().rss;
  await repo.close();
  await lockPool.end();
  process.stdout.write(
    `${JSON.stringify({
      members: count,
      startMs: Math.round(startMs),
      firstLookupFound: Boolean(firstFound),
      rssMB: mb(rssStarted),
      rssAfterMB: mb(rssAfter),
      lookups,
      lookupsFound: found,
      lookupP50ms: Math.round(percentile(lookupLatencies, 50) * 1000) / 1000,
      lookupP99ms: Math.round(percentile(lookupLatencies, 99) * 1000) / 1000,
      cancellations: latencies.length,
      cancellationsFailed: failed,
      ...(failed ? { cancellationFailures: JSON.stringify(failures) } : {}),
      cancellationsPerSecond: Math.round(latencies.length / elapsed),
      commitP50ms: round(percentile(latencies, 50)),
      commitP99ms: round(percentile(latencies, 99)),
      maxStallMs: round(stalls.max / 1e6),
    })}\n`,
  );
}

const [mode, countArg, url] = process.argv.slice(2);
const count = Number(countArg);
(mode === 'load' ? load(count, url) : measure(count, url)).catch((err: Error) => {
  process.stdout.write(`${JSON.stringify({ members: count, error: `${mode}: ${err.message.slice(0, 300)}` })}\n`);
  process.exit(1);
});
