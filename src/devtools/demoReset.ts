import { rm } from 'node:fs/promises';
import { createApp } from '../app.js';
import type { Config } from '../config.js';
import { systemClock, type Clock } from '../core/clock.js';
import { acquireLock } from '../store/json/lockFile.js';

/** Thrown when the demo cannot be reseeded as configured; its message says what to do. */
export class DemoResetError extends Error {}

/** Every file the JSON store and the state storage keep (snapshot, journals, lock). */
function dataFiles(config: Config): string[] {
  return [config.DB_FILE, config.STATE_FILE].flatMap((file) => [file, `${file}.journal`, `${file}.journal.old`]);
}

/**
 * `npm run demo:reset`: deletes the member data (DB_FILE) and the conversation state (STATE_FILE),
 * then opens the app once, which seeds them from SEED_FILE with the demo's dates moved to today.
 * Refused while a bot holds the data file.
 */
export async function resetDemo(config: Config, clock: Clock = systemClock): Promise<string> {
  if (config.DATABASE_URL) {
    throw new DemoResetError(
      'demo:reset reseeds the JSON store; unset DATABASE_URL, or load the demo into PostgreSQL with npm run db:import -- data/db.json after a reset.',
    );
  }
  // A running bot holds the lock: deleting its files under it would lose what it writes next.
  acquireLock(config.DB_FILE)();
  acquireLock(config.STATE_FILE)();
  await Promise.all(dataFiles(config).map((file) => rm(file, { force: true })));
  const app = await createApp(config, { clock });
  await app.close();
  return `Demo data reseeded from ${config.SEED_FILE} into ${config.DB_FILE}, dated as of ${app.clock.now().toISOString().slice(0, 10)}.`;
}
