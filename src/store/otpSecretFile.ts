import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { RandomSource } from '../core/random.js';

/**
 * A key configured in production; otherwise generated once and kept beside the data file
 * (`fileName`, mode 600), so what was signed or hashed before a restart still checks after it.
 */
export function secretBesideData(configured: string | undefined, dbFile: string | null, fileName: string, random: RandomSource): string {
  if (configured) return configured;
  if (!dbFile) return random.hex(32);
  const file = join(dirname(dbFile), fileName);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dirname(file), { recursive: true });
  const key = random.hex(32);
  writeFileSync(file, key, { mode: 0o600 });
  return key;
}

/** The key one-time codes are hashed with. */
export function otpHashKey(configured: string | undefined, dbFile: string | null, random: RandomSource): string {
  return secretBesideData(configured, dbFile, '.otp-secret', random);
}
