import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { syntheticPhone } from '../src/devtools/syntheticData.js';
import { lineChart } from './charts.js';
import type { DurabilityRun } from './commitDurability.js';
import type { NluCost } from './nluCost.js';
import type { SealingCost } from './sealingCost.js';
import type { ApiThroughput } from './apiThroughput.js';
import {
  client,
  closedLoop,
  openLoop,
  percentile,
  steadyClosedLoop,
  type LoadResult,
  type OpenLoopResult,
  type SteadyResult,
} from './loadClient.js';
import { createDatabase, dropDatabase, startEmbeddedPostgres } from './embeddedDatabase.js';
import { performanceReport } from './report.js';
import { activity, eligibleMembers, SECRET, TOKEN_AUDIENCE, TOKEN_ISSUER, wholeJourney } from './turns.js';
import { serverSideBySide, type ServerRun } from './sideBySide.js';
import {
  heapProbeArgs,
  liveHeapMB,
  rssMB,
  startServerProcess,
  withServerCpu,
  type ServerProcess,
} from './serverProcess.js';
import { seededJsonStore } from './seededStore.js';

const CONCURRENCY = [10, 50, 200];
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const SIZES = (process.env.BENCH_SIZES ?? '1000,10000,100000,1000000').split(',').map(Number);
const WARM_UP_SECONDS = 3;
/** Offered loads (turns/s from 50 conversations) for latency at a given load, as in production. */
const OPEN_RATES = [250, 500, 750, 1000];
const OPEN_CONVERSATIONS = 50;
/** The goal's mid-journey measure (50 conversations) once more, over a run long enough for a steady p99. */
const STEADY_SECONDS = Number(process.env.BENCH_STEADY_SECONDS ?? 30);

function scratch(name: string): string {
  return mkdtempSync(join(tmpdir(), `bench-${name}-`));
}

async function stop(server: ServerProcess): Promise<void> {
  server.child.kill('SIGTERM');
  await server.exited;
}

interface FloorResults {
  closed: LoadResult[];
  open: OpenLoopResult[];
}

/**
 * The floor: an echo bot on the same restify + CloudAdapter stack, as botbuilder ships it, or
 * run the way the real server runs turns (`ours`: clients reused, processActivity, bundled with
 * botbuilder's async functions native); open loops only for the first.
 */
async function floor(plumbing: 'shipped' | 'ours'): Promise<FloorResults> {
  const entry = plumbing === 'ours' ? 'dist/bench/echoServer.mjs' : 'dist/bench/echoServer.js';
  // Collections traced, so that the floor's KB allocated per turn stands beside the bot's.
  const server = await startServerProcess({ ECHO_PLUMBING: plumbing }, 15_000, entry, ['--trace-gc']);
  // Unmeasured: lets V8 optimise the hot paths, as a long-running server would have.
  await closedLoop(client(server.url, 50), 50, WARM_UP_SECONDS, (w, i) => activity(`warm-${w}`, `hello ${i}`));
  const results: LoadResult[] = [];
  for (const c of CONCURRENCY) {
    const send = client(server.url, c);
    results.push(
      await withServerCpu(server, () =>
        closedLoop(send, c, SECONDS, (w, i) => activity(`echo-${c}-${w}`, `hello ${i}`)),
      ),
    );
  }
  const open: OpenLoopResult[] = [];
  const send = client(server.url, OPEN_CONVERSATIONS);
  for (const rate of plumbing === 'shipped' ? OPEN_RATES : []) {
    open.push(await openLoop(send, OPEN_CONVERSATIONS, rate, SECONDS, (w, i) => activity(`open-${w}`, `hello ${i}`)));
  }
  await stop(server);
  return { closed: results, open };
}

interface BotResults {
  first: LoadResult[];
  mid: LoadResult[];
  /** Mid-journey turns at the offered loads of OPEN_RATES, from 50 conversations. */
  midOpen: OpenLoopResult[];
  /** Mid-journey turns from 50 conversations for STEADY_SECONDS, with each 5-s window's p99. */
  midSteady: SteadyResult;
  journey: LoadResult[];
  rssMB: number;
  /** The heap once everything unreachable is collected, after the load phases; absent in older results. */
  liveHeapMB?: number;
}

