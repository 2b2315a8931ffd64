// One throwaway PostgreSQL server for the whole jest run; each test file makes its own database in
// it (test/support/postgres.ts). Workers inherit POSTGRES_TEST_URL from this process's environment.
import { startEmbeddedPostgres } from '../../scripts/embeddedPostgres.mjs';

export default async function setup() {
  const server = await startEmbeddedPostgres();
  globalThis.__POSTGRES__ = server;
  process.env.POSTGRES_TEST_URL = server.url;
}
