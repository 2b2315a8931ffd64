// A short A/B of what a turn costs the server: builds given as server bundles, run in turn (A B A B)
// on the same load, each reporting main-thread CPU and KB allocated per mid-journey turn and per
// whole journey; with --profile, the functions that took the most CPU (self time) as well.
// `node dist/bench/turnProfile.js [--entry dist/server.mjs ...] [--rounds 2] [--seconds 4] [--profile]`
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { syntheticPhone } from '../src/devtools/syntheticData.js';
import { client, closedLoop, type LoadResult } from './loadClient.js';
import { startServerProcess, withServerCpu } from './serverProcess.js';
import { activity, eligibleMembers, SECRET, TOKEN_AUDIENCE, TOKEN_ISSUER, wholeJourney } from './turns.js';
import { seededJsonStore } from './seededStore.js';

const MEMBERS = 10_000;
const CONVERSATIONS = 50;
const JOURNEY_CONVERSATIONS = 10;

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** A stretch of the monotonic clock in µs, as V8's profiler stamps its samples. */
type Window = [number, number];
const nowUs = () => Number(process.hrtime.bigint() / 1000n);

function option(name: string): string[] {
  const args = process.argv.slice(2);
  return args.flatMap((a, i) => (a === `--${name}` && args[i + 1] ? [args[i + 1]] : []));
}

/** The functions that took the most samples of a .cpuprofile within `window` (start-up left out), with their share. */
function topSelfTime(file: string, window: Window, count = 15): string[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const byFunction = new Map<string, number>();
  let total = 0;
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i];
    const frame = nodes.get(id)?.callFrame;
    if (!frame || at < window[0] || at > window[1] || frame.functionName === '(idle)') return;
    const url = frame.url.replace(/^file:\/\//, '');
    const where = url ? `${relative(process.cwd(), url)}:${frame.lineNumber + 1}` : '';
    const key = `${frame.functionName || '(anonymous)'} ${where}`.trim();
    byFunction.set(key, (byFunction.get(key) ?? 0) + 1);
    total++;
  });
  return [...byFunction.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([key, hits]) => `${((hits / total) * 100).toFixed(1).padStart(5)} %  ${key}`);
}

async function once(
  entry: string,
  seconds: number,
  profileDir: string | undefined,
): Promise<{ line: string; windows: Record<'mid-journey' | 'journey', Window> }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-profile-'));
  const { data, env: files } = seededJsonStore(dir, MEMBERS, 1);
  const server = await startServerProcess(
    {
      ...files,
      MEMBER_TOKEN_SECRET: SECRET,
      MEMBER_TOKEN_ISSUER: TOKEN_ISSUER,
      MEMBER_TOKEN_AUDIENCE: TOKEN_AUDIENCE,
      RATE_LIMIT_REQUESTS_PER_MINUTE_PER_IP: '0',
      RATE_LIMIT_TURNS_PER_MINUTE: '0',
    },
    // Seeding 10,000 members on a busy machine, profiled, takes a while.
    180_000,
    entry,
    ['--trace-gc', ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])],
  );
  const send = client(server.url, CONVERSATIONS);
  await closedLoop(send, CONVERSATIONS, 3, (w, i) => activity(`warm-${w}-${i % 3}`, i % 3 ? 'help' : 'hello'));
  await Promise.all(
    Array.from({ length: CONVERSATIONS }, async (_, w) => {
      await send(activity(`mid-${w}`, 'I want to cancel'));
      await send(activity(`mid-${w}`, syntheticPhone(w)));
    }),
  );
  const started = nowUs();
  const mid = await withServerCpu(server, () =>
    closedLoop(send, CONVERSATIONS, seconds, (w) => activity(`mid-${w}`, '12')),
  );
  const midEnded = nowUs();
  const eligible = eligibleMembers(data);
  let next = 0;
  const journeySend = client(server.url, JOURNEY_CONVERSATIONS);
  const journey = await withServerCpu(server, () =>
    closedLoop(
      (body) => {
        const { memberId, conv } = body as { memberId: string; conv: string };
        return wholeJourney(journeySend, memberId, conv);
      },
      JOURNEY_CONVERSATIONS,
      seconds,
      (w, i) => {
        const memberId = eligible[next++];
        return memberId ? { memberId, conv: `journey-${w}-${i}` } : null;
      },
    ),
  );
  const windows = { 'mid-journey': [started, midEnded] as Window, journey: [midEnded, nowUs()] as Window };
  server.child.kill('SIGTERM');
  await server.exited;
  rmSync(dir, { recursive: true, force: true });
  const figures = (r: LoadResult, unit: string) =>
    `${r.perSecond} ${unit}/s, main ${r.serverMainCpuMs} ms (all ${r.serverCpuMs}), ${r.serverAllocatedKB ?? '—'} KB`;
  return { line: `${entry}: mid-journey ${figures(mid, 'turns')} | journey ${figures(journey, 'journeys')}`, windows };
}

const entries = option('entry').length ? option('entry') : ['dist/server.mjs'];
const rounds = Number(option('rounds')[0] ?? 2);
const seconds = Number(option('seconds')[0] ?? 4);
const profile = process.argv.includes('--profile');
for (let round = 0; round < rounds; round++) {
  for (const entry of entries) {
    const profileDir = profile ? mkdtempSync(join(tmpdir(), 'bench-cpuprofile-')) : undefined;
    const { line, windows } = await once(entry, seconds, profileDir);
    console.log(line);
    if (profileDir) {
      const file = readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
      for (const [name, window] of file ? Object.entries(windows) : [])
        console.log(`${name}:\n${topSelfTime(join(profileDir, file!), window).join('\n')}`);
      rmSync(profileDir, { recursive: true, force: true });
    }
  }
}
