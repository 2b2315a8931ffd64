import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { RandomSource } from '../core/random.js';
import { describeFileError, isFileError } from './dataFileText.js';
import { StoreLoadError } from './storeErrors.js';

/**
 * The key one-time codes are hashed with. Configured in production; otherwise generated once and
 * kept beside the data file (mode 600), so codes issued before a restart still verify after it.
 *
 * Checks without writing: an existing key file that cannot be read or is empty (every code would
 * then be hashed with an empty key) stops the start here, before any data file is written; the
 * returned function generates and writes a missing one.
 */
export function loadOtpHashKey(
  configured: string | undefined,
  dbFile: string | null,
  random: RandomSource,
): () => string {
  if (configured) return () => configured;
  if (!dbFile) {
    const key = random.hex(32);
    return () => key;
  }
  const file = join(dirname(dbFile), '.otp-secret');
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
        'the one-time-code key file is empty; delete it to have a new key generated (codes already sent then stop working), or set OTP_HASH_SECRET',
      );
    return () => key;
  }
  let generated: string | undefined;
  return () => {
    if (generated) return generated;
    mkdirSync(dirname(file), { recursive: true });
    generated = random.hex(32);
    writeFileSync(file, generated, { mode: 0o600 });
    return generated;
  };
}

/**
 * A key configured in production; otherwise generated once and kept beside the data file
 * (`fileName`, mode 600), so what was signed or hashed before a restart still checks after it.
 */
export function secretBesideData(
  configured: string | undefined,
  dbFile: string | null,
  fileName: string,
  random: RandomSource,
): string {
  if (configured) return configured;
  if (!dbFile) return random.hex(32);
  const file = join(dirname(dbFile), fileName);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dirname(file), { recursive: true });
  const key = random.hex(32);
  writeFileSync(file, key, { mode: 0o600 });
  return key;
}
