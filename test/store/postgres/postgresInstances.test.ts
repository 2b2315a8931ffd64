import pg from 'pg';
import type { Repository } from '../../../src/model/repository.js';
import { OUTBOX_CHANNEL } from '../../../src/store/postgres/outboxListener.js';
import {
  PostgresRepository,
  SECRET_GRACE_MS,
  TransactionConflictError,
} from '../../../src/store/postgres/postgresRepository.js';
import { instance, rawQuery, seededDatabase } from './postgresFixture.js';
import { cancellation, outboxMessage } from '../repositoryContract.js';

const T0 = '2026-11-24T02:00:00.000Z';
const at = (ms: number) => new Date(Date.parse(T0) + ms).toISOString();

/** A promise and the function that settles it, for waiting on a callback without sleeping. */
function signal<T = void>() {
  let settle!: (value: T) => void;
  const promise = new Promise<T>((resolve) => {
    settle = resolve;
  });
  return { promise, settle };
}

const cancelIfActive = (repo: Repository, reference: string) =>
  repo.transact(async (tx) => {
    const membership = await tx.membership('ms-2001');
    if (membership?.status !== 'active') return false;
    tx.put('memberships', { ...membership, status: 'pending_cancel', effectiveAt: membership.currentPeriodEnd });
    tx.put('cancellations', cancellation(reference));
    return true;
  });

