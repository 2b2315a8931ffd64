import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate, MigrationError, MIGRATIONS_DIR, pendingMigrations } from '../../../src/store/postgres/migrate.js';
import { createPool } from '../../../src/store/postgres/pool.js';
import { freshDatabase } from '../../support/postgres.js';
import { rawQuery } from './postgresFixture.js';

describe('migrations', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'migrations-'));
    copyFileSync(join(MIGRATIONS_DIR, '0001_membership_data.sql'), join(dir, '0001_membership_data.sql'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('applies each file once, in name order, and a later file added to the folder on the next run', async () => {
    const url = await freshDatabase();
    const pool = createPool(url);
    try {
      expect(await pendingMigrations(pool, dir)).toEqual(['0001_membership_data.sql']);
      expect(await migrate(pool, dir)).toEqual(['0001_membership_data.sql']);
      expect(await migrate(pool, dir)).toEqual([]);
      writeFileSync(
        join(dir, '0002_rate_limits.sql'),
        'CREATE TABLE rate_limits (key text PRIMARY KEY, points integer NOT NULL);',
      );
      expect(await pendingMigrations(pool, dir)).toEqual(['0002_rate_limits.sql']);
      expect(await migrate(pool, dir)).toEqual(['0002_rate_limits.sql']);
      expect(await pendingMigrations(pool, dir)).toEqual([]);
      const applied = await rawQuery<{ name: string }>(url, 'SELECT name FROM schema_migrations ORDER BY name');
      expect(applied.map((row) => row.name)).toEqual(['0001_membership_data.sql', '0002_rate_limits.sql']);
    } finally {
      await pool.end();
    }
  });

  it('applies each file once when several instances start together', async () => {
    const url = await freshDatabase();
    const pools = [createPool(url), createPool(url), createPool(url)];
    try {
      const results = await Promise.all(pools.map((pool) => migrate(pool, dir)));
      expect(results.flat()).toEqual(['0001_membership_data.sql']);
      const tables = await rawQuery<{ n: string }>(
        url,
        "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name = 'memberships'",
      );
      expect(tables[0].n).toBe('1');
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
    }
  });

  it('rolls a failing file back whole and records nothing of it', async () => {
    const url = await freshDatabase();
    const pool = createPool(url);
    try {
      await migrate(pool, dir);
      writeFileSync(join(dir, '0002_broken.sql'), 'CREATE TABLE half (id text); SELECT no_such_function();');
      await expect(migrate(pool, dir)).rejects.toThrow(/0002_broken\.sql failed and was rolled back/);
      const half = await rawQuery<{ found: string | null }>(url, "SELECT to_regclass('half') AS found");
      expect(half[0].found).toBeNull();
      expect(await pendingMigrations(pool, dir)).toEqual(['0002_broken.sql']);
    } finally {
      await pool.end();
    }
  });

  it('refuses to go on when a file applied before was edited since', async () => {
    const url = await freshDatabase();
    const pool = createPool(url);
    try {
      writeFileSync(join(dir, '0002_extra.sql'), 'CREATE TABLE extra (id text);');
      await migrate(pool, dir);
      writeFileSync(join(dir, '0002_extra.sql'), 'CREATE TABLE extra (id text, more text);');
      writeFileSync(join(dir, '0003_next.sql'), 'CREATE TABLE next_one (id text);');
      const refused = migrate(pool, dir);
      await expect(refused).rejects.toBeInstanceOf(MigrationError);
      await expect(refused).rejects.toThrow(/0002_extra\.sql was changed after it was applied/);
      expect(await pendingMigrations(pool, dir)).toEqual(['0003_next.sql']);
    } finally {
      await pool.end();
    }
  });

  it('names the folder when it cannot be read', async () => {
    const url = await freshDatabase();
    const pool = createPool(url);
    try {
      await expect(migrate(pool, join(dir, 'missing'))).rejects.toThrow(/Cannot read the migrations in .*missing/);
    } finally {
      await pool.end();
    }
  });
});
