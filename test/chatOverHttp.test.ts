import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ChatOverHttp, ChatServerError, runningServerUrl } from '../src/chatOverHttp.js';
import { startServer, type RunningServer } from '../src/server.js';
import { createJsonApp, type JsonApp } from './support/jsonApp.js';
import { testConfig } from './support/testConfig.js';
import type { Config } from '../src/config.js';

const WELCOME = 'Hi! I can help you check your membership or cancel it. What would you like to do?';
const ASK_CONTACT =
  "First I need to check it's you. What is the phone number or email registered with your membership?";

/** A port nothing listens on now. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** `npm run chat` as built (dist/src/chat.js), typing `lines`; resolves to its exit code and output. */
function chat(
  config: Config,
  port: number,
  lines: string[],
): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, ['--disable-warning=DEP0111', 'dist/src/chat.js'], {
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      HOST: '127.0.0.1',
      DB_FILE: config.DB_FILE,
      STATE_FILE: config.STATE_FILE,
      NOTIFY_OUTBOX_FILE: config.NOTIFY_OUTBOX_FILE,
      OTP_HASH_SECRET: 'test-secret-test-secret-test-secret-0123',
      DEFAULT_LOCALE: 'en-US',
      LOG_LEVEL: 'silent',
    },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  // One line per prompt: a line typed before the bot answered would be read by the same turn loop anyway.
  let typed = 0;
  child.stdout.on('data', () => {
    const prompts = out.split('\n> ').length - 1;
    while (typed < prompts && typed < lines.length) child.stdin.write(`${lines[typed++]}\n`);
  });
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, out, err })));
}

describe('npm run chat beside a running server', () => {
  let config: Config;
  let app: JsonApp;
  let running: RunningServer;

  beforeAll(async () => {
    config = testConfig({ DEFAULT_LOCALE: 'en-US' });
    app = await createJsonApp(config);
    running = await startServer(app, 0, '127.0.0.1');
  });
  afterAll(() => running.shutdown());

  it('finds the server where the configuration says it listens, and nothing on a free port', async () => {
    expect(await runningServerUrl({ HOST: '127.0.0.1', PORT: running.port })).toBe(`http://127.0.0.1:${running.port}`);
    expect(await runningServerUrl({ HOST: '0.0.0.0', PORT: running.port })).toBe(`http://127.0.0.1:${running.port}`);
    expect(await runningServerUrl({ HOST: '127.0.0.1', PORT: await closedPort() })).toBeNull();
  });

  it('does not take another program on the port for the bot', async () => {
    const other = createServer((_req, res) => res.end('hello'));
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const { port } = other.address() as AddressInfo;
    expect(await runningServerUrl({ HOST: '127.0.0.1', PORT: port })).toBeNull();
    await new Promise((resolve) => other.close(resolve));
  });

  it('talks to the running server, whose store holds what the conversation did', async () => {
    const { code, out, err } = await chat(config, running.port, ['I want to cancel', '+86 138 1234 5678', '/quit']);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toContain(`Talking to the bot running at http://127.0.0.1:${running.port}/ (npm start).`);
    expect(out).toContain(WELCOME);
    expect(out).toContain(ASK_CONTACT);
    expect(out).toContain('If 138****5678 is registered with us, a 6-digit code has just been sent to it.');
    // The server's own store took the request for a code: the chat never opened it.
    expect(app.store.data.outbox.filter((m) => m.template === 'otp')).toHaveLength(1);
  });

  it('runs the bot in its own process when no server is running', async () => {
    const alone = testConfig({ DEFAULT_LOCALE: 'en-US' });
    const { code, out, err } = await chat(alone, await closedPort(), ['I want to cancel', '/quit']);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).not.toContain('Talking to the bot running at');
    expect(out).toContain(ASK_CONTACT);
  });

  it('says in one line what to do when the server refuses unauthenticated turns', async () => {
    const guarded = createServer((_req, res) => {
      res.statusCode = 401;
      res.end();
    });
    await new Promise<void>((resolve) => guarded.listen(0, '127.0.0.1', resolve));
    const { port } = guarded.address() as AddressInfo;
    await expect(new ChatOverHttp(`http://127.0.0.1:${port}`).send({ type: 'message', text: 'hi' })).rejects.toThrow(
      new ChatServerError(
        `The server at http://127.0.0.1:${port} refuses turns without a Bot Framework token (MicrosoftAppId is set there): use the chat page or the Emulator, or stop it and run npm run chat on its own.`,
      ),
    );
    await new Promise((resolve) => guarded.close(resolve));
  });
});
