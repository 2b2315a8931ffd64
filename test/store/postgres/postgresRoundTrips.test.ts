import { createPool } from '../../../src/store/postgres/pool.js';
import { PostgresRepository } from '../../../src/store/postgres/postgresRepository.js';
import { CommitOutcomeUnknownError } from '../../../src/model/repositoryErrors.js';
import pg from 'pg';
import { OUTBOX_CHANNEL } from '../../../src/store/postgres/outboxListener.js';
import { audit, cancellation, challenge, outboxMessage } from '../repositoryContract.js';
import { pgSealer, seededDatabase } from './postgresFixture.js';

/** A repository whose connections report every statement they send; `breakOn` loses the connection at that statement, once. */
function counted(url: string, breakOn?: string): { repo: PostgresRepository; sent: string[] } {
  const sent: string[] = [];
  let broken = false;
  const pool = createPool(url);
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    client.query = ((...args: unknown[]) => {
      const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text: string }).text;
      const verb = text.trim().split(/\s+/)[0].toUpperCase();
      sent.push(verb);
      if (verb === breakOn && !broken) {
        broken = true;
        return Promise.reject(new Error('Connection terminated unexpectedly'));
      }
      return query(...args);
    }) as typeof client.query;
  });
  return { repo: new PostgresRepository(pool, pgSealer()), sent };
}

describe('round trips of a PostgreSQL transaction', () => {
  it('sends one statement for a transaction that only writes one record, none for one that writes nothing', async () => {
    const url = await seededDatabase();
    const { repo, sent } = counted(url);
    try {
      await repo.transact(async (tx) =>
        tx.put('audit', audit('au-one', 'cancellation.quote_shown', '2026-11-24T02:00:00.000Z')),
      );
      expect(sent).toEqual(['INSERT']);
      expect((await repo.auditEntries()).some((e) => e.id === 'au-one')).toBe(true);

      sent.length = 0;
      await repo.transact(async () => undefined);
      expect(sent).toEqual([]);

      // A read holds its rows until the commit, so it and what follows run in BEGIN … COMMIT.
      sent.length = 0;
      await repo.transact(async (tx) => {
        const membership = (await tx.membership('ms-2001'))!;
        tx.put('memberships', { ...membership, points: membership.points + 1 });
      });
      expect(sent).toEqual(['BEGIN', 'SELECT', 'INSERT', 'COMMIT']);

      // A single write that fails keeps nothing and passes the database's error on.
      sent.length = 0;
      await expect(
        repo.transact(async (tx) => tx.put('audit', { ...audit('au-two', 'x', 'not a time'), at: 'not a time' })),
      ).rejects.toThrow();
      expect((await repo.auditEntries()).some((e) => e.id === 'au-two')).toBe(false);
    } finally {
      await repo.close();
    }
  });
});