/** The real bot over HTTP with persisted state, on 10k generated members. */
async function realBot(): Promise<BotResults> {
  const dir = scratch('bot');
  const members = 10_000;
  const { data, env: files } = seededJsonStore(dir, members, 1);
  const env = {
    ...files,
    MEMBER_TOKEN_SECRET: SECRET,
    MEMBER_TOKEN_ISSUER: TOKEN_ISSUER,
    MEMBER_TOKEN_AUDIENCE: TOKEN_AUDIENCE,
    RATE_LIMIT_REQUESTS_PER_MINUTE_PER_IP: '0',
    RATE_LIMIT_TURNS_PER_MINUTE: '0',
  };
  const server = await startServerProcess(env, undefined, undefined, heapProbeArgs(dir));
  const first: LoadResult[] = [];
  const mid: LoadResult[] = [];
  const midOpen: OpenLoopResult[] = [];
  const journeys: LoadResult[] = [];
  await closedLoop(client(server.url, 50), 50, WARM_UP_SECONDS, (w, i) =>
    activity(`warm-${w}-${i % 3}`, i % 3 ? 'help' : 'hello'),
  );

  for (const c of CONCURRENCY) {
    const send = client(server.url, c);
    first.push(
      await withServerCpu(server, () =>
        closedLoop(send, c, SECONDS, (w, i) => activity(`first-${c}-${w}-${i}`, 'hello')),
      ),
    );
  }
  for (const c of CONCURRENCY) {
    const send = client(server.url, c);
    // Bring each conversation to the code prompt first (not timed); then every turn is a
    // mid-journey turn: state read, a prompt's recognition and re-prompt, state written.
    await Promise.all(
      Array.from({ length: c }, async (_, w) => {
        await send(activity(`mid-${c}-${w}`, 'I want to cancel'));
        await send(activity(`mid-${c}-${w}`, syntheticPhone(w + c * 1000)));
      }),
    );
    mid.push(await withServerCpu(server, () => closedLoop(send, c, SECONDS, (w) => activity(`mid-${c}-${w}`, '12'))));
  }
  const midSend = client(server.url, OPEN_CONVERSATIONS);
  for (const rate of OPEN_RATES) {
    midOpen.push(
      await openLoop(midSend, OPEN_CONVERSATIONS, rate, SECONDS, (w) =>
        activity(`mid-${OPEN_CONVERSATIONS}-${w}`, '12'),
      ),
    );
  }
  const midSteady = await steadyClosedLoop(midSend, OPEN_CONVERSATIONS, STEADY_SECONDS, SECONDS, (w) =>
    activity(`mid-${OPEN_CONVERSATIONS}-${w}`, '12'),
  );
  // Whole journeys: intent with a host token, "at period end", skip the reason; one cancellation each.
  const eligible = eligibleMembers(data);
  let nextMember = 0;
  for (const c of CONCURRENCY) {
    const send = client(server.url, c);
    const journey = (body: unknown) => {
      const { memberId, conv } = body as { memberId: string; conv: string };
      return wholeJourney(send, memberId, conv);
    };
    journeys.push(
      await withServerCpu(server, () =>
        closedLoop(journey, c, SECONDS, (w, i) => {
          const memberId = eligible[nextMember++];
          return memberId ? { memberId, conv: `journey-${c}-${w}-${i}` } : null;
        }),
      ),
    );
  }
  const serverRssMB = rssMB(server.child.pid);
  const serverLiveHeapMB = await liveHeapMB(server);
  await stop(server);
  rmSync(dir, { recursive: true, force: true });
  return { first, mid, midOpen, midSteady, journey: journeys, rssMB: serverRssMB, liveHeapMB: serverLiveHeapMB };
}

