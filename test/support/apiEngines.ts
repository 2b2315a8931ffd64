import { createApp, type App, type AppOverrides } from '../../src/app.js';
import { PG_KEY_SETTINGS, rawQuery, seededDatabase } from '../store/postgres/postgresFixture.js';
import { createJsonApp } from './jsonApp.js';
import { testConfig } from './testConfig.js';

/** An app built by the composition root on one engine, with the demo data. */
export interface EngineApp {
  app: App;
  /** A member's record as the store keeps it at rest, as text (to show what is sealed). */
  storedMember(id: string): Promise<string>;
}

/** One engine the API tests run on: `open` builds an app on fresh demo data with these settings. */
export interface ApiEngine {
  open(settings: Record<string, string>, overrides: AppOverrides): Promise<EngineApp>;
}

/** Both engines, for `describe.each`: the API answers alike on each. */
export const API_ENGINES: [string, ApiEngine][] = [
  [
    'the JSON store',
    {
      async open(settings, overrides) {
        const app = await createJsonApp(testConfig(settings), overrides);
        return {
          app,
          storedMember: async (id) => JSON.stringify(app.store.data.members.find((m) => m.id === id)),
        };
      },
    },
  ],
  [
    'PostgreSQL',
    {
      async open(settings, overrides) {
        const url = await seededDatabase();
        const app = await createApp(testConfig({ DATABASE_URL: url, ...PG_KEY_SETTINGS, ...settings }), overrides);
        return {
          app,
          storedMember: async (id) => JSON.stringify(await rawQuery(url, 'SELECT * FROM members WHERE id = $1', [id])),
        };
      },
    },
  ],
];
