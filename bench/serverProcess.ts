import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { LoadResult } from './loadClient.js';

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

/**
 * Starts a built server (the bot by default) as a real process and waits until it listens. The
 * default wait is long: a first start on a generated plain file of 10,000 members seals every
 * member and rewrites the snapshot before listening, 25 to 30 s on the 2-core bench machine.
 */
export async function startServerProcess(
  env: Record<string, string>,
  timeoutMs = 120_000,
  entry = 'dist/server.mjs',
  nodeArgs: string[] = [],
): Promise<ServerProcess> {
  const child = spawn(process.execPath, [...nodeArgs, '--disable-warning=DEP0111', entry], {
    // The production build on loopback without Bot Framework tokens: allowed by name, as production requires.
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      ALLOW_UNAUTHENTICATED: 'true',
      OTP_HASH_SECRET: 'bench-otp-hash-secret-0000000000000000',
      PERSONAL_DATA_KEYS: `k1:${'ab'.repeat(32)}`,
      PERSONAL_DATA_INDEX_KEY: 'i'.repeat(32),
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

/** Linux's USER_HZ: /proc reports CPU time in ticks of 10 ms. */
const TICK_MS = 10;

function ticks(statFile: string): number {
  const stat = readFileSync(statFile, 'utf8');
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** CPU time a process has used so far (user + system), in ms, from /proc (Linux): all threads, and the main thread alone. */
export function cpuMs(pid: number | undefined): { all: number; main: number } {
  return { all: ticks(`/proc/${pid}/stat`) * TICK_MS, main: ticks(`/proc/${pid}/task/${pid}/stat`) * TICK_MS };
}

/** The CPU time of every server given, summed. */
function serversCpuMs(servers: ServerProcess[]): { all: number; main: number } {
  return servers
    .map((s) => cpuMs(s.child.pid))
    .reduce((sum, one) => ({ all: sum.all + one.all, main: sum.main + one.main }), { all: 0, main: 0 });
}

/** One --trace-gc line: the heap in use before and after the collection, MB. */
const GC_LINE = /(?:Scavenge|Mark-Compact|Mark-sweep|Minor Mark-Compact)[^\n]*? ([\d.]+) \([\d.]+\) -> ([\d.]+) \(/g;

/**
 * MB the server's JavaScript allocated while its output grew from `from` to `to` characters
 * (started with {@link heapProbeArgs} or `--trace-gc`): what the heap grew by between one
 * collection's end and the next one's start, summed. Undefined when no collection was traced.
 */
export function allocatedMB(output: string, from: number, to: number): number | undefined {
  let previousAfter: number | undefined;
  let sum = 0;
  let counted = 0;
  for (const m of output.slice(0, to).matchAll(GC_LINE)) {
    const before = Number(m[1]);
    if (m.index >= from && previousAfter !== undefined) {
      sum += Math.max(0, before - previousAfter);
      counted++;
    }
    previousAfter = Number(m[2]);
  }
  return counted ? sum : undefined;
}

/**
 * `load` against the server (or instances), with their CPU per request beside its figures: a
 * measure of cost that a machine shared with other work inflates far less than turns per second.
 * With collections traced, the KB allocated per request too.
 */
export async function withServerCpu<R extends LoadResult>(
  server: ServerProcess | ServerProcess[],
  load: () => Promise<R>,
): Promise<R> {
  const servers = Array.isArray(server) ? server : [server];
  const before = serversCpuMs(servers);
  const outputBefore = servers.map((s) => s.output().length);
  const result = await load();
  const after = serversCpuMs(servers);
  const mb = servers.map((s, i) => allocatedMB(s.output(), outputBefore[i], s.output().length));
  const per = (ms: number) => (result.requests ? Math.round((ms / result.requests) * 1000) / 1000 : undefined);
  const kb =
    result.requests && mb.every((m) => m !== undefined)
      ? Math.round((mb.reduce((a, b) => a + b, 0) * 1024) / result.requests)
      : undefined;
  return {
    ...result,
    serverCpuMs: per(after.all - before.all),
    serverMainCpuMs: per(after.main - before.main),
    ...(kb === undefined ? {} : { serverAllocatedKB: kb }),
  };
}

/** The resident set size of a process, from /proc (Linux). */
export function rssMB(pid: number | undefined): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round((kb / 1024) * 10) / 10;
}

/**
 * Node options that let {@link liveHeapMB} ask a server for its live heap: every collection is
 * traced to stdout, and SIGUSR2 writes a heap snapshot (into `dir`), which collects everything
 * unreachable first.
 */
export function heapProbeArgs(dir: string): string[] {
  return ['--trace-gc', '--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${dir}`];
}

/**
 * What the server's heap holds once everything unreachable is collected, in MB (started with
 * {@link heapProbeArgs}): the full collection before a heap snapshot, as --trace-gc reports it.
 * RSS beside it shows how much of the process is heap not yet given back, code and buffers.
 */
export async function liveHeapMB(server: ServerProcess, timeoutMs = 60_000): Promise<number | undefined> {
  const from = server.output().length;
  server.child.kill('SIGUSR2');
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const after = /Mark-Compact[^\n]*?-> ([\d.]+) \(/.exec(server.output().slice(from));
    // The snapshot is being written while the trace line is already out: wait for it to end too.
    if (after) return Number(after[1]);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return undefined;
}
