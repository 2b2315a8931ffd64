import { config as loadDotenv } from 'dotenv';
import { createApp, type App } from './app.js';
import { loadConfig } from './config.js';
import { isStartError } from './startErrors.js';
import { ListenError, startServer, type RunningServer } from './server.js';

/** `npm start`: reads the configuration once, opens the data files or the database, serves until a signal. */
async function main(): Promise<void> {
  // Milliseconds since the process began: the bundle evaluated, the app built, the port open
  // (logged at debug level; `npm run bench:start` reads them).
  const modulesMs = performance.now();
  loadDotenv({ quiet: true });
  let app: App;
  try {
    app = await createApp(loadConfig(process.env));
  } catch (err) {
    if (isStartError(err)) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const appMs = performance.now();
  let running: RunningServer;
  try {
    running = await startServer(app);
  } catch (err) {
    if (!(err instanceof ListenError)) throw err;
    await app.close().catch(() => undefined);
    console.error(err.message);
    process.exit(1);
  }
  app.logger.debug({ modulesMs, appMs, listenMs: performance.now() }, 'start-up times');
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
