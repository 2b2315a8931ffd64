import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * A new, empty database in the run's throwaway server (test/support/postgresGlobalSetup.mjs), so
 * test files never see each other's rows. Fails loudly if the server is missing: PostgreSQL tests
 * are never skipped silently.
 */
export async function freshDatabase(): Promise<string> {
  const serverUrl = process.env.POSTGRES_TEST_URL;
  if (!serverUrl)
    throw new Error('POSTGRES_TEST_URL is not set: jest must run with its global setup (jest.config.cjs)');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
