import pg from 'pg';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SEALED_SQL_PATTERN } from '../../../src/privacy/fieldCipher.js';
import { runDbCommand } from '../../../src/store/postgres/dbCommands.js';
import { migrate, MIGRATIONS_DIR, SchemaOutdatedError } from '../../../src/store/postgres/migrate.js';
import { openPostgres } from '../../../src/store/postgres/openPostgres.js';
import { createPool } from '../../../src/store/postgres/pool.js';
import { UnsealedDataError } from '../../../src/store/postgres/upgrade.js';
import { freshDatabase } from '../../support/postgres.js';
import { instance, pgKeys, pgSealer, rawQuery } from './postgresFixture.js';

/** More than two batches of 500, so sealing goes on from where each batch stopped. */
const MEMBERS = 1201;
const phone = (i: number) => `+86138${String(i).padStart(8, '0')}`;
const reference = { conversation: { id: 'conv-9' }, serviceUrl: 'https://smba.example.net/' };

/** A database as the service left it before sealing: migrations 0001–0004, rows in plain text. */
async function plainDatabase(): Promise<string> {
  const url = await freshDatabase();
  const dir = mkdtempSync(join(tmpdir(), 'migrations-'));
  try {
    for (const file of readdirSync(MIGRATIONS_DIR).filter((name) => name < '0005')) {
      copyFileSync(join(MIGRATIONS_DIR, file), join(dir, file));
    }
    const pool = createPool(url, { max: 1 });
    try {
      await migrate(pool, dir);
    } finally {
      await pool.end();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // As the upserts of the code before sealing wrote them.
  await rawQuery(
    url,
    `INSERT INTO members (id, name, phone, email, locale, notify_channel, conversation_reference)
     SELECT 'm-' || lpad(i::text, 5, '0'), 'Member ' || i, '+86138' || lpad(i::text, 8, '0'),
            'Member.' || i || '@Example.com', 'en-US', 'email', CASE WHEN i = 7 THEN $1::jsonb END
     FROM generate_series(1, ${MEMBERS}) AS i`,
    [JSON.stringify(reference)],
  );
  await rawQuery(
    url,
    `INSERT INTO outbox (id, at, member_id, channel, recipient, locale, template, text, status, attempts, next_attempt_at)
     VALUES ('o-1', now(), 'm-00007', 'email', 'member.7@example.com', 'en-US', 'cancellation_confirmed', 'done', 'pending', 0, now()),
            ('o-2', now(), 'm-00008', 'sms', '+8613800000008', 'en-US', 'cancellation_confirmed', 'done', 'sent', 1, now())`,
  );
  // Challenges filed under the number itself, as before; one filed under a keyed hash, as now.
  await rawQuery(
    url,
    `INSERT INTO otp_challenges (id, identifier, member_id, code_hash, issued_at, expires_at, failed_attempts, state)
     VALUES ('otp-plain', '+8613800000008', 'm-00008', 'h', now(), now(), 0, 'open'),
            ('otp-filed', 'phone:${'0'.repeat(32)}', 'm-00008', 'h', now(), now(), 0, 'open')`,
  );
  return url;
}

const plainLeft = (url: string) =>
  rawQuery<{ n: string }>(
    url,
    `SELECT count(*) AS n FROM members, unnest(ARRAY[name, phone, email, conversation_reference::text]) AS field
     WHERE field NOT LIKE 'pd1.pg-1.%'
     UNION ALL SELECT count(*) FROM outbox WHERE recipient NOT LIKE 'pd1.pg-1.%'`,
  ).then((rows) => rows.map((row) => Number(row.n)));

describe('sealing the rows a database held before 0005', () => {
  it("finds notices still in plain text through 0005's partial index: its predicate is the queries' pattern, word for word", async () => {
    const migration = readFileSync(join(MIGRATIONS_DIR, '0005_sealed_personal_data.sql'), 'utf8');
    expect(migration).toContain(`WHERE recipient !~ '${SEALED_SQL_PATTERN}'`);
    const url = await freshDatabase();
    await runDbCommand(['migrate'], url, pgKeys());
    // An empty table is scanned whatever the indexes: the question is whether the index can serve.
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const plan = await client
      .query('SET enable_seqscan = off')
      .then(() => client.query(`EXPLAIN SELECT id FROM outbox WHERE recipient !~ '${SEALED_SQL_PATTERN}'`))
      .then((result) => result.rows)
      .finally(() => client.end());
    expect(JSON.stringify(plan)).toContain('outbox_plain_recipient');
  });

  it('refuses to start on them with DATABASE_MIGRATE=off, then db:migrate seals them all and the old rules still hold', async () => {
    const url = await plainDatabase();
    const pending = openPostgres(url, 'off', { sealer: pgSealer() });
    await expect(pending).rejects.toBeInstanceOf(SchemaOutdatedError);
    await expect(pending).rejects.toThrow(
      // Later migrations, if any, are named after it.
      /lacks the migrations 0005_sealed_personal_data\.sql(, \S+\.sql)*; run `npm run db:migrate`/,
    );

    // The SQL applied without the sealing (as a crash between the two would leave it): still refused.
    const pool = createPool(url, { max: 1 });
    await migrate(pool).finally(() => pool.end());
    const plain = openPostgres(url, 'off', { sealer: pgSealer() });
    await expect(plain).rejects.toBeInstanceOf(UnsealedDataError);
    await expect(plain).rejects.toThrow(
      `The database holds personal data in plain text (${MEMBERS} members, 2 notices), written before it was sealed at rest or by an earlier version of the service; run \`npm run db:migrate\``,
    );
    expect(await rawQuery(url, "SELECT name FROM members WHERE id = 'm-00001'")).toEqual([{ name: 'Member 1' }]);

    expect(await runDbCommand(['migrate'], url, pgKeys())).toBe(
      `The schema is up to date; nothing to apply. Sealed ${MEMBERS} members and 2 notices that were in plain text.`,
    );
    expect(await plainLeft(url)).toEqual([0, 0]);
    // The challenge naming the number in plain text went; the one filed under a keyed hash stayed.
    expect(await rawQuery(url, 'SELECT id FROM otp_challenges ORDER BY id')).toEqual([{ id: 'otp-filed' }]);
    expect(await runDbCommand(['migrate'], url, pgKeys())).toBe('The schema is up to date; nothing to apply.');

    const opened = await openPostgres(url, 'off', { sealer: pgSealer() });
    const repo = opened.repository;
    try {
      expect(await repo.memberById('m-00007')).toEqual({
        id: 'm-00007',
        name: 'Member 7',
        phone: phone(7),
        email: 'Member.7@Example.com',
        locale: 'en-US',
        notifyChannel: 'email',
        conversationReference: reference,
      });
      expect((await repo.memberByPhone(phone(1201)))?.id).toBe('m-01201');
      expect((await repo.memberByEmail('MEMBER.501@example.COM'))?.id).toBe('m-00501');
      expect((await repo.outboxOf('m-00008')).map((m) => m.to)).toEqual(['+8613800000008']);
      // A phone, or an e-mail differing only in case, is still one member's.
      const member = (await repo.memberById('m-00001'))!;
      const newcomer = { ...member, id: 'm-new', phone: phone(9999), email: 'new@example.com' };
      await expect(repo.transact(async (tx) => tx.put('members', { ...newcomer, phone: phone(2) }))).rejects.toThrow(
        /members_phone_index_key/,
      );
      await expect(
        repo.transact(async (tx) => tx.put('members', { ...newcomer, email: 'MEMBER.3@EXAMPLE.COM' })),
      ).rejects.toThrow(/members_email_index_key/);
      await repo.transact(async (tx) => tx.put('members', newcomer));
      expect((await repo.memberByPhone(phone(9999)))?.id).toBe('m-new');
    } finally {
      await repo.close();
      await opened.lockPool.end();
    }
  });

  it('a start with DATABASE_MIGRATE=auto migrates and seals, once, however many instances start together', async () => {
    const url = await plainDatabase();
    const sealed: unknown[] = [];
    const applied: string[][] = [];
    const starts = await Promise.all(
      [1, 2, 3].map(() =>
        openPostgres(url, 'auto', {
          sealer: pgSealer(),
          applied: (names) => applied.push(names),
          sealed: (counts) => sealed.push(counts),
        }),
      ),
    );
    try {
      // Applied once, by one of the instances: 0005 and any migration after it.
      const fromSealing = readdirSync(MIGRATIONS_DIR).filter((name) => name.endsWith('.sql') && name >= '0005');
      expect(applied).toEqual([fromSealing.sort()]);
      expect(sealed).toEqual([{ members: MEMBERS, outbox: 2 }]);
      expect(await plainLeft(url)).toEqual([0, 0]);
      expect((await starts[2].repository.memberByEmail('member.1200@example.com'))?.phone).toBe(phone(1200));
    } finally {
      for (const { repository, lockPool } of starts) {
        await repository.close();
        await lockPool.end();
      }
    }
    // The notices were sealed too: another instance opens them with the same keys.
    const repo = instance(url);
    try {
      expect((await repo.outboxMessage('o-1'))?.to).toBe('member.7@example.com');
    } finally {
      await repo.close();
    }
  });
});
