import type { Config } from '../config.js';
import type { Clock } from '../core/clock.js';
import { cryptoRandom } from '../core/random.js';
import type { Logger } from '../log.js';
import { openStorage, type AppStorage, type StorageOverrides } from '../appStorage.js';
import { loadPersonalDataKeys } from '../store/personalDataKeys.js';
import { loadSecret, OTP_HASH_KEY, WEBCHAT_TOKEN_KEY } from '../store/secretFiles.js';

/** The opened storage and the two secrets read (or generated) once its files were checked. */
export interface StorageWiring {
  storage: AppStorage;
  /** Keys the one-time codes' hashes; a generated key is written when first asked for. */
  otpHashKey: () => string;
  /** Signs the chat page's conversation tokens; generated like {@link otpHashKey}. */
  webChatKey: () => string;
}

/**
 * Opens the storage the configuration names, with its personal-data keys and the app's secrets.
 *
 * @param config - The app's configuration.
 * @param overrides - What tests replace: an in-memory store, the state storage, the file operations.
 * @param clock - The clock the stores date their records by.
 * @param logger - Where the stores report.
 * @returns The storage and the secrets.
 * @remarks Nothing is written, not even a generated key file, until every data file has been read and checked.
 */
export async function wireStorage(
  config: Config,
  overrides: StorageOverrides,
  clock: Clock,
  logger: Logger,
): Promise<StorageWiring> {
  const secretsDir = overrides.db === 'memory' ? null : config.SECRETS_DIR;
  const personalDataKeys = loadPersonalDataKeys(
    { keys: config.PERSONAL_DATA_KEYS, indexKey: config.PERSONAL_DATA_INDEX_KEY },
    secretsDir,
    cryptoRandom,
  );
  let otpHashKey!: () => string;
  let webChatKey!: () => string;
  const storage = await openStorage({
    config,
    overrides,
    clock,
    logger,
    personalDataKeys,
    checkBeforeWriting: () => {
      otpHashKey = loadSecret(OTP_HASH_KEY, config.OTP_HASH_SECRET, secretsDir, cryptoRandom);
      webChatKey = loadSecret(WEBCHAT_TOKEN_KEY, config.WEBCHAT_TOKEN_SECRET, secretsDir, cryptoRandom);
    },
  });
  return { storage, otpHashKey, webChatKey };
}
