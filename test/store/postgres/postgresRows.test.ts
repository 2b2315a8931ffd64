import { instance, rawQuery, seededDatabase } from './postgresFixture.js';
import { outboxMessage } from '../repositoryContract.js';

describe('what PostgreSQL holds', () => {
  it('keeps money as integer minor units and instants as timestamptz', async () => {
    const url = await seededDatabase();
    const columns = await rawQuery<{ table_name: string; column_name: string; data_type: string }>(
      url,
      `SELECT table_name, column_name, data_type FROM information_schema.columns
       WHERE table_schema = 'public' AND column_name IN ('price', 'cancellation_fee', 'price_paid', 'refund', 'fee', 'received_at', 'current_period_end')
       ORDER BY table_name, column_name`,
    );
    expect(columns.map((c) => `${c.table_name}.${c.column_name} ${c.data_type}`)).toEqual([
      'cancellations.fee bigint',
      'cancellations.received_at timestamp with time zone',
      'cancellations.refund bigint',
      'memberships.current_period_end timestamp with time zone',
      'memberships.price bigint',
      'memberships.price_paid bigint',
      'plans.cancellation_fee bigint',
      'plans.price bigint',
    ]);
    const [plan] = await rawQuery<{ price: string; fee: string }>(
      url,
      "SELECT price::text AS price, cancellation_fee::text AS fee FROM plans WHERE id = 'music-plus-annual'",
    );
    expect(plan).toEqual({ price: '19800', fee: '1000' });
    const [period] = await rawQuery<{ ends: Date }>(
      url,
      "SELECT current_period_end AS ends FROM memberships WHERE id = 'ms-2001'",
    );
    expect(period.ends.toISOString()).toBe('2027-02-28T16:00:00.000Z');
  });

  it('never writes a one-time code, and forgets it once the message is delivered', async () => {
    const url = await seededDatabase();
    const repo = instance(url);
    try {
      const code = outboxMessage('o-code', { template: 'otp', channel: 'sms', text: 'Your code is 493021' });
      await repo.transact(async (tx) => {
        tx.put('outbox', code);
        expect((await tx.outboxMessage('o-code'))?.text).toBe('Your code is 493021');
      });
      const rows = await rawQuery<{ text: string }>(url, "SELECT text FROM outbox WHERE id = 'o-code'");
      expect(rows).toEqual([{ text: '' }]);
      const anywhere = await rawQuery<{ n: string }>(
        url,
        "SELECT count(*) AS n FROM outbox WHERE row_to_json(outbox)::text LIKE '%493021%'",
      );
      expect(anywhere[0].n).toBe('0');
      expect(repo.secretsHeld).toBe(1);

      // A put that keeps the code pending (a retry) keeps the text; one that ends it forgets it.
      await repo.transact(async (tx) => tx.put('outbox', { ...code, attempts: 1, text: '' }));
      expect((await repo.outboxMessage('o-code'))?.text).toBe('Your code is 493021');
      await repo.transact(async (tx) =>
        tx.put('outbox', { ...code, text: '', redacted: true, status: 'sent', sentAt: '2026-11-24T02:00:01.000Z' }),
      );
      expect(repo.secretsHeld).toBe(0);
      expect((await repo.outboxMessage('o-code'))?.text).toBe('');
    } finally {
      await repo.close();
    }
  });

  it('keeps no text of a code whose transaction rolled back', async () => {
    const url = await seededDatabase();
    const repo = instance(url);
    try {
      await expect(
        repo.transact(async (tx) => {
          tx.put('outbox', outboxMessage('o-code', { template: 'otp', text: 'Your code is 111111' }));
          throw new Error('no');
        }),
      ).rejects.toThrow('no');
      expect(repo.secretsHeld).toBe(0);
    } finally {
      await repo.close();
    }
  });
});
