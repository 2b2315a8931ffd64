import pg from 'pg';
import { freshDatabase } from '../../support/postgres.js';

describe('the throwaway PostgreSQL server', () => {
  it('gives each test file a database of its own, empty', async () => {
    const [a, b] = [await freshDatabase(), await freshDatabase()];
    expect(a).not.toBe(b);
    const client = new pg.Client({ connectionString: a });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: string }>(
        "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'public'",
      );
      expect(rows[0].n).toBe('0');
    } finally {
      await client.end();
    }
  });
});
