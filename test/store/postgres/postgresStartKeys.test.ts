import { spawn } from 'node:child_process';
import { scratchDir } from '../../support/testConfig.js';
import { PG_KEY_SETTINGS, rawQuery, seededDatabase } from './postgresFixture.js';

/** `npm start`'s bundle on the database at `url`, until it exits or listens (then it is stopped); what it did and said. */
async function start(
  url: string,
  keys: Record<string, string>,
): Promise<{ code: number | null; stderr: string; listened: boolean }> {
  const child = spawn(process.execPath, ['--disable-warning=DEP0111', 'dist/server.mjs'], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      ALLOW_UNAUTHENTICATED: 'true',
      OTP_HASH_SECRET: 'k'.repeat(32),
      SECRETS_DIR: scratchDir(),
      PORT: '0',
      DATABASE_URL: url,
      ...keys,
    },
  });
  let stderr = '';
  let listened = false;
  child.stdout.on('data', (d: Buffer) => {
    if (!d.toString().includes('listening on')) return;
    listened = true;
    child.kill('SIGTERM');
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, stderr, listened };
}

describe('starting on PostgreSQL with personal-data keys that do not fit the database', () => {
  it('stops in one line naming the missing key, or the index key, and serves with the right ones', async () => {
    const url = await seededDatabase();
    const before = await rawQuery(url, 'SELECT * FROM members ORDER BY id');

    const lacking = await start(url, {
      PERSONAL_DATA_KEYS: `other:${'cd'.repeat(32)}`,
      PERSONAL_DATA_INDEX_KEY: PG_KEY_SETTINGS.PERSONAL_DATA_INDEX_KEY,
    });
    expect(lacking).toMatchObject({ code: 1, listened: false });
    expect(lacking.stderr).toMatch(/^Personal data sealed under key "pg-1" is not among the keys[^\n]*\n$/);

    const misindexed = await start(url, {
      PERSONAL_DATA_KEYS: PG_KEY_SETTINGS.PERSONAL_DATA_KEYS,
      PERSONAL_DATA_INDEX_KEY: 'x'.repeat(32),
    });
    expect(misindexed).toMatchObject({ code: 1, listened: false });
    expect(misindexed.stderr).toMatch(
      /^Member m-1001 was indexed with another PERSONAL_DATA_INDEX_KEY than this service's[^\n]*\n$/,
    );
    expect(await rawQuery(url, 'SELECT * FROM members ORDER BY id')).toEqual(before);

    const fitting = await start(url, PG_KEY_SETTINGS);
    expect(fitting).toMatchObject({ stderr: '', listened: true });
  }, 60_000);
});
