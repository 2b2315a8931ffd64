import type { MembershipService } from '../src/membership/membershipService.js';

export interface CancellationLoad {
  /** Each successful cancellation's commit time in ms, sorted. */
  latencies: number[];
  /** Cancellations that threw (a conflict given up on, the database away). */
  failed: number;
  /** How many threw each kind of error (its name), so a failed run says why. */
  failures: Record<string, number>;
  elapsedSeconds: number;
}

/**
 * `workers` callers cancel the given memberships at period end through the service, one after
 * another each, until `seconds` have passed or `limit` have been taken (whichever comes first).
 */
export async function cancelConcurrently(
  service: MembershipService,
  memberships: readonly { id: string; memberId: string }[],
  { workers, seconds = Infinity, limit = Infinity }: { workers: number; seconds?: number; limit?: number },
): Promise<CancellationLoad> {
  const latencies: number[] = [];
  let failed = 0;
  const failures: Record<string, number> = {};
  let next = 0;
  const last = Math.min(limit, memberships.length);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (performance.now() - started < seconds * 1000 && next < last) {
        const m = memberships[next++];
        const t0 = performance.now();
        try {
          await service.cancel({
            memberId: m.memberId,
            membershipId: m.id,
            option: 'period_end',
            requestId: `bench-${m.id}`,
          });
          latencies.push(performance.now() - t0);
        } catch (err) {
          failed += 1;
          const name = (err as Error)?.name ?? 'unknown';
          failures[name] = (failures[name] ?? 0) + 1;
        }
      }
    }),
  );
  const elapsedSeconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { latencies, failed, failures, elapsedSeconds };
}
