import { spawn } from 'node:child_process';
import { readFileSync, existsSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { createApp } from '../src/app.js';
import { startServer, type RunningServer } from '../src/server.js';
import { post, userMessage } from './support/http.js';
import { testConfig } from './support/testConfig.js';

describe('HTTP server', () => {
  let running: RunningServer;
  let config: ReturnType<typeof testConfig>;

  beforeEach(async () => {
    config = testConfig();
    running = await startServer(await createApp(config), 0, '127.0.0.1');
  });

  afterEach(async () => {
    await running.shutdown();
  });

  it('answers /healthz with status, version and uptime once the store is loaded', async () => {
    const res = await fetch(`${running.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', version: '0.1.0', uptimeSeconds: expect.any(Number) });
  });

  it('runs a turn for an activity posted with deliveryMode expectReplies and returns the replies', async () => {
    const { status, body } = await post(running.url, userMessage('http-1', 'hello'));
    expect(status).toBe(200);
    expect(body.activities?.[0]?.text).toMatch(/I can help you check your membership or cancel it/);
    expect(body.activities?.[0]?.suggestedActions?.actions.map((a) => a.title)).toContain('Cancel membership');
  });

  it('shuts down gracefully: stops accepting, then the state is on disk and the files are unlocked', async () => {
    await post(running.url, userMessage('http-2', '你好'));
    await running.shutdown();
    await expect(fetch(`${running.url}/healthz`)).rejects.toThrow();
    expect(existsSync(`${config.DB_FILE}.lock`)).toBe(false);
    expect(existsSync(`${config.STATE_FILE}.lock`)).toBe(false);
    const state = JSON.parse(readFileSync(config.STATE_FILE, 'utf8'));
    expect(Object.keys(state.items).some((key) => key.includes('http-2'))).toBe(true);
  });
});

describe('npm start (the bundled server as a real process)', () => {
  const entry = 'dist/server.mjs';

  function run(env: Record<string, string>, until: 'exit' | 'listening') {
    const child = spawn(process.execPath, ['--disable-warning=DEP0111', entry], {
      env: {
        PATH: process.env.PATH,
        LOG_LEVEL: 'info',
        NODE_ENV: 'production',
        ALLOW_UNAUTHENTICATED: 'true',
        OTP_HASH_SECRET: 'k'.repeat(32),
        PERSONAL_DATA_KEYS: `k1:${'ab'.repeat(32)}`,
        PERSONAL_DATA_INDEX_KEY: 'i'.repeat(32),
        ...env,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const ready =
      until === 'listening'
        ? new Promise<void>((resolve, reject) => {
            child.stdout.on('data', () => {
              if (stdout.includes('listening on')) resolve();
            });
            void exited.then(() => reject(new Error(`exited early: ${stderr}`)));
          })
        : Promise.resolve();
    return { child, exited, ready, output: () => ({ stdout, stderr }) };
  }

  it('stops before listening with one line naming a bad variable, exit code 1', async () => {
    const proc = run({ PORT: 'eighty' }, 'exit');
    expect(await proc.exited).toBe(1);
    expect(proc.output().stderr.trim()).toBe(
      'Invalid configuration: PORT="eighty"; expected an integer from 0 to 65535.',
    );
  });

  it('refuses a production start without authentication unless ALLOW_UNAUTHENTICATED=true, in one line', async () => {
    const proc = run({ ALLOW_UNAUTHENTICATED: '', PORT: '0' }, 'exit');
    expect(await proc.exited).toBe(1);
    expect(proc.output().stderr.trim()).toBe(
      'Invalid configuration: MicrosoftAppId=(unset); expected the Azure Bot app id when NODE_ENV=production (authentication on), or ALLOW_UNAUTHENTICATED=true to serve without authentication on purpose.',
    );
  });

  const seedText = readFileSync('data/seed.json', 'utf8');
  it.each([
    ['invalid JSON', 'DB_FILE', '{"plans": [', 'not valid JSON'],
    ['a truncated file', 'DB_FILE', seedText.slice(0, seedText.length / 2), 'not valid JSON'],
    [
      'a wrong schema',
      'DB_FILE',
      JSON.stringify({ plans: [], members: [], memberships: [{ id: 'x' }] }),
      'schema error at memberships.0.memberId',
    ],
    ['a corrupt state file', 'STATE_FILE', '{"items": {"k": 1}}', 'schema error at items.k'],
  ])(
    'refuses %s, naming the file and the problem, and leaves it byte for byte',
    async (_what, variable, content, problem) => {
      const config = testConfig();
      const file = variable === 'DB_FILE' ? config.DB_FILE : config.STATE_FILE;
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, content);
      const proc = run({ DB_FILE: config.DB_FILE, STATE_FILE: config.STATE_FILE, PORT: '0' }, 'exit');
      expect(await proc.exited).toBe(1);
      expect(proc.output().stderr.trim()).toMatch(
        new RegExp(
          `^Cannot load ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: ${problem}.*The file was left untouched`,
        ),
      );
      expect(readFileSync(file, 'utf8')).toBe(content);
    },
  );

  it('refuses to start on a data file another running instance holds, leaving it unchanged', async () => {
    const dir = dirname(testConfig().DB_FILE);
    const env = { DB_FILE: join(dir, 'db.json'), STATE_FILE: join(dir, 'state.json'), PORT: '0' };
    const first = run(env, 'listening');
    await first.ready;
    const before = readFileSync(env.DB_FILE, 'utf8');
    const second = run(env, 'exit');
    expect(await second.exited).toBe(1);
    expect(second.output().stderr).toContain(
      `${env.DB_FILE} is in use by another running instance (pid ${first.child.pid})`,
    );
    expect(readFileSync(env.DB_FILE, 'utf8')).toBe(before);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
  });

  it('starts under a real terminal (the pretty log) and answers /healthz', async () => {
    // script(1) gives the server a pseudo-terminal, as a person typing npm start does; pino then prints for people.
    const dir = dirname(testConfig().DB_FILE);
    const command = `exec ${process.execPath} --disable-warning=DEP0111 ${entry}`;
    const child = spawn('script', ['-qefc', command, '/dev/null'], {
      env: {
        PATH: process.env.PATH,
        LOG_LEVEL: 'info',
        DB_FILE: join(dir, 'db.json'),
        STATE_FILE: join(dir, 'state.json'),
        PORT: '0',
      },
    });
    let output = '';
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const port = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        output += d;
        const found = /listening on http:\/\/localhost:(\d+)/.exec(output);
        if (found) resolve(found[1]);
      });
      void exited.then(() => reject(new Error(`exited early: ${output}`)));
    });
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(output).not.toMatch(/ReferenceError|^\{"level"/m);
    child.kill('SIGTERM');
    await exited;
  });

  it('serves a turn, warns once that authentication is off, and exits 0 on SIGTERM', async () => {
    const dir = dirname(testConfig().DB_FILE);
    const proc = run({ DB_FILE: join(dir, 'db.json'), STATE_FILE: join(dir, 'state.json'), PORT: '0' }, 'listening');
    await proc.ready;
    // The bundle's own botbuilder (async functions rewritten by src/botframework/nativeAsync.cjs) runs the turn.
    const port = /listening on http:\/\/localhost:(\d+)/.exec(proc.output().stdout)![1];
    const { status, body } = await post(`http://127.0.0.1:${port}`, userMessage('bundle-1', 'I want to cancel'));
    expect(status).toBe(200);
    expect(body.activities?.map((a) => a.text)).toEqual([
      "First I need to check it's you. What is the phone number or email registered with your membership?",
    ]);
    // restify's body reader printed DEP0005 (new Buffer(0)) on the first request; the server reads bodies itself now.
    expect(proc.output().stderr).not.toMatch(/DeprecationWarning/);
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
    const lines = proc
      .output()
      .stdout.trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.filter((l) => /authentication is off/.test(l.msg))).toHaveLength(1);
    // Without authentication it listens on this machine only; the line leads to the chat page and names the store.
    expect(lines.find((l) => /^listening on/.test(l.msg))).toMatchObject({
      address: '127.0.0.1',
      msg: `listening on http://localhost:${port}/ (the chat page; the bot at /api/messages), data in the JSON file ${join(dir, 'db.json')}`,
    });
    expect(lines.at(-1).msg).toBe('shutting down');
    expect(existsSync(join(dir, 'db.json.lock'))).toBe(false);
  });
});
