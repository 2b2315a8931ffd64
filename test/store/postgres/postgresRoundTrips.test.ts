import { createPool } from '../../../src/store/postgres/pool.js';
import { PostgresRepository } from '../../../src/store/postgres/postgresRepository.js';
import { CommitOutcomeUnknownError } from '../../../src/model/repositoryErrors.js';
import pg from 'pg';
import { OUTBOX_CHANNEL } from '../../../src/store/postgres/outboxListener.js';
import { audit, cancellation, challenge, outboxMessage } from '../repositoryContract.js';
import { pgSealer, seededDatabase } from './postgresFixture.js';
import { ManualClock } from '../../../src/core/clock.js';
import { seededRandom } from '../../../src/core/random.js';
import { MembershipService } from '../../../src/membership/membershipService.js';
import { Notifier } from '../../../src/notify/notifier.js';
import { OtpService } from '../../../src/identity/otpService.js';
import { DEFAULT_OTP_POLICY } from '../../../src/identity/otpPolicy.js';

/**
 * A repository whose connections report every statement they send, and the round trips they take:
 * a statement sent while none of its connection's is awaiting an answer starts one, a statement
 * sent behind others (pipelined) joins theirs. `breakOn` loses the connection at that statement, once.
 */
function counted(url: string, breakOn?: string): { repo: PostgresRepository; sent: string[]; trips: string[][] } {
  const sent: string[] = [];
  const trips: string[][] = [];
  let broken = false;
  const pool = createPool(url);
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
    let waiting = 0;
    client.query = ((...args: unknown[]) => {
      const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text: string }).text;
      const verb = text.trim().split(/\s+/)[0].toUpperCase();
      sent.push(verb);
      if (waiting === 0) trips.push([]);
      trips.at(-1)!.push(verb);
      if (verb === breakOn && !broken) {
        broken = true;
        return Promise.reject(new Error('Connection terminated unexpectedly'));
      }
      waiting += 1;
      const callback = args.at(-1);
      // The pool's own queries (outside a transaction) pass a callback; a transaction's take the promise.
      if (typeof callback === 'function')
        return query(...args.slice(0, -1), (...result: unknown[]) => {
          waiting -= 1;
          (callback as (...result: unknown[]) => void)(...result);
        });
      const answer = query(...args);
      void answer.finally(() => (waiting -= 1)).catch(() => undefined);
      return answer;
    }) as typeof client.query;
  });
  return { repo: new PostgresRepository(pool, pgSealer()), sent, trips };
}

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
  it('go as one statement with the notice to other instances: BEGIN with the reads, the write with the COMMIT', async () => {
    const url = await seededDatabase();
    const { repo, sent, trips } = counted(url);
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
      expect(trips).toEqual([
        ['BEGIN', 'SELECT'],
        ['WITH', 'COMMIT'],
      ]);
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
    const { repo, sent, trips } = counted(url);
    try {
      await repo.transact(async (tx) => tx.put('otpChallenges', challenge('otp-old')));
      sent.length = 0;
      trips.length = 0;
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
      // The message's statement notifies; PostgreSQL delivers it once, with the commit.
      expect(sent).toEqual(['BEGIN', 'WITH', 'SELECT', 'INSERT', 'WITH', 'COMMIT']);
      expect(trips).toEqual([
        ['BEGIN', 'WITH', 'SELECT'],
        ['INSERT', 'WITH', 'COMMIT'],
      ]);
      expect(woke).toEqual([repo.instance]);
      expect((await repo.challenge('otp-old'))?.state).toBe('replaced');
      expect((await repo.challenge('otp-new'))?.state).toBe('open');
    } finally {
      await repo.close();
    }
  });
});

