import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seededRandom } from '../src/core/random.js';
import { syntheticDb } from '../src/devtools/syntheticData.js';

/**
 * Writes `members` generated members as the seed in `dir`, and returns them with the settings
 * that put a server's JSON store, conversation state and outbox beside it.
 */
export function seededJsonStore(dir: string, members: number, seed: number) {
  const data = syntheticDb(members, seededRandom(seed));
  writeFileSync(join(dir, 'seed.json'), JSON.stringify(data));
  const env = {
    DB_FILE: join(dir, 'db.json'),
    STATE_FILE: join(dir, 'state.json'),
    SEED_FILE: join(dir, 'seed.json'),
    NOTIFY_OUTBOX_FILE: join(dir, 'outbox.jsonl'),
  };
  return { data, env };
}
