// `npm run bench:start [-- runs]`: how long a start with nothing changed takes to answer /healthz,
// and where the time goes. Three measures, each run `runs` times (5 by default) on loopback with the
// data in a scratch folder (the demo's own files are left alone):
//   npm start      the whole command a person types (npm, the no-op build, the server)
//   build          `node scripts/build.mjs` alone, with nothing to build
//   server         `node dist/server.mjs` alone, to its first /healthz answer, with the server's own
//                  account of it: modules loaded, app built (store opened, language model read), listening
// Each line gives the wall time and the CPU time of the process tree (user + system, from /proc, so
// Linux only). On a shared machine the wall time follows the load; the CPU time much less so. The
// load average is printed beside each run for that reason. Builds first (the first start's cost is
// not what this measures).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Number(process.argv[2] ?? 5);
const TICK_MS = 10; // Linux reports CPU time in clock ticks of 1/100 s.
const GIVE_UP_MS = 120_000;

/** A port free on loopback right now. */
function freePort() {
  return new Promise((done, fail) => {
    const probe = createServer().once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => done(port));
    });
  });
}

/** utime + stime of a process and of its children already waited for, with its parent's id; null once gone. */
function procStat(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
    return { ppid: Number(fields[1]), cpuMs: ticks * TICK_MS };
  } catch {
    return null;
  }
}

/** CPU time of `root` and every process below it that is still running, in milliseconds. */
function treeCpuMs(root) {
  const stats = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = procStat(Number(name));
    if (stat) stats.set(Number(name), stat);
  }
  const below = (pid) => {
    for (let at = pid; at > 1; at = stats.get(at)?.ppid ?? 0) if (at === root) return true;
    return false;
  };
  return [...stats].filter(([pid]) => below(pid)).reduce((sum, [, s]) => sum + s.cpuMs, 0);
}

async function healthy(port) {
  try {
    return (await fetch(`http://127.0.0.1:${port}/healthz`)).ok;
  } catch {
    return false;
  }
}

/** The server's own account of its start (src/main.ts logs it at debug level), as text; '' without it. */
function phases(stdout) {
  const line = stdout.split('\n').find((l) => l.includes('"start-up times"'));
  if (!line) return '';
  const { modulesMs, appMs, listenMs } = JSON.parse(line);
  const part = (ms) => `${(ms / 1000).toFixed(2)}`;
  return `  [modules loaded ${part(modulesMs)}, app built +${part(appMs - modulesMs)}, listening +${part(listenMs - appMs)}]`;
}

/** Starts `command`, waits for /healthz, measures, stops the whole process group. */
async function timeToHealthy(command, args, env) {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
  const exited = new Promise((done) => child.once('exit', done));
  let gone = false;
  void exited.then(() => (gone = true));
  try {
    while (!(await healthy(port))) {
      if (gone) throw new Error(`${command} ${args.join(' ')} stopped before answering:\n${stderr}`);
      if (performance.now() - started > GIVE_UP_MS) throw new Error(`no /healthz answer in ${GIVE_UP_MS / 1000} s`);
      await new Promise((done) => setTimeout(done, 20));
    }
    return { wallMs: performance.now() - started, cpuMs: treeCpuMs(child.pid), phases: phases(stdout) };
  } finally {
    process.kill(-child.pid, 'SIGTERM');
    await exited;
  }
}

/** Runs a command to its end; its wall time and the CPU time it and its children used. */
function timeToExit(command, args) {
  const before = procStat(process.pid).cpuMs;
  const started = performance.now();
  const run = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${run.stdout}${run.stderr}`);
  return { wallMs: performance.now() - started, cpuMs: procStat(process.pid).cpuMs - before };
}

const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function measure(name, once) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    const load = loadavg()[0];
    const run = await once();
    runs.push(run);
    const line = `${name.padEnd(10)} wall ${seconds(run.wallMs)}  cpu ${seconds(run.cpuMs)}  (load ${load.toFixed(2)})`;
    console.log(line + (run.phases ?? ''));
  }
  const wall = median(runs.map((r) => r.wallMs));
  const cpu = median(runs.map((r) => r.cpuMs));
  console.log(`${name.padEnd(10)} median wall ${seconds(wall)}, cpu ${seconds(cpu)}\n`);
}

const node = process.execPath;
/** The server as `npm start` runs it, flags included. */
const serverArgs = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))
  .scripts.start.split(' ')
  .slice(1);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const scratch = mkdtempSync(join(tmpdir(), 'start-time-'));
const dataEnv = {
  DB_FILE: join(scratch, 'db.json'),
  STATE_FILE: join(scratch, 'state.json'),
  NOTIFY_OUTBOX_FILE: join(scratch, 'outbox.jsonl'),
  BILLING_FILE: join(scratch, 'charges.jsonl'),
  LOG_LEVEL: 'debug',
};
try {
  timeToExit(node, ['scripts/build.mjs']);
  // The first start creates the scratch data files from the seed; every measured start opens them.
  await timeToHealthy(node, serverArgs, dataEnv);
  console.log(`${RUNS} runs each, ${availableParallelism()} cores\n`);
  await measure('npm start', () => timeToHealthy(npm, ['start'], dataEnv));
  await measure('build', () => timeToExit(node, ['scripts/build.mjs']));
  await measure('server', () => timeToHealthy(node, serverArgs, dataEnv));
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