describe('a cancellation', () => {
  it('takes three round trips: BEGIN with every read, the reference check, the writes with the COMMIT', async () => {
    const url = await seededDatabase();
    const { repo, sent, trips } = counted(url);
    const clock = new ManualClock('2026-11-24T02:00:00.000Z');
    const random = seededRandom(7);
    const service = new MembershipService(repo, new Notifier(clock, random), clock, random);
    try {
      const woke = await notified(url, () =>
        service.cancel({ memberId: 'm-1001', membershipId: 'ms-2001', option: 'period_end', requestId: 'rq-1' }),
      );
      // The membership comes with its plan; the audit entry, the notice and the wake-up ride in one statement.
      expect(trips).toEqual([['BEGIN', 'SELECT', 'SELECT', 'SELECT', 'SELECT'], ['SELECT'], ['WITH', 'COMMIT']]);
      expect(woke).toEqual([repo.instance]);
      const [cancelled] = await repo.cancellationsOf('ms-2001');
      expect(cancelled).toMatchObject({ requestId: 'rq-1', memberId: 'm-1001', planId: 'video-vip-annual' });
      expect((await repo.membership('ms-2001'))?.status).toBe('pending_cancel');
      expect((await repo.outboxOf('m-1001')).map((m) => m.template)).toEqual(['cancellation-scheduled']);
      expect((await repo.auditEntries()).filter((e) => e.type === 'cancellation.committed')).toHaveLength(1);

      // Asked again, it is answered from the first read: BEGIN with the reads, then the COMMIT.
      sent.length = 0;
      trips.length = 0;
      const again = await service.cancel({
        memberId: 'm-1001',
        membershipId: 'ms-2001',
        option: 'period_end',
        requestId: 'rq-1',
      });
      expect(again).toMatchObject({ alreadyDone: true, cancellation: { reference: cancelled.reference } });
      expect(trips).toEqual([['BEGIN', 'SELECT', 'SELECT', 'SELECT', 'SELECT'], ['COMMIT']]);
    } finally {
      await repo.close();
    }
  });
});

describe('a code request', () => {
  it('reads every throttle at once with BEGIN, holding the budgets first', async () => {
    const url = await seededDatabase();
    const { repo, trips } = counted(url);
    const clock = new ManualClock('2026-11-24T02:00:00.000Z');
    const random = seededRandom(7);
    const otp = new OtpService(repo, new Notifier(clock, random), clock, random, DEFAULT_OTP_POLICY, 'k'.repeat(32));
    try {
      const phone = { kind: 'phone' as const, value: '+8613800000001' };
      const result = await otp.requestCode(phone, { conversationId: 'c-1', address: '203.0.113.9' });
      expect(result.status).toBe('sent');
      // The address's and the network's keys held, then their latest codes, the conversation's and the number's.
      expect(trips[0]).toEqual(['BEGIN', 'SELECT', 'SELECT', 'SELECT', 'SELECT', 'SELECT', 'SELECT']);
      expect(trips).toHaveLength(4);
      expect(trips.at(-1)).toEqual(['WITH', 'COMMIT']);
    } finally {
      await repo.close();
    }
  });
});

describe('a write that fails while statements behind it are on their way', () => {
  it('fails the transaction with its own error, and keeps nothing', async () => {
    const url = await seededDatabase();
    const { repo, trips } = counted(url);
    let seen: unknown;
    try {
      const failed = repo.transact(async (tx) => {
        tx.put('outbox', outboxMessage('o-early'));
        tx.put('audit', { ...audit('au-bad', 'x', 'not a time'), at: 'not a time' });
        // Sent behind the failing write, so it fails too; the work catching that changes nothing.
        await tx.membership('ms-2001').catch((err: unknown) => (seen = err));
        tx.put('memberships', { ...(await repo.membership('ms-2001'))!, points: 99 });
      });
      await expect(failed).rejects.toMatchObject({ code: '22007' });
      expect(seen).toMatchObject({ code: '22007' });
      expect(trips[0]).toEqual(['BEGIN', 'WITH', 'SELECT']);
      expect(await repo.outboxMessage('o-early')).toBeUndefined();
      expect((await repo.membership('ms-2001'))?.points).not.toBe(99);
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