describe('several instances on one PostgreSQL database', () => {
  let url: string;
  let a: PostgresRepository;
  let b: PostgresRepository;
  beforeEach(async () => {
    url = await seededDatabase();
    a = instance(url);
    b = instance(url, { listenerRetryMs: 10 });
  });
  afterEach(async () => {
    await Promise.all([a.close(), b.close()]);
  });

  it('lets exactly one of the cancellations racing on two instances through', async () => {
    const references = ['CX-20261124-A001', 'CX-20261124-B001', 'CX-20261124-A002', 'CX-20261124-B002'];
    const results = await Promise.all(references.map((reference, i) => cancelIfActive(i % 2 ? b : a, reference)));
    expect(results.filter(Boolean)).toHaveLength(1);
    const rows = await rawQuery<{ reference: string }>(
      url,
      "SELECT reference FROM cancellations WHERE membership_id = 'ms-2001'",
    );
    expect(rows).toHaveLength(1);
    expect(references[results.indexOf(true)]).toBe(rows[0].reference);
  });

  it('never hands one message to both instances, and marks who holds each', async () => {
    await a.transact(async (tx) => {
      for (let i = 0; i < 40; i++) tx.put('outbox', outboxMessage(`o-${i}`, { nextAttemptAt: at(i) }));
    });
    const claims = await Promise.all([a, b, a, b, a, b].map((repo) => repo.claimOutbox(at(100), 60_000, 8)));
    const ids = claims.flat().map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThanOrEqual(40 - 8);
    const holders = await rawQuery<{ id: string; lease_holder: string }>(
      url,
      'SELECT id, lease_holder FROM outbox WHERE lease_holder IS NOT NULL',
    );
    const byA = new Set([0, 2, 4].flatMap((i) => claims[i].map((m) => m.id)));
    for (const row of holders) expect(row.lease_holder).toBe(byA.has(row.id) ? a.instance : b.instance);
    expect(holders).toHaveLength(ids.length);
  });

  it('leaves a code message to the instance holding its text, and lets another take it (blank, to be parked) only once the code has expired', async () => {
    const code = outboxMessage('o-code', { template: 'otp', channel: 'sms', text: 'Your code is 493021' });
    await a.transact(async (tx) => tx.put('outbox', code));
    expect(await b.claimOutbox(at(SECRET_GRACE_MS - 1), 30_000, 10)).toEqual([]);
    expect((await b.outboxMessage('o-code'))?.text).toBe('');
    const [taken] = await b.claimOutbox(at(SECRET_GRACE_MS), 30_000, 10);
    expect(taken).toEqual({ ...code, text: '' });
    // The one that wrote it would have sent it at once, with its text.
    expect(a.secretsHeld).toBe(1);
    const [own] = await a.claimOutbox(at(SECRET_GRACE_MS - 1), 30_000, 10);
    expect(own).toBeUndefined();
    // Once the code has expired, the instance that wrote it lets its text go too.
    const [late] = await a.claimOutbox(at(SECRET_GRACE_MS + 30_000), 30_000, 10);
    expect(late).toEqual({ ...code, text: '' });
    expect(a.secretsHeld).toBe(0);
  });

  it('wakes the other instance when a transaction adds a message, and only after it commits', async () => {
    const woken = signal();
    b.onOutbox(() => woken.settle());
    await b.outboxListening();
    const watcher = new pg.Client({ connectionString: url });
    await watcher.connect();
    const payloads: string[] = [];
    const barrier = signal();
    watcher.on('notification', (n) => (n.payload === 'barrier' ? barrier.settle() : payloads.push(n.payload ?? '')));
    await watcher.query(`LISTEN ${OUTBOX_CHANNEL}`);
    try {
      await expect(
        a.transact(async (tx) => {
          tx.put('outbox', outboxMessage('o-never'));
          await tx.outboxMessage('o-never');
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      await a.transact(async (tx) => tx.put('outbox', outboxMessage('o-1')));
      // Rescheduling a message adds nothing: no one needs waking.
      await a.transact(async (tx) => tx.put('outbox', outboxMessage('o-1', { attempts: 1, nextAttemptAt: at(5000) })));
      await woken.promise;
      await watcher.query(`NOTIFY ${OUTBOX_CHANNEL}, 'barrier'`);
      await barrier.promise;
      expect(payloads).toEqual([a.instance]);
    } finally {
      await watcher.end();
    }
  });

  it('listens again after its connection is cut, and wakes its listeners for what it may have missed', async () => {
    const errors: Error[] = [];
    const c = instance(url, { listenerRetryMs: 10, onListenerError: (err) => errors.push(err) });
    try {
      let wakes = 0;
      let next = signal();
      c.onOutbox(() => {
        wakes++;
        next.settle();
      });
      await c.outboxListening();
      const pid = await c.listenerBackendPid();
      await rawQuery(url, 'SELECT pg_terminate_backend($1)', [pid]);
      await next.promise;
      expect(wakes).toBe(1);
      expect(errors.length).toBeGreaterThan(0);
      await c.outboxListening();
      expect(await c.listenerBackendPid()).not.toBe(pid);
      next = signal();
      await a.transact(async (tx) => tx.put('outbox', outboxMessage('o-after')));
      await next.promise;
      expect(wakes).toBe(2);
    } finally {
      await c.close();
    }
  });

  it('runs the work again after a deadlock, and both transactions commit', async () => {
    const bothLocked = signal();
    let locked = 0;
    let runs = 0;
    const crossing = (repo: Repository, first: string, second: string) =>
      repo.transact(async (tx) => {
        runs++;
        const one = (await tx.membership(first))!;
        if (++locked === 2) bothLocked.settle();
        await bothLocked.promise;
        const other = (await tx.membership(second))!;
        tx.put('memberships', { ...one, points: one.points + 1 });
        tx.put('memberships', { ...other, points: other.points + 1 });
      });
    await Promise.all([crossing(a, 'ms-2001', 'ms-2002'), crossing(b, 'ms-2002', 'ms-2001')]);
    // At least one run again (the deadlock's victim); under load the server may pick a victim twice.
    expect(runs).toBeGreaterThanOrEqual(3);
    const points = await rawQuery<{ id: string; points: string }>(
      url,
      "SELECT id, points FROM memberships WHERE id IN ('ms-2001', 'ms-2002') ORDER BY id",
    );
    expect(points).toEqual([
      { id: 'ms-2001', points: '1282' },
      { id: 'ms-2002', points: '302' },
    ]);
  });

  it('gives up on a conflict that running again cannot resolve, with a typed error, keeping nothing', async () => {
    const c = instance(url, { maxAttempts: 3 });
    let runs = 0;
    try {
      const refused = c.transact(async (tx) => {
        runs++;
        tx.put('cancellations', cancellation('CX-20261124-DUP1', { requestId: 'seed-ms-2004' }));
        await tx.cancellationByReference('CX-20261124-DUP1');
      });
      await expect(refused).rejects.toBeInstanceOf(TransactionConflictError);
      await expect(refused).rejects.toThrow(/3 times.*cancellations_request_id_key/);
      expect(runs).toBe(3);
      expect(await c.cancellationByReference('CX-20261124-DUP1')).toBeUndefined();
    } finally {
      await c.close();
    }
  });
});
