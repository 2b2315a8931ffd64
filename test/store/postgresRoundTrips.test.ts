import { createPool } from '../../src/store/postgres/pool.js';
import { PostgresRepository } from '../../src/store/postgres/postgresRepository.js';
import { CommitOutcomeUnknownError } from '../../src/model/repositoryErrors.js';
import { audit } from './repositoryContract.js';
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
