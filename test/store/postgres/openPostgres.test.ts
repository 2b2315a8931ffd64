import { readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { ConfigError, loadConfig } from '../../../src/config.js';
import { MIGRATIONS_DIR as MIGRATIONS, SchemaOutdatedError } from '../../../src/store/postgres/migrate.js';
import { openPostgres } from '../../../src/store/postgres/openPostgres.js';
import { checkReachable, createPool, DatabaseUnreachableError } from '../../../src/store/postgres/pool.js';
import { freshDatabase } from '../../support/postgres.js';
import { instance, pgSealer, rawQuery, seededDatabase } from './postgresFixture.js';

/** A loopback port with nobody listening on it. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

describe('starting on PostgreSQL', () => {
  it('reads DATABASE_URL and DATABASE_MIGRATE, off unless asked', () => {
    const defaults = loadConfig({});
    expect(defaults.DATABASE_URL).toBeUndefined();
    expect(defaults.DATABASE_MIGRATE).toBe('off');
    expect(
      loadConfig({ DATABASE_URL: 'postgres://app:pw@db.internal:5432/membership', DATABASE_MIGRATE: 'auto' }),
    ).toMatchObject({
      DATABASE_URL: 'postgres://app:pw@db.internal:5432/membership',
      DATABASE_MIGRATE: 'auto',
    });
  });

  it.each([
    ['mysql://app:hunter22@db/membership', '(not shown: not a postgres:// URL', 'a postgres:// or postgresql:// URL'],
    ['postgres://app:hunter22@db', 'postgres://app:***@db', 'a URL naming the database'],
    ['app:hunter22 at db', '(not shown: not a postgres:// URL', 'a postgres:// or postgresql:// URL'],
    ['hunter22 db', '(not shown: not a postgres:// URL', 'a URL such as postgres://'],
  ])('refuses DATABASE_URL=%s in one line, without its password', (value, shown, expected) => {
    let error: unknown;
    try {
      loadConfig({ DATABASE_URL: value });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('DATABASE_URL=');
    expect(message).toContain(shown);
    expect(message).toContain(expected);
    expect(message).not.toContain('hunter22');
    expect(message.split('\n')).toHaveLength(1);
  });

  it('refuses DATABASE_MIGRATE other than auto or off', () => {
    expect(() => loadConfig({ DATABASE_MIGRATE: 'yes' })).toThrow('DATABASE_MIGRATE="yes"; expected auto or off.');
  });

  it('says which database it cannot reach, and what to check, without the password', async () => {
    const url = `postgres://app:hunter22@127.0.0.1:${await closedPort()}/membership`;
    const pool = createPool(url);
    try {
      const refused = checkReachable(pool, url);
      await expect(refused).rejects.toBeInstanceOf(DatabaseUnreachableError);
      await expect(refused).rejects.toThrow(
        /^Cannot reach the PostgreSQL database at postgres:\/\/app:\*\*\*@127\.0\.0\.1:\d+\/membership \(.*ECONNREFUSED.*\)\. Check that the server is running/,
      );
      await expect(refused).rejects.not.toThrow(/hunter22/);
    } finally {
      await pool.end();
    }
    const missing = new URL(await freshDatabase());
    missing.pathname = '/no_such_database';
    await expect(openPostgres(missing.toString(), 'auto', { sealer: pgSealer() })).rejects.toThrow(
      /Cannot reach .*no_such_database.*does not exist/,
    );
  });

  it('refuses an out-of-date schema unless told to migrate, then opens a working repository', async () => {
    const url = await freshDatabase();
    const refused = openPostgres(url, 'off', { sealer: pgSealer() });
    await expect(refused).rejects.toBeInstanceOf(SchemaOutdatedError);
    await expect(refused).rejects.toThrow(/lacks the migrations 0001_membership_data\.sql.*; run `npm run db:migrate`/);
    const applied: string[][] = [];
    const opened = await openPostgres(url, 'auto', { sealer: pgSealer(), applied: (names) => applied.push(names) });
    await opened.repository.close();
    await opened.lockPool.end();
    expect(applied).toEqual([
      readdirSync(MIGRATIONS)
        .filter((f) => f.endsWith('.sql'))
        .sort(),
    ]);
    const again = await openPostgres(url, 'off', { sealer: pgSealer() });
    try {
      expect(await again.repository.memberById('m-1001')).toBeUndefined();
      expect(await again.repository.dueCancellations('2030-01-01T00:00:00.000Z', 10)).toEqual([]);
    } finally {
      await again.repository.close();
      await again.lockPool.end();
    }
  });

  it('names its connections and bounds how long a statement may hold locks', async () => {
    const url = await seededDatabase();
    const repo = instance(url);
    try {
      const seen = await repo.transact(async (tx) => {
        await tx.membership('ms-2001');
        return rawQuery<{ application_name: string; state: string }>(
          url,
          "SELECT application_name, state FROM pg_stat_activity WHERE state = 'idle in transaction'",
        );
      });
      expect(seen).toEqual([{ application_name: 'membership-assistant', state: 'idle in transaction' }]);
      const pool = createPool(url);
      try {
        const { rows } = await pool.query<{ timeout: string }>(
          "SELECT current_setting('statement_timeout') AS timeout",
        );
        expect(rows[0].timeout).toBe('5s');
      } finally {
        await pool.end();
      }
    } finally {
      await repo.close();
    }
  });

  it('reports a connection lost in the middle of a change as unreachable, and keeps nothing of it', async () => {
    const url = await seededDatabase();
    const repo = instance(url);
    try {
      const lost = repo.transact(async (tx) => {
        const membership = (await tx.membership('ms-2001'))!;
        tx.put('memberships', { ...membership, status: 'cancelled' });
        await rawQuery(
          url,
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'membership-assistant' AND state = 'idle in transaction'",
        );
        await tx.membership('ms-2001');
      });
      await expect(lost).rejects.toBeInstanceOf(DatabaseUnreachableError);
      expect((await repo.membership('ms-2001'))?.status).toBe('active');
    } finally {
      await repo.close();
    }
  });

  it('tells the health check whether the database answers, by error code only', async () => {
    const url = await seededDatabase();
    const repo = instance(url);
    const away = instance(`postgres://app:hunter22@127.0.0.1:${await closedPort()}/membership`);
    try {
      expect(await repo.problem()).toBeNull();
      expect(await away.problem()).toBe('the database cannot be reached (ECONNREFUSED)');
    } finally {
      await Promise.all([repo.close(), away.close(), repo.close()]);
    }
  });
});
