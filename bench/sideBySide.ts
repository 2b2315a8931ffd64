import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededRandom } from '../src/core/random.js';
import { syntheticDb, syntheticPhone } from '../src/devtools/syntheticData.js';
import { createDatabase, dropDatabase } from './embeddedDatabase.js';
import { client, closedLoop, openLoopJourneys, type LoadResult, type OpenLoopResult } from './loadClient.js';
import {
  heapProbeArgs,
  liveHeapMB,
  rssMB,
  startServerProcess,
  withServerCpu,
  type ServerProcess,
} from './serverProcess.js';
import { activity, eligibleMembers, SECRET, TOKEN_AUDIENCE, TOKEN_ISSUER, wholeJourney } from './turns.js';
import { seededJsonStore } from './seededStore.js';

/** The same members on every engine: the loader (postgresScale.ts) generates them with this seed too. */
const MEMBERS = 10_000;
const MID_CONVERSATIONS = 50;
const JOURNEY_CONCURRENCY = [10, 50, 200];
/** The open-loop goal: 200 whole journeys started a second, p99 ≤ 100 ms. */
const OFFERED_JOURNEYS = 200;

export type Engine = 'json' | 'postgres';

interface ServerFigures {
  /** Mid-journey turns (the code prompt re-asked) from 50 conversations, closed loop. */
  mid: LoadResult;
  /** Whole journeys (3 turns, one cancellation each), closed loop; figures per journey. */
  journey: LoadResult[];
  /** Whole journeys started at 200/s whatever the pace (open loop); latency per journey from when it was due. */
  journeyOpen: OpenLoopResult;
  /** Each instance's RSS after all of it. */
  rssMB: number[];
  /** Each instance's RSS once started and warmed up, before the measured loads. */
  rssWarmMB: number[];
  /** Each instance's heap once everything unreachable is collected, after all of it. */
  liveHeapMB: (number | undefined)[];
}

/** One engine and number of instances: its figures, or why it has none. */
export type ServerRun = { engine: Engine; instances: number; error?: string } & Partial<ServerFigures>;

/** One request to each instance in turn, as a load balancer without affinity does. */
function alternating(servers: ServerProcess[], connections: number) {
  const sends = servers.map((s) => client(s.url, connections));
  let next = 0;
  return (body: unknown) => sends[next++ % sends.length](body);
}

const baseEnv = {
  MEMBER_TOKEN_SECRET: SECRET,
  MEMBER_TOKEN_ISSUER: TOKEN_ISSUER,
  MEMBER_TOKEN_AUDIENCE: TOKEN_AUDIENCE,
  RATE_LIMIT_REQUESTS_PER_MINUTE_PER_IP: '0',
  RATE_LIMIT_TURNS_PER_MINUTE: '0',
};

async function startJson(): Promise<{ servers: ServerProcess[]; done: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-side-json-'));
  const server = await startServerProcess(
    { ...baseEnv, ...seededJsonStore(dir, MEMBERS, MEMBERS).env },
    undefined,
    undefined,
    heapProbeArgs(dir),
  );
  return { servers: [server], done: async () => rmSync(dir, { recursive: true, force: true }) };
}

