import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scenarios } from './scenarios.js';
import { record } from './transcriptPlayer.js';

/**
 * `npm run transcripts:record`: writes every scenario's transcript (and its store expectations)
 * anew, like `jest -u` for snapshots. Never part of `npm test`; review the diff before committing.
 */
const DIR = 'test/transcripts';

describe('record transcripts', () => {
  mkdirSync(DIR, { recursive: true });
  it.each(scenarios.map((s) => [s.name, s] as const))('%s', async (name, scenario) => {
    const transcript = await record(scenario);
    writeFileSync(join(DIR, `${name}.transcript`), `${JSON.stringify(transcript, null, 2)}\n`);
    if (scenario.expect)
      writeFileSync(join(DIR, `${name}.expect.json`), `${JSON.stringify(scenario.expect, null, 2)}\n`);
  });
});
