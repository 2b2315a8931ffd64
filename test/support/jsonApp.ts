import { createApp, type App, type AppOverrides } from '../../src/app.js';
import type { Config } from '../../src/config.js';
import type { storedDbSchema } from '../../src/store/sealedRecords.js';
import type { JsonStore } from '../../src/store/json/jsonStore.js';

/** An app on the JSON store, whose data a test reads as the store holds it. */
export type JsonApp = App & { store: JsonStore<typeof storedDbSchema> };

/** The app built by the composition root, on the JSON store (no DATABASE_URL). */
export async function createJsonApp(config: Config, overrides: AppOverrides = {}): Promise<JsonApp> {
  const app = await createApp(config, overrides);
  if (!app.store) throw new Error('This test reads the JSON store: run it without DATABASE_URL.');
  return app as JsonApp;
}
