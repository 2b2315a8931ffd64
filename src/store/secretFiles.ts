import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { RandomSource } from '../core/random.js';
import { describeFileError, isFileError } from './dataFileText.js';
import { StoreLoadError } from './storeErrors.js';

/** A key generated for development, and the setting that replaces it. */
export interface GeneratedSecret {
  /** The file's name in SECRETS_DIR. */
  file: string;
  /** The environment variable that configures it instead. */
  setting: string;
  /** What stops working when the key changes, for the message about an empty file. */
  lost: string;
}

export const OTP_HASH_KEY: GeneratedSecret = {
  file: 'otp-hash-key',
  setting: 'OTP_HASH_SECRET',
  lost: 'codes already sent then stop working',
};
export const WEBCHAT_TOKEN_KEY: GeneratedSecret = {
  file: 'webchat-token-key',
  setting: 'WEBCHAT_TOKEN_SECRET',
  lost: 'open chat pages then start over',
};

/**
 * A key from the environment; otherwise (development) generated once into SECRETS_DIR, a directory
 * apart from the data (mode 700, the file 600), so a copy of the data files holds no key, what was
 * hashed or signed before a restart still checks after it, and every instance started from the
 * same checkout shares it. Production requires the setting (config.ts).
 *
 * Checks without writing: an existing key file that cannot be read or is empty (everything would
 * then be hashed with an empty key) stops the start here, before any data file is written; the
 * returned function generates and writes a missing one. `dir` null: a key for this process only.
 */
export function loadSecret(
  secret: GeneratedSecret,
  configured: string | undefined,
  dir: string | null,
  random: RandomSource,
): () => string {
  if (configured) return () => configured;
  if (!dir) {
    const key = random.hex(32);
    return () => key;
  }
  const file = join(dir, secret.file);
  if (existsSync(file)) {
    let key: string;
    try {
      key = readFileSync(file, 'utf8').trim();
    } catch (err) {
      throw isFileError(err) ? new StoreLoadError(file, describeFileError(err)) : err;
    }
    if (!key)
      throw new StoreLoadError(
        file,
        `the key file is empty; delete it to have a new key generated (${secret.lost}), or set ${secret.setting}`,
      );
    return () => key;
  }
  let generated: string | undefined;
  return () => {
    if (generated) return generated;
    const key = random.hex(32);
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      writeDurably(file, key);
      generated = key;
    } catch (err) {
      // Another instance started from the same checkout wrote it first: use theirs.
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') generated = readFileSync(file, 'utf8').trim();
      else if (isFileError(err))
        throw new StoreLoadError(file, `the key cannot be generated (${describeFileError(err)})`);
      else throw err;
    }
    return generated;
  };
}

/**
 * Creates the key file (failing if it exists) and syncs it and its directory before the key is
 * used: personal data sealed with a generated key that power loss then took could never be read.
 */
function writeDurably(file: string, key: string): void {
  const fd = openSync(file, 'wx', 0o600);
  try {
    writeSync(fd, key);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  const dir = openSync(dirname(file), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}
