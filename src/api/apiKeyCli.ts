// `npm run api:key -- create --scope read,cancel | list | revoke <id> | rotate <id>`: the provider's
// API keys, in the store the service uses (DATABASE_URL, else DB_FILE; .env is read).
import { config as loadDotenv } from 'dotenv';
import { openStorage } from '../appStorage.js';
import { loadConfig } from '../config.js';
import { systemClock } from '../core/clock.js';
import { cryptoRandom } from '../core/random.js';
import { createLogger } from '../log.js';
import { isStartError } from '../startErrors.js';
import { loadPersonalDataKeys } from '../store/personalDataKeys.js';
import { ApiKeyUsageError, runApiKeyCommand } from './apiKeyCommands.js';
import { ApiKeyService, UnknownApiKeyError } from './apiKeyService.js';

async function main(): Promise<void> {
  loadDotenv({ quiet: true });
  try {
    const config = loadConfig(process.env);
    const storage = await openStorage({
      config,
      overrides: {},
      clock: systemClock,
      logger: createLogger('warn'),
      checkBeforeWriting: () => undefined,
      personalDataKeys: loadPersonalDataKeys(
        { keys: config.PERSONAL_DATA_KEYS, indexKey: config.PERSONAL_DATA_INDEX_KEY },
        config.SECRETS_DIR,
        cryptoRandom,
      ),
    });
    try {
      console.log(
        await runApiKeyCommand(process.argv.slice(2), new ApiKeyService(storage.repository, systemClock, cryptoRandom)),
      );
    } finally {
      await storage.close();
    }
  } catch (err) {
    if (!(err instanceof ApiKeyUsageError || err instanceof UnknownApiKeyError || isStartError(err))) throw err;
    console.error(err.message);
    process.exitCode = 1;
  }
}

void main();
