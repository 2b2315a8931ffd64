// The per-phase cost tables and the goals of docs/PERFORMANCE.md: what each turn and each journey
// costs the server (CPU, main thread alone, KB allocated) beside its rate and latency, on each engine.
import type { LoadResult } from './loadClient.js';
import type { BenchResults } from './run.js';
import type { ServerRun } from './sideBySide.js';

const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
const fmt = (v: string | number | boolean | undefined) => (v === undefined ? '—' : String(v));

function engineName(x: { engine: string; instances: number }): string {
  return x.engine === 'json' ? 'JSON store' : `PostgreSQL, ${x.instances} instance${x.instances > 1 ? 's' : ''}`;
}

/** One phase's row: rate, latency and the server's cost per request (a turn, or a whole journey). */
function phaseRow(engine: string, phase: string, r: LoadResult): string {
  return row([
    engine,
    phase,
    r.concurrency,
    r.perSecond,
    r.p50,
    r.p99,
    fmt(r.serverCpuMs),
    fmt(r.serverMainCpuMs),
    fmt(r.serverAllocatedKB),
    r.errors,
  ]);
}

/**
 * Every load phase of the run on one table: the echo floors, the real bot on the JSON store and
 * the servers side by side, each with CPU ms (all threads, and the main thread alone) and KB
 * allocated per request, where the request is a turn or, for whole journeys, the journey.
 */
export function phaseCostSection(r: BenchResults): string[] {
  const rows = [
    ...r.floor.map((x) => phaseRow('echo floor (botbuilder as shipped)', 'echo turn', x)),
    ...r.floorOurs.map((x) => phaseRow('echo floor (our plumbing)', 'echo turn', x)),
    ...r.bot.first.map((x) => phaseRow('JSON store', 'first message, per turn', x)),
    ...r.bot.mid.map((x) => phaseRow('JSON store', 'mid-journey, per turn', x)),
    ...r.bot.journey.map((x) => phaseRow('JSON store', 'whole journey, per journey', x)),
    ...(r.serverSideBySide ?? []).flatMap((x: ServerRun) => [
      ...(x.mid ? [phaseRow(engineName(x), 'mid-journey, per turn', x.mid)] : []),
      ...(x.journey ?? []).map((j) => phaseRow(engineName(x), 'whole journey, per journey', j)),
    ]),
  ];
  return [
    '## What each phase costs the server',
    '',
    "Every closed-loop phase of this run, with the server's CPU per request from `/proc` (user + system time over the phase, divided by the requests served: all its threads, and the main thread alone) and the KB its JavaScript allocated per request (what the heap grew by between traced collections). A request is a turn, or for whole journeys the journey (3 turns, one cancellation). The echo floors are the stock echo bot on the same HTTP stack, run in the same bench, so their figures move with the machine's load as the bot's do. The first five groups are the tables above; the rest are the servers of the side-by-side section below (10,000 members).",
    '',
    row([
      'server',
      'phase',
      'conversations',
      'per second',
      'p50 ms',
      'p99 ms',
      'CPU ms',
      'main thread ms',
      'KB',
      'errors',
    ]),
    row(['---', '---', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:']),
    ...rows,
    '',
  ];
}

const at = (results: LoadResult[], concurrency: number) => results.find((x) => x.concurrency === concurrency);

/** Each goal with this run's figure, so a reader sees at once what is met on this machine. */
export function goalsSection(r: BenchResults): string[] {
  const i50 = r.bot.mid.findIndex((x) => x.concurrency === 50);
  const mid = r.bot.mid[i50];
  const journey = at(r.bot.journey, 10);
  const json = r.serverSideBySide?.find((x) => x.engine === 'json');
  const pg1 = r.serverSideBySide?.find((x) => x.engine === 'postgres' && x.instances === 1);
  const pg100k = r.postgres?.find((p) => p.members === 100_000);
  const best = (x?: ServerRun) => Math.max(0, ...(x?.journey ?? []).map((j) => j.perSecond));
  const goals: [string, string][] = [
    ['Mid-journey turns ≥ 1.8 × the stock echo floor (50 conversations)', `${fmt(r.ratioToFloor.mid[i50])} ×`],
    ['… on the way to ≥ 0.6 × our own-plumbing floor', `${fmt(r.ratioToFloorOurs.mid[i50])} ×`],
    [
      'Main-thread CPU ≤ 0.2 ms per mid-journey turn',
      `${fmt(mid?.serverMainCpuMs)} ms (all threads ${fmt(mid?.serverCpuMs)} ms)`,
    ],
    ['≤ 120 KB allocated per mid-journey turn', `${fmt(mid?.serverAllocatedKB)} KB`],
    [
      'A whole journey ≤ 8 ms of CPU (10 conversations)',
      `${fmt(journey?.serverCpuMs)} ms, main thread ${fmt(journey?.serverMainCpuMs)} ms, ${fmt(journey?.serverAllocatedKB)} KB`,
    ],
    [
      'Open loop, 200 journeys/s on the JSON store: p99 ≤ 100 ms',
      json?.journeyOpen ? `${json.journeyOpen.perSecond}/s done, p99 ${json.journeyOpen.p99} ms` : '—',
    ],
    [
      'Server RSS after the bench ≤ 300 MB (JSON store)',
      `${r.bot.rssMB} MB; side by side ${json?.rssMB?.join(' + ') ?? '—'} MB`,
    ],
    [
      'PostgreSQL: ≥ 1,000 cancellations/s from 50 callers, commit p99 ≤ 50 ms (100k members)',
      pg100k ? `${fmt(pg100k.cancellationsPerSecond)}/s, commit p99 ${fmt(pg100k.commitP99ms)} ms` : '—',
    ],
    ['PostgreSQL: ≥ 150 whole journeys/s on one instance', pg1 ? `${best(pg1)}/s at best` : '—'],
  ];
  return [
    '## Goals, as this run measured them',
    '',
    row(['goal', 'this run']),
    row(['---', '---']),
    ...goals.map(([goal, figure]) => row([goal, figure])),
    '',
  ];
}
