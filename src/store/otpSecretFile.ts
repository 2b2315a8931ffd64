import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { RandomSource } from '../core/random.js';

/**
 * The key one-time codes are hashed with. Configured in production; otherwise generated once and
 * kept beside the data file (mode 600), so codes issued before a restart still verify after it.
 */
export function otpHashKey(configured: string | undefined, dbFile: string | null, random: RandomSource): string {
  if (configured) return configured;
  if (!dbFile) return random.hex(32);
  const file = join(dirname(dbFile), '.otp-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dirname(file), { recursive: true });
  const key = random.hex(32);
  writeFileSync(file, key, { mode: 0o600 });
  return key;
}
