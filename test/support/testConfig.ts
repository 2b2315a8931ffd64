import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../../src/config.js';
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from './hostToken.js';

/** A scratch directory that the OS cleans; every test that touches disk gets its own. */
export function scratchDir(prefix = 'membership-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** The configuration a test runs with: files in a scratch directory, logs off, the real seed. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  const dir = scratchDir();
  return loadConfig({
    DB_FILE: join(dir, 'db.json'),
    STATE_FILE: join(dir, 'state.json'),
    SEED_FILE: 'data/seed.json',
    NOTIFY_TRANSPORT: 'file',
    NOTIFY_OUTBOX_FILE: join(dir, 'outbox.jsonl'),
    BILLING_FILE: join(dir, 'charges.jsonl'),
    LOG_LEVEL: 'silent',
    OTP_HASH_SECRET: 'test-secret-test-secret-test-secret-0123',
    MEMBER_TOKEN_ISSUER: TOKEN_ISSUER,
    MEMBER_TOKEN_AUDIENCE: TOKEN_AUDIENCE,
    ...overrides,
  });
}