describe('the writes of a cancellation', () => {
  /** The payloads of outbox notifications committed while `act` ran. */
  async function notified(url: string, act: () => Promise<unknown>): Promise<string[]> {
    const watcher = new pg.Client({ connectionString: url });
    await watcher.connect();
    const payloads: string[] = [];
    let barrier = () => undefined as void;
    const passed = new Promise<void>((resolve) => (barrier = resolve));
    watcher.on('notification', (n) => (n.payload === 'barrier' ? barrier() : payloads.push(n.payload ?? '')));
    await watcher.query(`LISTEN ${OUTBOX_CHANNEL}`);
    try {
      await act();
      await watcher.query(`NOTIFY ${OUTBOX_CHANNEL}, 'barrier'`);
      await passed;
      return payloads;
    } finally {
      await watcher.end();
    }
  }

  it('go as one statement with the notice to other instances: BEGIN, the reads, one write, COMMIT', async () => {
    const url = await seededDatabase();
    const { repo, sent } = counted(url);
    try {
      const woke = await notified(url, () =>
        repo.transact(async (tx) => {
          const membership = (await tx.membership('ms-2001'))!;
          tx.put('memberships', { ...membership, status: 'pending_cancel', autoRenew: false });
          tx.put('cancellations', cancellation('CX-ONE'));
          tx.put('audit', audit('au-one', 'cancellation.committed', '2026-11-24T02:00:00.000Z'));
          tx.put('outbox', outboxMessage('o-one'));
        }),
      );
      expect(sent).toEqual(['BEGIN', 'SELECT', 'WITH', 'COMMIT']);
      expect(woke).toEqual([repo.instance]);
      expect((await repo.membership('ms-2001'))?.status).toBe('pending_cancel');
      expect((await repo.cancellationByReference('CX-ONE'))?.membershipId).toBe('ms-2001');
      expect((await repo.auditEntries()).some((e) => e.id === 'au-one')).toBe(true);
      expect((await repo.outboxMessage('o-one'))?.status).toBe('pending');

      // Nothing added to the outbox (a message rescheduled), no one woken.
      sent.length = 0;
      const quiet = await notified(url, () =>
        repo.transact(async (tx) => {
          await tx.membership('ms-2001');
          tx.put('audit', audit('au-two', 'x', '2026-11-24T02:00:00.000Z'));
          tx.put('outbox', outboxMessage('o-one', { attempts: 1 }));
        }),
      );
      expect(sent).toEqual(['BEGIN', 'SELECT', 'WITH', 'COMMIT']);
      expect(quiet).toEqual([]);
    } finally {
      await repo.close();
    }
  });

  it('go without BEGIN and COMMIT when nothing was read and they fit one statement, which still wakes', async () => {
    const url = await seededDatabase();
    const { repo, sent } = counted(url);
    try {
      const woke = await notified(url, () =>
        repo.transact(async (tx) => {
          tx.put('outbox', outboxMessage('o-alone'));
          tx.put('audit', audit('au-alone', 'notice.queued', '2026-11-24T02:00:00.000Z'));
        }),
      );
      expect(sent).toEqual(['WITH']);
      expect(woke).toEqual([repo.instance]);
      expect((await repo.outboxMessage('o-alone'))?.status).toBe('pending');
      expect((await repo.auditEntries()).some((e) => e.id === 'au-alone')).toBe(true);

      // A failing write keeps none of the statement's.
      sent.length = 0;
      await expect(
        repo.transact(async (tx) => {
          tx.put('outbox', outboxMessage('o-lost'));
          tx.put('audit', { ...audit('au-lost', 'x', 'not a time'), at: 'not a time' });
        }),
      ).rejects.toThrow();
      expect(await repo.outboxMessage('o-lost')).toBeUndefined();
    } finally {
      await repo.close();
    }
  });

  it('keep two writes to one table in statements of their own, in order; a message added before a read still wakes', async () => {
    const url = await seededDatabase();
    const { repo, sent } = counted(url);
    try {
      await repo.transact(async (tx) => tx.put('otpChallenges', challenge('otp-old')));
      sent.length = 0;
      const woke = await notified(url, () =>
        repo.transact(async (tx) => {
          tx.put('outbox', outboxMessage('o-code'));
          const old = (await tx.challenge('otp-old'))!;
          // One open challenge an identifier: the old one must be closed before the new one goes in.
          tx.put('otpChallenges', { ...old, state: 'replaced', closedAt: '2026-11-24T02:00:00.000Z' });
          tx.put('otpChallenges', challenge('otp-new'));
          tx.put('audit', audit('au-three', 'x', '2026-11-24T02:00:00.000Z'));
        }),
      );
      expect(sent).toEqual(['BEGIN', 'INSERT', 'SELECT', 'INSERT', 'WITH', 'COMMIT']);
      expect(woke).toEqual([repo.instance]);
      expect((await repo.challenge('otp-old'))?.state).toBe('replaced');
      expect((await repo.challenge('otp-new'))?.state).toBe('open');
    } finally {
      await repo.close();
    }
  });
});

describe('a connection lost during the commit', () => {
  it('says the outcome is unknown, and does not run the work again', async () => {
    const url = await seededDatabase();
    const { repo, sent } = counted(url, 'COMMIT');
    let runs = 0;
    try {
      await expect(
        repo.transact(async (tx) => {
          runs += 1;
          const membership = (await tx.membership('ms-2001'))!;
          tx.put('memberships', { ...membership, points: 1 });
        }),
      ).rejects.toBeInstanceOf(CommitOutcomeUnknownError);
      expect(runs).toBe(1);
      expect(sent.filter((verb) => verb === 'COMMIT')).toHaveLength(1);
    } finally {
      await repo.close();
    }
  });
});
