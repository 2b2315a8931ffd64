import { spawn } from 'node:child_process';
import { constants } from 'node:buffer';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { scratchDir } from './support/testConfig.js';

/** `npm start`'s bundle as a real process, until it exits (or starts listening); its exit code and what it printed. */
async function start(env: Record<string, string>): Promise<{ code: number | null; stderr: string; stdout: string }> {
  const child = spawn(process.execPath, ['--disable-warning=DEP0111', 'dist/server.mjs'], {
    env: {
      PATH: process.env.PATH,
      LOG_LEVEL: 'info',
      NODE_ENV: 'production',
      ALLOW_UNAUTHENTICATED: 'true',
      OTP_HASH_SECRET: 'k'.repeat(32),
      PERSONAL_DATA_KEYS: `k1:${'ab'.repeat(32)}`,
      PERSONAL_DATA_INDEX_KEY: 'i'.repeat(32),
      PORT: '0',
      ...env,
    },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d;
    // A start that should have been refused: stop it rather than wait for it.
    if (stdout.includes('listening on')) child.kill('SIGTERM');
  });
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, stderr, stdout };
}

function files(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name), 'utf8')]));
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('start-up errors: one line naming the file or the port and what to do, exit code 1', () => {
  let blocker: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (blocker ? blocker.close(() => resolve()) : resolve())));

  it('a port already in use, with the data files released', async () => {
    blocker = createServer();
    await new Promise<void>((resolve) => blocker!.listen(0, resolve));
    const port = (blocker.address() as { port: number }).port;
    const dir = scratchDir();
    const run = await start({
      PORT: String(port),
      DB_FILE: join(dir, 'db.json'),
      STATE_FILE: join(dir, 'state.json'),
      OTP_HASH_SECRET: 'k'.repeat(32),
      PERSONAL_DATA_KEYS: `k1:${'ab'.repeat(32)}`,
      PERSONAL_DATA_INDEX_KEY: 'i'.repeat(32),
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      new RegExp(
        `^Cannot listen on [^ ]+:${port}: the port is already in use \\(EADDRINUSE\\)\\. Stop the process that holds it, or set PORT to a free port\\.\\n$`,
      ),
    );
    expect(existsSync(join(dir, 'db.json.lock'))).toBe(false);
    expect(existsSync(join(dir, 'state.json.lock'))).toBe(false);
  });

  it('a state file that is a directory', async () => {
    const dir = scratchDir();
    const state = join(dir, 'state.json');
    mkdirSync(state);
    const run = await start({ DB_FILE: join(dir, 'db.json'), STATE_FILE: state, OTP_HASH_SECRET: 'k'.repeat(32) });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      new RegExp(
        `^Cannot load ${escape(state)}: it is a directory, not a file; point the setting at a file\\.[^\\n]*\\n$`,
      ),
    );
  });

  it('a state file that cannot be reached (a part of its path is a file); as root, permissions cannot be tested and share this path', async () => {
    const dir = scratchDir();
    writeFileSync(join(dir, 'not-a-dir'), '');
    const state = join(dir, 'not-a-dir', 'state.json');
    const run = await start({ DB_FILE: join(dir, 'db.json'), STATE_FILE: state, OTP_HASH_SECRET: 'k'.repeat(32) });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^Cannot load [^\n]*not-a-dir[^\n]*: a part of its path is a file, not a directory\.[^\n]*\n$/,
    );
    expect(existsSync(join(dir, 'db.json'))).toBe(false);
  });

  it('a state file too large for one string, refused before it is read', async () => {
    const dir = scratchDir();
    const state = join(dir, 'state.json');
    // Sparse: no disk space and nothing read, since the size alone refuses it.
    writeFileSync(state, '');
    truncateSync(state, constants.MAX_STRING_LENGTH + 1);
    const run = await start({ DB_FILE: join(dir, 'db.json'), STATE_FILE: state, OTP_HASH_SECRET: 'k'.repeat(32) });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      new RegExp(
        `^Cannot load ${escape(state)}: it is 512 MB \\(536,870,889 bytes\\), more than Node can read as one string \\(536,870,888 characters\\); move it aside and restore a smaller backup\\.[^\\n]*\\n$`,
      ),
    );
  });

  it('a corrupt conversation-state file, before the member data is compacted or seeded', async () => {
    const dir = scratchDir();
    const db = join(dir, 'db.json');
    copyFileSync('data/seed.json', db);
    // A journal left by the last run: opening the member data alone would compact it into db.json.
    writeFileSync(
      `${db}.journal`,
      '[{"c":"audit","v":{"id":"au-left","at":"2026-11-24T00:00:00.000Z","type":"left.over"}}]\n',
    );
    writeFileSync(join(dir, 'state.json'), '{"items": {"k": 1}}');
    const before = files(dir);
    const run = await start({ DB_FILE: db, STATE_FILE: join(dir, 'state.json'), OTP_HASH_SECRET: 'k'.repeat(32) });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^Cannot load .*state\.json: schema error at items\.k[^\n]*\n$/);
    expect(files(dir)).toEqual(before);

    // Nor is the seed copied when the member data does not exist yet.
    const fresh = scratchDir();
    writeFileSync(join(fresh, 'state.json'), '{"items": {"k": 1}}');
    expect(
      (
        await start({
          DB_FILE: join(fresh, 'db.json'),
          STATE_FILE: join(fresh, 'state.json'),
          OTP_HASH_SECRET: 'k'.repeat(32),
          PERSONAL_DATA_KEYS: `k1:${'ab'.repeat(32)}`,
          PERSONAL_DATA_INDEX_KEY: 'i'.repeat(32),
        })
      ).code,
    ).toBe(1);
    expect(readdirSync(fresh)).toEqual(['state.json']);
  });

  it('an empty one-time-code key file, before anything is written', async () => {
    const dir = scratchDir();
    const secrets = scratchDir();
    const secret = join(secrets, 'otp-hash-key');
    writeFileSync(secret, '\n');
    // Development: a key is generated (and then read) only where none is configured.
    const run = await start({
      NODE_ENV: 'development',
      OTP_HASH_SECRET: '',
      DB_FILE: join(dir, 'db.json'),
      STATE_FILE: join(dir, 'state.json'),
      SECRETS_DIR: secrets,
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      new RegExp(
        `^Cannot load ${escape(secret)}: the key file is empty; delete it to have a new key generated \\(codes already sent then stop working\\), or set OTP_HASH_SECRET\\.[^\\n]*\\n$`,
      ),
    );
    expect(readdirSync(dir)).toEqual([]);
  });
});
