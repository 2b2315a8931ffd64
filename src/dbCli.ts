// `npm run db:migrate`, `npm run db:reseal`, `npm run db:import -- <json store file>`,
// `npm run db:export -- <file>`: the schema and the data of the PostgreSQL store named by
// DATABASE_URL (.env is read), sealed with the keys the service has (PERSONAL_DATA_KEYS…).
import { config as loadDotenv } from 'dotenv';
import { ConfigError, loadConfig } from './config.js';
import { cryptoRandom } from './core/random.js';
import { PersonalDataKeyError } from './privacy/fieldCipher.js';
import { loadPersonalDataKeys } from './store/personalDataKeys.js';
import { StoreLoadError, StoreLockedError } from './store/storeErrors.js';
import { runDbCommand, UsageError } from './store/postgres/dbCommands.js';
import { IndexKeyMismatchError } from './store/sealedRecords.js';
import { MigrationError, SchemaOutdatedError } from './store/postgres/migrate.js';
import { DatabaseUnreachableError } from './store/postgres/pool.js';

/** Failures a person fixes from the message alone: one line, no stack. */
const EXPECTED = [
  UsageError,
  ConfigError,
  DatabaseUnreachableError,
  MigrationError,
  SchemaOutdatedError,
  StoreLoadError,
  StoreLockedError,
  PersonalDataKeyError,
  IndexKeyMismatchError,
];

async function main(): Promise<void> {
  loadDotenv({ quiet: true });
  try {
    const config = loadConfig(process.env);
    const keys = loadPersonalDataKeys(
      { keys: config.PERSONAL_DATA_KEYS, indexKey: config.PERSONAL_DATA_INDEX_KEY },
      config.SECRETS_DIR,
      cryptoRandom,
    );
    console.log(await runDbCommand(process.argv.slice(2), config.DATABASE_URL, keys));
  } catch (err) {
    if (!EXPECTED.some((type) => err instanceof type)) throw err;
    console.error((err as Error).message);
    process.exitCode = 1;
  }
}

void main();
