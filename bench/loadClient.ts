import { Agent, request } from 'undici';

export interface LoadResult {
  concurrency: number;
  requests: number;
  errors: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  /** The server process's CPU per request (a turn, or a whole journey), ms: all threads, and the main thread alone. */
  serverCpuMs?: number;
  serverMainCpuMs?: number;
  /** KB the server's JavaScript allocated per request (from its traced collections), when traced. */
  serverAllocatedKB?: number;
}

export type OpenLoopResult = LoadResult & { offeredPerSecond: number };

/** A long closed loop, with the p99 of each window of it as well as the whole run's. */
export type SteadyResult = LoadResult & { windowSeconds: number; windowP99: number[] };

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** A keep-alive HTTP client shared by the load loops (one connection a conversation at most). */
/** The part of an answer the load phases read: the replies of an expectReplies turn. */
type Answer = { activities?: { text?: string }[] };

export function client(url: string, connections: number) {
  const agent = new Agent({ connections, pipelining: 1, keepAliveTimeout: 30_000 });
  return async (body: unknown): Promise<{ status: number; json: Answer }> => {
    const res = await request(`${url}/api/messages`, {
      method: 'POST',
      dispatcher: agent,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await res.body.text();
    return { status: res.statusCode, json: text ? (JSON.parse(text) as Answer) : {} };
  };
}

/**
 * A closed loop: `concurrency` workers, each sending its next request as soon as the previous one
 * is answered, for `seconds`. `next(worker, i)` returns the request body, or null when that
 * worker has nothing more to send.
 */
export async function closedLoop(
  send: (body: unknown) => Promise<{ status: number }>,
  concurrency: number,
  seconds: number,
  next: (worker: number, i: number) => unknown,
): Promise<LoadResult> {
  const { latencies, errors, started } = await runClosedLoop(send, concurrency, seconds, next);
  return summarise(
    latencies.map(([, ms]) => ms),
    errors,
    concurrency,
    started,
  );
}

/**
 * A closed loop run long enough to hold the rare events of a steady load (a full garbage
 * collection comes every 10 to 15 s here): the whole run's percentiles, and each window's p99 to
 * show how much one short window depends on whether such an event fell in it.
 */
export async function steadyClosedLoop(
  send: (body: unknown) => Promise<{ status: number }>,
  concurrency: number,
  seconds: number,
  windowSeconds: number,
  next: (worker: number, i: number) => unknown,
): Promise<SteadyResult> {
  const { latencies, errors, started } = await runClosedLoop(send, concurrency, seconds, next);
  const windows: number[][] = [];
  for (const [at, ms] of latencies) (windows[Math.floor((at - started) / (windowSeconds * 1000))] ??= []).push(ms);
  const windowP99 = windows
    .filter((w) => w.length > 0)
    .map(
      (w) =>
        Math.round(
          percentile(
            w.sort((a, b) => a - b),
            99,
          ) * 100,
        ) / 100,
    );
  return {
    ...summarise(
      latencies.map(([, ms]) => ms),
      errors,
      concurrency,
      started,
    ),
    windowSeconds,
    windowP99,
  };
}

/** Each answered request as [when it was sent, latency], both in ms of performance.now(). */
async function runClosedLoop(
  send: (body: unknown) => Promise<{ status: number }>,
  concurrency: number,
  seconds: number,
  next: (worker: number, i: number) => unknown,
): Promise<{ latencies: [number, number][]; errors: number; started: number }> {
  const latencies: [number, number][] = [];
  let errors = 0;
  const started = performance.now();
  const until = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      for (let i = 0; performance.now() < until; i++) {
        const body = next(worker, i);
        if (body === null) return;
        const t0 = performance.now();
        try {
          const { status } = await send(body);
          if (status !== 200) errors += 1;
        } catch {
          errors += 1;
        }
        latencies.push([t0, performance.now() - t0]);
      }
    }),
  );
  return { latencies, errors, started };
}

function summarise(latencies: number[], errors: number, concurrency: number, started: number): LoadResult {
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    concurrency,
    requests: latencies.length,
    errors,
    seconds: round(elapsed),
    perSecond: Math.round(latencies.length / elapsed),
    p50: round(percentile(latencies, 50)),
    p95: round(percentile(latencies, 95)),
    p99: round(percentile(latencies, 99)),
  };
}

/**
 * An open loop: `conversations` conversations together offer `perSecond` turns a second, each
 * sending on a fixed schedule (staggered), one turn in flight per conversation as in a chat. A
 * reply that arrives after the next turn was due delays that turn, and its latency counts from
 * when it was due, so a slow server is not hidden by the client waiting for it (no coordinated
 * omission). This is latency at a given load; `closedLoop` finds the most the server can take.
 */
export async function openLoop(
  send: (body: unknown) => Promise<{ status: number }>,
  conversations: number,
  perSecond: number,
  seconds: number,
  next: (worker: number, i: number) => unknown,
): Promise<OpenLoopResult> {
  const latencies: number[] = [];
  let errors = 0;
  const interval = (conversations / perSecond) * 1000;
  const started = performance.now();
  const turns = Math.floor((seconds * 1000) / interval);
  await Promise.all(
    Array.from({ length: conversations }, async (_, worker) => {
      const offset = (worker * interval) / conversations;
      for (let i = 0; i < turns; i++) {
        const due = started + offset + i * interval;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        try {
          const { status } = await send(next(worker, i));
          if (status !== 200) errors += 1;
        } catch {
          errors += 1;
        }
        latencies.push(performance.now() - due);
      }
    }),
  );
  return { ...summarise(latencies, errors, conversations, started), offeredPerSecond: perSecond };
}

/**
 * Whole journeys started on a fixed schedule, `perSecond` of them, whatever the server's pace
 * (open loop: as many in flight as it takes). A journey's latency counts from when it was due to
 * its last answer. `journey(i)` runs journey `i` and returns its status, or null when there is
 * nothing left to start (no eligible member).
 */
export async function openLoopJourneys(
  perSecond: number,
  seconds: number,
  journey: (i: number) => Promise<{ status: number }> | null,
): Promise<OpenLoopResult> {
  const latencies: number[] = [];
  let errors = 0;
  const interval = 1000 / perSecond;
  const started = performance.now();
  const total = Math.floor(seconds * perSecond);
  const running: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const run = journey(i);
    if (!run) break;
    running.push(
      run.then(
        ({ status }) => {
          if (status !== 200) errors += 1;
          latencies.push(performance.now() - due);
        },
        () => {
          errors += 1;
          latencies.push(performance.now() - due);
        },
      ),
    );
  }
  await Promise.all(running);
  return { ...summarise(latencies, errors, running.length, started), offeredPerSecond: perSecond };
}
