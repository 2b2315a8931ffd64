import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

/** Starts a built server (the bot by default) as a real process and waits until it listens. */
export async function startServerProcess(
  env: Record<string, string>,
  timeoutMs = 15_000,
  entry = 'dist/server.mjs',
): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--disable-warning=DEP0111', entry], {
    // The production build on loopback without Bot Framework tokens: allowed by name, as production requires.
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      ALLOW_UNAUTHENTICATED: 'true',
      OTP_HASH_SECRET: 'bench-otp-hash-secret-0000000000000000',
      LOG_LEVEL: 'info',
      PORT: '0',
      ...env,
    },
  });
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  child.stderr.on('data', (d) => {
    out += d;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in ${timeoutMs} ms:\n${out}`)), timeoutMs);
    child.stdout.on('data', () => {
      const m = /listening on http:\/\/localhost:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${m[1]}`);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${out}`));
    });
  });
  return { child, url, output: () => out, exited };
}

/** The resident set size of a process, from /proc (Linux). */
export function rssMB(pid: number | undefined): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round((kb / 1024) * 10) / 10;
}
