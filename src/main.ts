import { config as loadDotenv } from 'dotenv';
import { createApp, type App } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { ListenError, startServer, type RunningServer } from './server.js';
import { PersonalDataKeyError } from './privacy/fieldCipher.js';
import { IndexKeyMismatchError } from './store/postgres/keyFit.js';
import { MigrationError, SchemaOutdatedError } from './store/postgres/migrate.js';
import { DatabaseUnreachableError } from './store/postgres/pool.js';
import { StoreLoadError, StoreLockedError, StoreWriteError } from './store/storeErrors.js';

/** `npm start`: reads the configuration once, opens the data files or the database, serves until a signal. */
async function main(): Promise<void> {
  loadDotenv({ quiet: true });
  let app: App;
  try {
    app = await createApp(loadConfig(process.env));
  } catch (err) {
    // A full disk at start (the sweep or the state purge cannot write) is as actionable as a bad file.
    if (
      err instanceof ConfigError ||
      err instanceof StoreLoadError ||
      err instanceof StoreLockedError ||
      err instanceof StoreWriteError ||
      err instanceof DatabaseUnreachableError ||
      err instanceof SchemaOutdatedError ||
      err instanceof MigrationError ||
      err instanceof PersonalDataKeyError ||
      err instanceof IndexKeyMismatchError
    ) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  let running: RunningServer;
  try {
    running = await startServer(app);
  } catch (err) {
    if (!(err instanceof ListenError)) throw err;
    await app.close().catch(() => undefined);
    console.error(err.message);
    process.exit(1);
  }
  app.startBackgroundWork();
  const stop = (signal: string) => {
    app.logger.info({ signal }, 'shutting down');
    running.shutdown().then(
      () => process.exit(0),
      (err) => {
        app.logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

void main();
