import { copyFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { systemClock } from '../src/core/clock.js';
import { seededRandom } from '../src/core/random.js';
import { syntheticDb, syntheticPhone } from '../src/devtools/syntheticData.js';
import { cancelConcurrently } from './concurrentCancellations.js';
import { MembershipService } from '../src/membership/membershipService.js';
import { Notifier } from '../src/notify/notifier.js';
import { JsonRepository } from '../src/store/json/jsonRepository.js';
import { openDataStore } from '../src/store/json/dataStore.js';
import { benchSealer } from './benchSealer.js';
import { percentile } from './loadClient.js';

/**
 * One store size, in its own process so RSS is the store's: `node storeScale.js COUNT DIR`.
 * Writes a seed of COUNT generated members to DIR/seed.json and prints one JSON line of figures.
 */
async function main(): Promise<void> {
  const count = Number(process.argv[2]);
  const dir = process.argv[3];
  const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
  const random = seededRandom(count);

  let t = performance.now();
  const data = syntheticDb(count, random);
  const seedFile = join(dir, 'seed.json');
  writeFileSync(seedFile, JSON.stringify(data));
  const generateMs = performance.now() - t;
  const dbFile = join(dir, 'db.json');
  copyFileSync(seedFile, dbFile);

  // The first start seals the demo file's plain members and rewrites it; the figure is a later start's.
  const sealer = benchSealer();
  t = performance.now();
  const first = await openDataStore(dbFile, undefined, 2000);
  await JsonRepository.open(first, sealer);
  await first.close();
  const sealMs = performance.now() - t;

  t = performance.now();
  // A compaction every 2,000 transactions, so each size's five seconds of cancellations include
  // at least one, and its cost shows in the commit latencies.
  const store = await openDataStore(dbFile, undefined, 2000);
  const repo = await JsonRepository.open(store, sealer);
  const loadMs = performance.now() - t;
  const rssLoaded = process.memoryUsage().rss;

  const lookups = 200_000;
  t = performance.now();
  let found = 0;
  for (let i = 0; i < lookups; i++) if (await repo.memberByPhone(syntheticPhone(random.int(count)))) found += 1;
  const lookupNs = ((performance.now() - t) * 1e6) / lookups;

  const service = new MembershipService(repo, new Notifier(systemClock, random), systemClock, random);
  const active = store.data.memberships
    .filter((m) => m.status === 'active')
    .map((m) => ({ memberId: m.memberId, id: m.id }));
  const stalls = monitorEventLoopDelay({ resolution: 10 });
  stalls.enable();
  const {
    latencies,
    failed,
    elapsedSeconds: elapsed,
  } = await cancelConcurrently(service, active, {
    workers: 50,
    seconds: 5,
  });
  if (failed) throw new Error(`${failed} cancellations failed on the JSON store`);
  stalls.disable();
  t = performance.now();
  await store.flush();
  const compactionMs = performance.now() - t;
  await store.close();
  const round = (n: number) => Math.round(n * 10) / 10;
  process.stdout.write(
    `${JSON.stringify({
      members: count,
      memberships: data.memberships.length,
      generateMs: Math.round(generateMs),
      seedMB: mb(statSync(seedFile).size),
      loadMs: Math.round(loadMs),
      firstStartSealingMs: Math.round(sealMs),
      rssMB: mb(rssLoaded),
      lookupNs: round(lookupNs),
      lookupsFound: found,
      cancellations: latencies.length,
      cancellationsPerSecond: Math.round(latencies.length / elapsed),
      commitP50ms: round(percentile(latencies, 50)),
      commitP99ms: round(percentile(latencies, 99)),
      maxStallMs: round(stalls.max / 1e6),
      compactionMs: Math.round(compactionMs),
      dbFileMB: mb(statSync(dbFile).size),
    })}\n`,
  );
}

main().catch((err: Error) => {
  process.stdout.write(`${JSON.stringify({ members: Number(process.argv[2]), error: err.message.slice(0, 300) })}\n`);
  process.exit(1);
});
