import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../src/core/clock.js';
import { seededRandom } from '../src/core/random.js';
import { syntheticDb } from '../src/devtools/syntheticData.js';
import { cancelConcurrently } from './concurrentCancellations.js';
import { MembershipService } from '../src/membership/membershipService.js';
import { Notifier } from '../src/notify/notifier.js';
import { openDataStore } from '../src/store/json/dataStore.js';
import { JsonRepository } from '../src/store/json/jsonRepository.js';
import { diskFiles, type StoreFiles } from '../src/store/storeFiles.js';
import { benchSealer } from './benchSealer.js';
import { percentile } from './loadClient.js';

/** The disk's file operations, counting fsyncs; with `fsync: false` they are skipped (the code before it synced). */
function countingFiles(fsync: boolean): { files: StoreFiles; syncs: () => number } {
  let syncs = 0;
  const files: StoreFiles = {
    ...diskFiles,
    async open(path, flags, mode) {
      const handle = await diskFiles.open(path, flags, mode);
      const datasync = handle.datasync.bind(handle);
      const sync = handle.sync.bind(handle);
      Object.assign(handle, {
        datasync: async () => {
          syncs += 1;
          if (fsync) await datasync();
        },
        sync: async () => {
          syncs += 1;
          if (fsync) await sync();
        },
      });
      return handle;
    },
  };
  return { files, syncs: () => syncs };
}

export interface DurabilityRun {
  fsync: boolean;
  workers: number;
  cancellations: number;
  perSecond: number;
  p50ms: number;
  p99ms: number;
  /** fsyncs (journal fdatasyncs) per cancellation: under 1 when group commit shares them. */
  syncsPerCancellation: number;
}

async function run(seedFile: string, fsync: boolean, workers: number, limit: number): Promise<DurabilityRun> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-durability-'));
  const dbFile = join(dir, 'db.json');
  copyFileSync(seedFile, dbFile);
  const { files, syncs } = countingFiles(fsync);
  // No compaction during the run: the figure is the journal's.
  const store = await openDataStore(dbFile, undefined, Infinity, undefined, files);
  const random = seededRandom(workers);
  const service = new MembershipService(
    await JsonRepository.open(store, benchSealer()),
    new Notifier(systemClock, random),
    systemClock,
    random,
  );
  const active = store.data.memberships.filter((m) => m.status === 'active');
  const syncsBefore = syncs();
  const { latencies, failed, elapsedSeconds: elapsed } = await cancelConcurrently(service, active, { workers, limit });
  if (failed) throw new Error(`${failed} cancellations failed on the JSON store`);
  const journalSyncs = syncs() - syncsBefore;
  await store.close();
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    fsync,
    workers,
    cancellations: latencies.length,
    perSecond: Math.round(latencies.length / elapsed),
    p50ms: round(percentile(latencies, 50)),
    p99ms: round(percentile(latencies, 99)),
    syncsPerCancellation: round(journalSyncs / latencies.length),
  };
}

/**
 * What fsync before acknowledging costs a cancellation: the same cancellations on 10,000 members
 * with the journal fdatasynced (as shipped) and with the fsyncs skipped, one at a time (each pays a
 * whole fdatasync) and 50 at once (group commit shares them). Prints one JSON line.
 */
export async function commitDurability(): Promise<{ runs: DurabilityRun[]; fsyncCostMs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-durability-seed-'));
  const seedFile = join(dir, 'seed.json');
  writeFileSync(seedFile, JSON.stringify(syntheticDb(10_000, seededRandom(1))));
  // Unmeasured: lets V8 optimise the cancellation path first, so the first measured run is not the slow one.
  await run(seedFile, false, 50, 4000);
  const runs: DurabilityRun[] = [];
  for (const [workers, limit] of [
    [1, 400],
    [50, 4000],
  ] as const) {
    for (const fsync of [false, true]) runs.push(await run(seedFile, fsync, workers, limit));
  }
  const sequential = (fsync: boolean) => runs.find((r) => r.workers === 1 && r.fsync === fsync)!;
  return { runs, fsyncCostMs: Math.round((sequential(true).p50ms - sequential(false).p50ms) * 100) / 100 };
}

if (process.argv[1]?.endsWith('commitDurability.js')) {
  commitDurability().then(
    (figures) => process.stdout.write(`${JSON.stringify(figures)}\n`),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