interface ColdStart {
  runs: number;
  toHealthzMs: number[];
  firstTurnMs: number[];
  medianToHealthzMs: number;
  medianFirstTurnMs: number;
}

/** From `node` start to /healthz 200 with the demo data, then the first turns. */
async function coldStart(runs = 5): Promise<ColdStart> {
  const toHealthz: number[] = [];
  const firstTurn: number[] = [];
  for (let i = 0; i < runs; i++) {
    const dir = scratch('cold');
    const t0 = performance.now();
    const server = await startServerProcess({
      DB_FILE: join(dir, 'db.json'),
      STATE_FILE: join(dir, 'state.json'),
      NOTIFY_OUTBOX_FILE: join(dir, 'outbox.jsonl'),
    });
    for (;;) {
      const ok = await fetch(`${server.url}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    toHealthz.push(Math.round(performance.now() - t0));
    const send = client(server.url, 1);
    const t1 = performance.now();
    await send(activity('cold', 'I want to cancel'));
    await send(activity('cold', 'my number is 138 1234 5678'));
    firstTurn.push(Math.round((performance.now() - t1) / 2));
    await stop(server);
  }
  const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
  return {
    runs,
    toHealthzMs: toHealthz,
    firstTurnMs: firstTurn,
    medianToHealthzMs: percentile(sorted(toHealthz), 50),
    medianFirstTurnMs: percentile(sorted(firstTurn), 50),
  };
}

export interface StoreScale {
  members: number;
  error?: string;
  [figure: string]: number | string | undefined;
}

/** Each size in its own process (bounded in time), plus the real server's start-up on that data. */
async function storeScale(): Promise<StoreScale[]> {
  const results: StoreScale[] = [];
  for (const size of SIZES) {
    const dir = scratch(`store-${size}`);
    const figures = childFigures<StoreScale>(
      size,
      ['--max-old-space-size=8192', 'dist/bench/storeScale.js', String(size), dir],
      15 * 60_000,
    );
    if (!figures.error) {
      const dbDir = scratch(`serve-${size}`);
      copyFileSync(join(dir, 'seed.json'), join(dbDir, 'db.json'));
      const t0 = performance.now();
      try {
        const server = await startServerProcess(
          {
            DB_FILE: join(dbDir, 'db.json'),
            STATE_FILE: join(dbDir, 'state.json'),
            NODE_OPTIONS: '--max-old-space-size=8192',
          },
          10 * 60_000,
        );
        figures.serverStartMs = Math.round(performance.now() - t0);
        figures.serverRssMB = rssMB(server.child.pid);
        await stop(server);
      } catch (err) {
        figures.serverStartError = (err as Error).message.split('\n').slice(0, 3).join(' ').slice(0, 300);
      }
    }
    console.log(`store ${size}: ${JSON.stringify(figures)}`);
    results.push(figures);
  }
  return results;
}

export interface PostgresScale {
  members: number;
  error?: string;
  [figure: string]: number | string | boolean | undefined;
}

/** The last JSON line a bench child printed, or its error. */
function childFigures<T extends { members: number; error?: string }>(
  size: number,
  args: string[],
  timeoutMs: number,
): T {
  try {
    const out = execFileSync(process.execPath, args, { timeout: timeoutMs, encoding: 'utf8' });
    return JSON.parse(out.trim().split('\n').at(-1)!) as T;
  } catch (err) {
    const out = String((err as { stdout?: string }).stdout ?? '').trim();
    return (
      out ? JSON.parse(out.split('\n').at(-1)!) : { members: size, error: (err as Error).message.slice(0, 200) }
    ) as T;
  }
}

/**
 * The PostgreSQL adapter at the sizes of the JSON store's storeScale: each size in a database of
 * its own, loaded by one child process and measured by another (postgresScale.ts); the database
 * is dropped afterwards.
 */
async function postgresScale(serverUrl: string): Promise<PostgresScale[]> {
  const results: PostgresScale[] = [];
  for (const size of SIZES) {
    const name = `bench_scale_${size}`;
    const url = await createDatabase(serverUrl, name);
    const loaded = childFigures<PostgresScale>(
      size,
      ['--max-old-space-size=8192', 'dist/bench/postgresScale.js', 'load', String(size), url],
      20 * 60_000,
    );
    const figures: PostgresScale = loaded.error
      ? loaded
      : {
          ...loaded,
          ...childFigures<PostgresScale>(
            size,
            ['dist/bench/postgresScale.js', 'measure', String(size), url],
            5 * 60_000,
          ),
        };
    await dropDatabase(serverUrl, name);
    console.log(`postgres ${size}: ${JSON.stringify(figures)}`);
    results.push(figures);
  }
  return results;
}

async function main(): Promise<void> {
  const date = new Date().toISOString().slice(0, 10);
  const machine = {
    cores: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  };
  const loadAtStart = loadavg().map((l) => Math.round(l * 10) / 10);
  console.log('floor…');
  const floorResults = await floor('shipped');
  console.log('floor with our plumbing…');
  const floorOurs = await floor('ours');
  console.log('real bot…');
  const bot = await realBot();
  console.log('cold start…');
  const cold = await coldStart();
  console.log('store scale…');
  const store = await storeScale();
  console.log('postgres scale…');
  const database = await startEmbeddedPostgres();
  let postgres: PostgresScale[];
  let sideBySide: ServerRun[];
  try {
    postgres = await postgresScale(database.url);
    console.log('server side by side…');
    sideBySide = await serverSideBySide(database.url, SECONDS);
  } finally {
    await database.stop();
  }
  console.log('commit durability…');
  const durability = JSON.parse(
    execFileSync(process.execPath, ['dist/bench/commitDurability.js'], {
      timeout: 10 * 60_000,
      encoding: 'utf8',
    }).trim(),
  ) as BenchResults['durability'];
  console.log(`durability: ${JSON.stringify(durability)}`);
  console.log('understanding…');
  const nlu = JSON.parse(
    execFileSync(process.execPath, ['dist/bench/nluCost.js'], { timeout: 5 * 60_000, encoding: 'utf8' }).trim(),
  ) as NluCost;
  console.log(`understanding: ${JSON.stringify(nlu)}`);
  console.log('sealing personal data…');
  const sealing = JSON.parse(
    execFileSync(process.execPath, ['dist/bench/sealingCost.js'], { timeout: 10 * 60_000, encoding: 'utf8' }).trim(),
  ) as SealingCost;
  console.log(`sealing: ${JSON.stringify(sealing)}`);
  console.log("the provider's API…");
  const api = JSON.parse(
    execFileSync(process.execPath, ['dist/bench/apiThroughput.js'], { timeout: 10 * 60_000, encoding: 'utf8' }).trim(),
  ) as ApiThroughput;
  console.log(`api: ${JSON.stringify(api)}`);
  const ratio = (r: LoadResult[], to = floorResults.closed) =>
    r.map((x, i) => Math.round((x.perSecond / to[i].perSecond) * 100) / 100);
  const results = {
    date,
    machine,
    seconds: SECONDS,
    floor: floorResults.closed,
    floorOpen: floorResults.open,
    floorOurs: floorOurs.closed,
    bot,
    ratioToFloorOurs: { first: ratio(bot.first, floorOurs.closed), mid: ratio(bot.mid, floorOurs.closed) },
    ratioToFloor: { first: ratio(bot.first), mid: ratio(bot.mid) },
    coldStart: cold,
    store,
    postgres,
    serverSideBySide: sideBySide,
    durability,
    nlu,
    sealing,
    api,
    loadAverage: { start: loadAtStart, end: loadavg().map((l) => Math.round(l * 10) / 10) },
  };

  mkdirSync('bench/results', { recursive: true });
  writeFileSync(`bench/results/${date}.json`, `${JSON.stringify(results, null, 2)}\n`);
  writeReport(results);
}

/** docs/PERFORMANCE.md and the charts, from one run's results and the hand-written analysis. */
function writeReport(results: BenchResults): void {
  const { floor: floorResults, bot, store } = results;
  mkdirSync('docs', { recursive: true });
  writeFileSync(
    'docs/latency.svg',
    lineChart('p99 latency (ms) by concurrent conversations', CONCURRENCY, [
      { name: 'echo floor', values: floorResults.map((r) => r.p99) },
      { name: 'first message', values: bot.first.map((r) => r.p99) },
      { name: 'mid-journey', values: bot.mid.map((r) => r.p99) },
    ]),
  );
  writeFileSync(
    'docs/latency-open.svg',
    lineChart(
      'p99 latency (ms) by offered turns/s, 50 conversations',
      results.bot.midOpen.map((r) => r.offeredPerSecond),
      [
        { name: 'echo floor', values: results.floorOpen.map((r) => r.p99) },
        { name: 'mid-journey', values: results.bot.midOpen.map((r) => r.p99) },
      ],
    ),
  );
  const ok = store.filter((s) => !s.error);
  writeFileSync(
    'docs/store-scale.svg',
    lineChart(
      'store cost (ms) by members',
      ok.map((s) => s.members),
      [
        { name: 'load + index', values: ok.map((s) => Number(s.loadMs)) },
        { name: 'commit p50', values: ok.map((s) => Number(s.commitP50ms)) },
        { name: 'server start', values: ok.map((s) => Number(s.serverStartMs ?? 0)) },
      ],
      true,
    ),
  );
  writeFileSync('docs/PERFORMANCE.md', performanceReport(results, readFileSync('bench/analysis.md', 'utf8')));
  console.log(
    `wrote docs/PERFORMANCE.md, docs/latency.svg, docs/latency-open.svg, docs/store-scale.svg from the results of ${results.date}`,
  );
}

export type BenchResults = {
  date: string;
  machine: { cores: number; cpu: string; memoryGiB: number; node: string };
  seconds: number;
  floor: LoadResult[];
  floorOpen: OpenLoopResult[];
  floorOurs: LoadResult[];
  bot: BotResults;
  ratioToFloorOurs: { first: number[]; mid: number[] };
  ratioToFloor: { first: number[]; mid: number[] };
  coldStart: ColdStart;
  store: StoreScale[];
  /** Absent in results from before the PostgreSQL adapter. */
  postgres?: PostgresScale[];
  /** Absent in results from before the PostgreSQL adapter. */
  serverSideBySide?: ServerRun[];
  /** Absent in results from before the journal was fsynced. */
  durability?: { runs: DurabilityRun[]; fsyncCostMs: number };
  /** Absent in results from before the trained NLU. */
  nlu?: NluCost;
  /** Absent in results from before personal data was sealed at rest. */
  sealing?: SealingCost;
  /** Absent in results from before the provider's API was measured. */
  api?: ApiThroughput;
  /** os.loadavg() when the run started and ended; absent in older results. */
  loadAverage?: { start: number[]; end: number[] };
};

function reportOnly(): void {
  const newest = readdirSync('bench/results')
    .filter((f) => f.endsWith('.json'))
    .sort()
    .at(-1);
  if (!newest) throw new Error('No results in bench/results yet: run npm run bench first.');
  writeReport(JSON.parse(readFileSync(join('bench/results', newest), 'utf8')) as BenchResults);
}

/**
 * `--postgres`: the PostgreSQL figures alone (start, look-ups, cancellations from 50 callers at
 * each of BENCH_SIZES), printed, nothing written: for a look at the adapter without the rest.
 */
async function postgresOnly(): Promise<void> {
  const database = await startEmbeddedPostgres();
  try {
    await postgresScale(database.url);
  } finally {
    await database.stop();
  }
}

const mode = process.argv.includes('--report') ? 'report' : process.argv.includes('--postgres') ? 'postgres' : 'all';
(mode === 'report' ? Promise.resolve().then(reportOnly) : mode === 'postgres' ? postgresOnly() : main()).catch(
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
