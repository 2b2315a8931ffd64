import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_DISPATCH, OutboxDispatcher } from '../src/notify/outboxDispatcher.js';
import type { OutboxMessage } from '../src/model/schema.js';
import { openDataStore } from '../src/store/json/dataStore.js';
import { StoreWriteError } from '../src/store/storeErrors.js';
import { domain } from './support/domain.js';
import { failingFiles } from './support/failingFiles.js';
import { scratchDir } from './support/testConfig.js';

/** Copies the data file and its journal elsewhere, as a crash (or a restart) would find them. */
function asIfRestarted(file: string): string {
  const copy = join(scratchDir(), 'db.json');
  copyFileSync(file, copy);
  copyFileSync(`${file}.journal`, `${copy}.journal`);
  if (existsSync(`${file}.journal.old`)) copyFileSync(`${file}.journal.old`, `${copy}.journal.old`);
  return copy;
}

/** Every line of the journal is a whole transaction: nothing torn, anywhere. */
function journalLines(file: string): unknown[] {
  const text = readFileSync(`${file}.journal`, 'utf8');
  expect(text === '' || text.endsWith('\n')).toBe(true);
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

async function setUp() {
  const disk = failingFiles();
  const file = join(scratchDir(), 'db.json');
  const store = await openDataStore(file, 'data/seed.json', 100_000, undefined, disk.files);
  const d = await domain({ store });
  const delivered: OutboxMessage[] = [];
  const dispatcher = new OutboxDispatcher(
    d.repo,
    () => ({
      send: async (m) => {
        delivered.push(structuredClone(m));
      },
    }),
    d.clock,
  );
  return { ...d, disk, file, delivered, dispatcher };
}

const cancelNow = { memberId: 'm-1001', membershipId: 'ms-2001', option: 'immediate', requestId: 'req-1' } as const;

describe('a change that cannot be written', () => {
  it('is not kept in memory or on disk, delivers nothing, and the store works again once there is space', async () => {
    const { store, repo, memberships, disk, file, delivered, dispatcher } = await setUp();
    const before = JSON.stringify(store.data);

    disk.fill();
    const failed = memberships.cancel(cancelNow);
    await expect(failed).rejects.toThrow(StoreWriteError);
    await expect(failed).rejects.toThrow(/ENOSPC.*the change was not made/);

    // Memory: exactly as before, indexes included.
    expect(JSON.stringify(store.data)).toBe(before);
    expect((await repo.membership('ms-2001'))?.status).toBe('active');
    expect(await repo.cancellationByRequest('req-1')).toBeUndefined();
    expect(await repo.cancellationsOf('ms-2001')).toEqual([]);
    expect(store.unavailable).toBeInstanceOf(StoreWriteError);
    // Nothing to deliver, now or on the next timer tick.
    expect(await dispatcher.deliverDue()).toEqual({ sent: 0, retrying: 0, failed: 0 });
    expect(delivered).toEqual([]);
    // Disk: the half-written line was cut off; a restart loads the membership active.
    expect(journalLines(file)).toEqual([]);
    const restarted = await openDataStore(asIfRestarted(file));
    expect(restarted.data.memberships.find((m) => m.id === 'ms-2001')?.status).toBe('active');
    expect(restarted.data.cancellations.filter((c) => c.membershipId === 'ms-2001')).toEqual([]);
    await restarted.close();

    // Space again: the same request goes through, without a restart.
    disk.free();
    const { cancellation } = await memberships.cancel(cancelNow);
    expect(store.unavailable).toBeNull();
    await dispatcher.deliverDue();
    expect(delivered.map((m) => m.template)).toEqual(['cancellation-confirmed']);
    const afterwards = await openDataStore(asIfRestarted(file));
    expect(afterwards.data.cancellations.filter((c) => c.membershipId === 'ms-2001').map((c) => c.reference)).toEqual([
      cancellation.reference,
    ]);
    expect(afterwards.data.memberships.find((m) => m.id === 'ms-2001')?.status).toBe('cancelled');
    await afterwards.close();
    await store.close();
  });

  it('never leaves a torn line in the middle of the journal, even when cutting it off fails too', async () => {
    const { store, memberships, disk, file } = await setUp();
    await memberships.recordAudit({ type: 'before' });
    disk.fill({ cutsFail: true });
    await expect(memberships.cancel(cancelNow)).rejects.toThrow(StoreWriteError);
    // The torn half-line is still there: the truncate failed as well.
    expect(readFileSync(`${file}.journal`, 'utf8').endsWith('\n')).toBe(false);
    // A brief ENOSPC: the next change cuts the torn part off before it writes.
    disk.free();
    await memberships.recordAudit({ type: 'after' });
    expect(journalLines(file)).toHaveLength(2);
    const restarted = await openDataStore(asIfRestarted(file));
    expect(restarted.data.audit.slice(-2).map((a) => a.type)).toEqual(['before', 'after']);
    expect(restarted.data.cancellations.filter((c) => c.membershipId === 'ms-2001')).toEqual([]);
    await restarted.close();
    await store.close();
  });

  it('takes back every change applied after the failed one, and an answer read from one of them', async () => {
    const { store, repo, memberships, disk, delivered, dispatcher } = await setUp();
    const before = JSON.stringify(store.data);
    disk.hold();
    disk.fill();
    const first = memberships.cancel(cancelNow);
    // Wait until the first write is under way, so the next changes queue for the write after it.
    while (disk.state.writes === 0) await new Promise((resolve) => setImmediate(resolve));
    const second = memberships.cancel({
      memberId: 'm-1006',
      membershipId: 'ms-2007',
      option: 'period_end',
      requestId: 'req-2',
    });
    // Another conversation asks to cancel the same membership: in memory it already is.
    const sameAgain = memberships.cancel({ ...cancelNow, requestId: 'req-3' });
    while ((await repo.membership('ms-2007'))?.status !== 'pending_cancel') await new Promise((r) => setImmediate(r));
    disk.release();

    await expect(first).rejects.toThrow(StoreWriteError);
    await expect(second).rejects.toThrow(StoreWriteError);
    // Not "already cancelled, reference …": that cancellation never happened.
    await expect(sameAgain).rejects.toThrow(StoreWriteError);
    expect(JSON.stringify(store.data)).toBe(before);
    await dispatcher.deliverDue();
    expect(delivered).toEqual([]);
    await store.close();
  });

  it('puts back what a change did in memory when the change itself throws part-way', async () => {
    const { store, repo } = await setUp();
    const before = JSON.stringify(store.data);
    await expect(
      repo.transact(async (tx) => {
        const membership = (await tx.membership('ms-2001'))!;
        tx.put('memberships', { ...membership, status: 'cancelled' });
        tx.put('audit', { id: 'au-x', at: '2026-11-24T02:00:00.000Z', type: 'half' });
        throw new Error('a rule broke half-way');
      }),
    ).rejects.toThrow('a rule broke half-way');
    expect(JSON.stringify(store.data)).toBe(before);
    await store.close();
  });

  it('keeps the dispatcher running when a delivery cannot be recorded: the message stays pending and is sent again', async () => {
    const { store, memberships, disk, delivered, dispatcher, clock } = await setUp();
    await memberships.cancel(cancelNow);
    disk.fill();
    // Sent, but "sent" cannot be written: no unhandled rejection, and the store does not claim it was sent.
    expect(await dispatcher.deliverDue()).toEqual({ sent: 0, retrying: 1, failed: 0 });
    expect(store.data.outbox.filter((m) => m.status === 'pending').map((m) => m.template)).toEqual([
      'cancellation-confirmed',
    ]);
    disk.free();
    // Still claimed by the pass that sent it; claimed again once that hold ends.
    expect(await dispatcher.deliverDue()).toEqual({ sent: 0, retrying: 0, failed: 0 });
    clock.advance(DEFAULT_DISPATCH.leaseMs);
    expect(await dispatcher.deliverDue()).toEqual({ sent: 1, retrying: 0, failed: 0 });
    // At least once: the receiver drops the second by its id.
    expect(delivered.map((m) => m.id)).toEqual([delivered[0].id, delivered[0].id]);
    await store.close();
  });

  it('abandons a snapshot written while a change in it failed to reach the journal', async () => {
    const disk = failingFiles();
    const file = join(scratchDir(), 'db.json');
    const store = await openDataStore(file, 'data/seed.json', 1, undefined, disk.files);
    const { memberships } = await domain({ store });
    const snapshotBefore = readFileSync(file, 'utf8');
    // This one reaches the threshold: a snapshot is written beside the journal from here on.
    await memberships.recordAudit({ type: 'committed' });
    disk.fill({ only: /\.journal$/ });
    // Applied in memory before the snapshot is serialised, so the snapshot would hold it.
    await expect(memberships.cancel(cancelNow)).rejects.toThrow(StoreWriteError);
    await store.settled();
    expect(readFileSync(file, 'utf8')).toBe(snapshotBefore);
    disk.free();
    const restarted = await openDataStore(asIfRestarted(file), undefined, 1);
    expect(restarted.data.memberships.find((m) => m.id === 'ms-2001')?.status).toBe('active');
    expect(restarted.data.audit.at(-1)?.type).toBe('committed');
    await restarted.close();
    await store.close();
  });
});
