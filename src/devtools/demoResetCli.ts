// `npm run demo:reset`: the demo data seeded again as of today (src/devtools/demoReset.ts).
import { config as loadDotenv } from 'dotenv';
import { ConfigError, loadConfig } from '../config.js';
import { isStartError } from '../startErrors.js';
import { DemoResetError, resetDemo } from './demoReset.js';

async function main(): Promise<void> {
  loadDotenv({ quiet: true });
  try {
    console.log(await resetDemo(loadConfig(process.env)));
  } catch (err) {
    if (!(err instanceof DemoResetError || err instanceof ConfigError || isStartError(err))) throw err;
    console.error(err.message);
    process.exitCode = 1;
  }
}

void main();
