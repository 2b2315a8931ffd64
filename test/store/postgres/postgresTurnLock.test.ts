import pg from 'pg';
import { CLIENT_GRACE_MS, createPool, DatabaseUnreachableError } from '../../../src/store/postgres/pool.js';
import { PostgresTurnLock, TurnLockTimeoutError } from '../../../src/store/postgres/postgresTurnLock.js';
import { freezableProxy } from '../../support/freezableProxy.js';
import { freshDatabase } from '../../support/postgres.js';

function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe('PostgresTurnLock', () => {
  let url: string;
  let observer: pg.Pool;
  const pools: pg.Pool[] = [];
  const locks: PostgresTurnLock[] = [];

  /** One instance's lock, on a pool of its own named for it (application_name). */
  function instance(name: string, waitMs = 20_000, onLockLost?: (key: string, err: Error) => void): PostgresTurnLock {
    const pool = new pg.Pool({ connectionString: url, max: 3, application_name: name });
    pool.on('error', () => undefined);
    pools.push(pool);
    const lock = new PostgresTurnLock(pool, waitMs, onLockLost);
    locks.push(lock);
    return lock;
  }

  /** Advisory locks on the server: held (granted) and waited for, per application. */
  async function advisoryLocks(): Promise<{ app: string; granted: boolean }[]> {
    const { rows } = await observer.query<{ app: string; granted: boolean }>(
      `SELECT a.application_name AS app, l.granted FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
       WHERE l.locktype = 'advisory' AND a.datname = current_database() ORDER BY a.application_name`,
    );
    return rows;
  }

  /** Polls the server (no timer) until `wanted` holds of its advisory locks. */
  async function untilLocks(wanted: (locks: { app: string; granted: boolean }[]) => boolean): Promise<void> {
    while (!wanted(await advisoryLocks()));
  }

  beforeAll(async () => {
    url = await freshDatabase();
    observer = new pg.Pool({ connectionString: url, max: 1 });
  });
  afterAll(async () => {
    await Promise.all(locks.map((lock) => lock.close()));
    await Promise.all([...pools, observer].map((pool) => pool.end()));
  });

  it('keeps a second instance waiting on the same key until the first is done, and not on another key', async () => {
    const [a, b] = [instance('a-exclusive'), instance('b-exclusive')];
    const events: string[] = [];
    const held = gate();
    const first = a.run('webchat/c1', async () => {
      events.push('a runs');
      await held.opened;
      events.push('a ends');
      return 'a';
    });
    await untilLocks((locks) => locks.length === 1);
    const second = b.run('webchat/c1', async () => {
      events.push('b runs');
      return 'b';
    });
    await untilLocks((locks) => locks.some((l) => l.app === 'b-exclusive' && !l.granted));
    expect(await b.run('webchat/c2', async () => 'another conversation')).toBe('another conversation');
    expect(events).toEqual(['a runs']);
    held.open();
    expect(await Promise.all([first, second])).toEqual(['a', 'b']);
    expect(events).toEqual(['a runs', 'a ends', 'b runs']);
    expect(await advisoryLocks()).toEqual([]);
  });

  it('runs turns of many conversations at once on one connection: an uncontended turn holds none', async () => {
    const pool = new pg.Pool({ connectionString: url, max: 1, application_name: 'one-connection' });
    pools.push(pool);
    const lock = new PostgresTurnLock(pool, 20_000);
    locks.push(lock);
    const held = gate();
    let running = 0;
    let allRunning!: () => void;
    const everyoneIn = new Promise<void>((resolve) => (allRunning = resolve));
    const turns = Array.from({ length: 10 }, (_, i) =>
      lock.run(`conversation-${i}`, async () => {
        if (++running === 10) allRunning();
        await held.opened;
        return i;
      }),
    );
    await everyoneIn;
    expect((await advisoryLocks()).filter((l) => l.app === 'one-connection' && l.granted)).toHaveLength(10);
    held.open();
    expect(await Promise.all(turns)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(await advisoryLocks()).toEqual([]);
  });

  it('releases the lock when the work fails, and hands the failure on', async () => {
    const [a, b] = [instance('a-failure'), instance('b-failure')];
    await expect(a.run('c1', () => Promise.reject(new Error('the turn failed')))).rejects.toThrow('the turn failed');
    expect(await advisoryLocks()).toEqual([]);
    expect(await b.run('c1', async () => 'ran')).toBe('ran');
  });

  it('gives up after the wait with TurnLockTimeoutError, without running the work', async () => {
    const holder = instance('a-timeout');
    const impatient = instance('b-timeout', 50);
    const held = gate();
    const holding = holder.run('c1', () => held.opened);
    await untilLocks((locks) => locks.length === 1);
    const work = jest.fn(async () => 'ran');
    const refused = impatient.run('c1', work);
    await expect(refused).rejects.toThrow(TurnLockTimeoutError);
    await expect(refused).rejects.toThrow('Another turn of conversation c1 held it for over 50 ms');
    expect(work).not.toHaveBeenCalled();
    held.open();
    await holding;
    expect(await impatient.run('c1', work)).toBe('ran');
  });

  it("lets the others go on when an instance dies holding a lock: its connection's end releases it", async () => {
    const lost: string[] = [];
    const dying = instance('a-dying', 20_000, (key) => lost.push(key));
    const waiting = instance('b-dying');
    const held = gate();
    const dyingTurn = dying.run('c1', async () => {
      await held.opened;
      return 'finished without the lock';
    });
    await untilLocks((locks) => locks.length === 1);
    const waitingTurn = waiting.run('c1', async () => 'ran after the holder died');
    await untilLocks((locks) => locks.length === 2);
    // What a killed process leaves: its connection gone.
    await observer.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'a-dying'");
    expect(await waitingTurn).toBe('ran after the holder died');
    held.open();
    expect(await dyingTurn).toBe('finished without the lock');
    expect(lost).toEqual(['c1']);
    expect(await dying.run('c1', async () => 'a new connection')).toBe('a new connection');
  });

  it('sends one query at a time on a connection, however many turns take and give back locks at once', async () => {
    const pool = new pg.Pool({ connectionString: url, max: 2, application_name: 'one-at-a-time' });
    pools.push(pool);
    // Counts, per connection, the queries sent and not answered yet (pg 9 refuses a second one).
    let most = 0;
    pool.on('connect', (client) => {
      const send = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
      let unanswered = 0;
      (client as unknown as { query: typeof send }).query = (...args) => {
        most = Math.max(most, ++unanswered);
        return send(...args).finally(() => unanswered--);
      };
    });
    const lock = new PostgresTurnLock(pool, 20_000);
    locks.push(lock);
    const ran = await Promise.all(Array.from({ length: 20 }, (_, i) => lock.run(`serial-${i}`, async () => i)));
    expect(ran).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(most).toBe(1);
    expect(await advisoryLocks()).toEqual([]);
  });

  it('fails a turn with DatabaseUnreachableError, without running it, when the database does not answer in time', async () => {
    const proxy = await freezableProxy(url);
    try {
      const pool = createPool(proxy.url, { max: 2, deadlines: { connectMs: 500, queryMs: 500 } });
      pools.push(pool);
      const lock = new PostgresTurnLock(pool, 20_000);
      locks.push(lock);
      expect(await lock.run('frozen-1', async () => 'before')).toBe('before');
      proxy.freeze();
      let ran = 0;
      const started = Date.now();
      // Two turns: one on the held session, one queued behind it, which fails with it rather than waiting again.
      const outcomes = await Promise.allSettled(
        ['frozen-1', 'frozen-2'].map((key) => lock.run(key, async () => ++ran)),
      );
      expect(outcomes.map((o) => o.status === 'rejected' && o.reason instanceof DatabaseUnreachableError)).toEqual([
        true,
        true,
      ]);
      expect(Date.now() - started).toBeLessThan(500 + CLIENT_GRACE_MS + 1_000);
      expect(ran).toBe(0);
      proxy.thaw();
      expect(await lock.run('frozen-1', async () => 'after')).toBe('after');
    } finally {
      proxy.thaw();
      await proxy.close();
    }
  });

  it('refuses a wait that is not a whole number of milliseconds above 0', () => {
    const pool = new pg.Pool({ connectionString: url });
    pools.push(pool);
    expect(() => new PostgresTurnLock(pool, 0)).toThrow("The turn lock's wait must be a whole number");
  });
});
