import { ConfigError } from './config.js';
import { PersonalDataKeyError } from './privacy/fieldCipher.js';
import { MigrationError, SchemaOutdatedError } from './store/postgres/migrate.js';
import { DatabaseUnreachableError } from './store/postgres/pool.js';
import { IndexKeyMismatchError } from './store/sealedRecords.js';
import { StoreLoadError, StoreLockedError, StoreWriteError } from './store/storeErrors.js';

/**
 * Whether a start failed for a reason its message tells an operator how to fix (a setting, a file,
 * the database, the keys): `npm start` and `npm run chat` print it in one line, no stack trace. A
 * full disk at start (the sweep or the state purge cannot write) is as actionable as a bad file.
 */
export function isStartError(err: unknown): err is Error {
  return (
    err instanceof ConfigError ||
    err instanceof StoreLoadError ||
    err instanceof StoreLockedError ||
    err instanceof StoreWriteError ||
    err instanceof DatabaseUnreachableError ||
    err instanceof SchemaOutdatedError ||
    err instanceof MigrationError ||
    err instanceof PersonalDataKeyError ||
    err instanceof IndexKeyMismatchError
  );
}
