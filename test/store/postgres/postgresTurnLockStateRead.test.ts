import type pg from 'pg';
import { ManualClock } from '../../../src/core/clock.js';
import { createPool } from '../../../src/store/postgres/pool.js';
import { PostgresStateStorage } from '../../../src/store/postgres/postgresStateStorage.js';
import { PostgresTurnLock, type ReadWithLock } from '../../../src/store/postgres/postgresTurnLock.js';
import { stateKeyOfTurnLock, turnLockKey } from '../../../src/turnLockMiddleware.js';
import { migratedDatabase } from '../../support/postgresSchema.js';

describe('the turn lock with the state read', () => {
  const clock = new ManualClock('2026-11-24T08:00:00Z');
  const pools: pg.Pool[] = [];
  const locks: PostgresTurnLock[] = [];
  let url: string;

  /** One instance: its state rows (counting the connections they take) and its turn lock reading them. */
  function instance(): { rows: PostgresStateStorage; lock: PostgresTurnLock; taken: () => number } {
    const statePool = createPool(url, { max: 2 });
    const lockPool = createPool(url, { max: 2 });
    pools.push(statePool, lockPool);
    let taken = 0;
    statePool.on('acquire', () => (taken += 1));
    const rows = new PostgresStateStorage(statePool, clock, 30);
    const alongside: ReadWithLock = {
      keyOf: stateKeyOfTurnLock,
      read: (session, key) => rows.readWithLock(session, key),
      forget: (key) => rows.forgetRead(key),
    };
    const lock = new PostgresTurnLock(lockPool, 20_000, undefined, alongside);
    locks.push(lock);
    return { rows, lock, taken: () => taken };
  }

  beforeAll(async () => {
    url = await migratedDatabase();
  });
  afterAll(async () => {
    await Promise.all(locks.map((lock) => lock.close()));
    await Promise.all(pools.map((pool) => pool.end()));
  });

  const lockKey = turnLockKey('webchat', 'conv/1');
  const stateKey = 'webchat/conversations/conv/1/';

  it("names the conversation state's key as botbuilder stores it", () => {
    expect(stateKeyOfTurnLock(lockKey)).toBe(stateKey);
    expect(stateKeyOfTurnLock('something else')).toBeUndefined();
  });

  it('hands the turn the state read with the lock, once; the turn asks the state rows nothing', async () => {
    const a = instance();
    const b = instance();
    const eTag = await b.rows.writeText(stateKey, '{"step":2}', null);
    const seen = await a.lock.run(lockKey, () => a.rows.readText(stateKey));
    expect(seen).toEqual({ eTag, json: '{"step":2}' });
    expect(a.taken()).toBe(0);
    // Taken by the turn, it is gone: a read after the turn asks the database, and sees what came since.
    const next = await b.rows.writeText(stateKey, '{"step":3}', eTag);
    expect(await a.rows.readText(stateKey)).toEqual({ eTag: next, json: '{"step":3}' });
    expect(a.taken()).toBe(1);
    // A turn that reads nothing leaves nothing behind for a read outside a turn.
    await a.lock.run(lockKey, async () => undefined);
    await b.rows.writeText(stateKey, '{"step":4}', next);
    expect((await a.rows.readText(stateKey))?.json).toBe('{"step":4}');
  });

  it('reads the state after the wait when another instance held the lock, as that one left it', async () => {
    const a = instance();
    const b = instance();
    const first = (await a.rows.readText(stateKey))!.eTag;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const bTurn = b.lock.run(lockKey, async () => {
      entered();
      await held;
      await b.rows.writeText(stateKey, '{"step":5}', first);
    });
    await inside;
    const aTurn = a.lock.run(lockKey, () => a.rows.readText(stateKey));
    // A has tried (the state read beside its try then) and waits for the lock: only then does B go on.
    const observer = createPool(url, { max: 1 });
    pools.push(observer);
    const waiting = async () =>
      (await observer.query(`SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`)).rowCount;
    while (!(await waiting()));
    release();
    await bTurn;
    expect((await aTurn)?.json).toBe('{"step":5}');
  });
});
