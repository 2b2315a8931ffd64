// `npm run db:migrate`, `npm run db:import -- <json store file>`, `npm run db:export -- <file>`:
// the schema and the data of the PostgreSQL store named by DATABASE_URL (.env is read).
import { config as loadDotenv } from 'dotenv';
import { ConfigError, loadConfig } from '../../config.js';
import { StoreLoadError, StoreLockedError } from '../storeErrors.js';
import { runDbCommand, UsageError } from './dbCommands.js';
import { MigrationError, SchemaOutdatedError } from './migrate.js';
import { DatabaseUnreachableError } from './pool.js';

/** Failures a person fixes from the message alone: one line, no stack. */
const EXPECTED = [
  UsageError,
  ConfigError,
  DatabaseUnreachableError,
  MigrationError,
  SchemaOutdatedError,
  StoreLoadError,
  StoreLockedError,
];

async function main(): Promise<void> {
  loadDotenv({ quiet: true });
  try {
    const config = loadConfig(process.env);
    console.log(await runDbCommand(process.argv.slice(2), config.DATABASE_URL));
  } catch (err) {
    if (!EXPECTED.some((type) => err instanceof type)) throw err;
    console.error((err as Error).message);
    process.exitCode = 1;
  }
}

void main();