async function startPostgres(
  serverUrl: string,
  instances: number,
): Promise<{ servers: ServerProcess[]; done: () => Promise<void> }> {
  const name = `bench_side_${instances}`;
  const url = await createDatabase(serverUrl, name);
  const loaded = execFileSync(process.execPath, ['dist/bench/postgresScale.js', 'load', String(MEMBERS), url], {
    timeout: 5 * 60_000,
    encoding: 'utf8',
  });
  if (loaded.includes('"error"')) throw new Error(loaded.trim());
  const dir = mkdtempSync(join(tmpdir(), 'bench-side-pg-'));
  const servers: ServerProcess[] = [];
  for (let i = 0; i < instances; i++)
    servers.push(
      await startServerProcess(
        {
          ...baseEnv,
          DATABASE_URL: url,
          DATABASE_MIGRATE: 'off',
          NOTIFY_OUTBOX_FILE: join(dir, `outbox-${i}.jsonl`),
        },
        undefined,
        undefined,
        heapProbeArgs(dir),
      ),
    );
  return {
    servers,
    done: async () => {
      await dropDatabase(serverUrl, name);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function stopAll(servers: ServerProcess[]): Promise<void> {
  for (const server of servers) server.child.kill('SIGTERM');
  await Promise.all(servers.map((s) => s.exited));
}

/** The realBot load shapes that matter for the engines, on one engine and number of instances. */
async function measure(servers: ServerProcess[], seconds: number): Promise<ServerFigures> {
  const eligible = eligibleMembers(syntheticDb(MEMBERS, seededRandom(MEMBERS)));
  let nextMember = 0;
  const nextJourney = () => eligible[nextMember++];

  // Warm-up (unmeasured), then 50 conversations brought to the code prompt.
  const warm = alternating(servers, 50);
  await closedLoop(warm, 50, 3, (w, i) => activity(`warm-${w}-${i % 3}`, i % 3 ? 'help' : 'hello'));
  const rssWarmMB = servers.map((s) => rssMB(s.child.pid));
  const send = alternating(servers, MID_CONVERSATIONS);
  await Promise.all(
    Array.from({ length: MID_CONVERSATIONS }, async (_, w) => {
      await send(activity(`mid-${w}`, 'I want to cancel'));
      await send(activity(`mid-${w}`, syntheticPhone(w)));
    }),
  );
  const mid = await withServerCpu(servers, () =>
    closedLoop(send, MID_CONVERSATIONS, seconds, (w) => activity(`mid-${w}`, '12')),
  );

  const journey: LoadResult[] = [];
  for (const c of JOURNEY_CONCURRENCY) {
    const journeySend = alternating(servers, c);
    journey.push(
      await withServerCpu(servers, () =>
        closedLoop(
          (body) => {
            const { memberId, conv } = body as { memberId: string; conv: string };
            return wholeJourney(journeySend, memberId, conv);
          },
          c,
          seconds,
          (w, i) => {
            const memberId = nextJourney();
            return memberId ? { memberId, conv: `journey-${c}-${w}-${i}` } : null;
          },
        ),
      ),
    );
  }
  const openSend = alternating(servers, 256);
  const journeyOpen = await openLoopJourneys(OFFERED_JOURNEYS, seconds, (i) => {
    const memberId = nextJourney();
    return memberId ? wholeJourney(openSend, memberId, `open-journey-${i}`) : null;
  });
  const rssAfter = servers.map((s) => rssMB(s.child.pid));
  const liveHeap: (number | undefined)[] = [];
  for (const server of servers) liveHeap.push(await liveHeapMB(server));
  return { mid, journey, journeyOpen, rssMB: rssAfter, rssWarmMB, liveHeapMB: liveHeap };
}

/**
 * The server as a whole on the JSON store, and on PostgreSQL with one and with two instances
 * (one database; the load client alternates between them request by request), under the same
 * loads on the same 10,000 generated members.
 */
export async function serverSideBySide(postgresUrl: string, seconds: number): Promise<ServerRun[]> {
  const runs: ServerRun[] = [];
  const setups: { engine: Engine; instances: number }[] = [
    { engine: 'json', instances: 1 },
    { engine: 'postgres', instances: 1 },
    { engine: 'postgres', instances: 2 },
  ];
  for (const { engine, instances } of setups) {
    try {
      const started = engine === 'json' ? await startJson() : await startPostgres(postgresUrl, instances);
      try {
        runs.push({ engine, instances, ...(await measure(started.servers, seconds)) });
      } finally {
        await stopAll(started.servers);
        await started.done();
      }
    } catch (err) {
      runs.push({ engine, instances, error: (err as Error).message.split('\n').slice(0, 3).join(' ').slice(0, 300) });
    }
    console.log(`side by side ${engine} ×${instances}: ${JSON.stringify(runs.at(-1))}`);
  }
  return runs;
}
