import type { Repository } from '../../src/model/repository.js';
import type { ApiKey } from '../../src/model/schema.js';
import { cancellation, canonical, outboxMessage, type OpenedRepository } from './repositoryContract.js';

const key = (id: string, overrides: Partial<ApiKey> = {}): ApiKey => ({
  id,
  secretHash: 'ab'.repeat(32),
  scopes: ['read', 'cancel'],
  createdAt: '2026-11-24T02:00:00.000Z',
  ...overrides,
});

/** The port methods the provider's API adds: its keys, and the feed of cancellations. Run on each engine. */
export function describeProviderApiContract(name: string, open: () => Promise<OpenedRepository>): void {
  describe(`the provider API's storage over ${name}`, () => {
    let opened: OpenedRepository;
    let repo: Repository;

    beforeEach(async () => {
      opened = await open();
      repo = opened.repo;
    });
    afterEach(async () => {
      await opened.close();
    });

    it('keeps API keys whole by id, replaced by a put, listed oldest first', async () => {
      await repo.transact(async (tx) => tx.put('apiKeys', key('ak_000000000001', { label: 'desk' })));
      await repo.transact(async (tx) => tx.put('apiKeys', key('ak_000000000002', { scopes: ['read'] })));
      await repo.transact(async (tx) => {
        const held = (await tx.apiKey('ak_000000000001'))!;
        tx.put('apiKeys', { ...held, revokedAt: '2026-11-25T00:00:00.000Z', replacedBy: 'ak_000000000002' });
      });
      expect(canonical(await repo.apiKey('ak_000000000001'))).toEqual(
        key('ak_000000000001', { label: 'desk', revokedAt: '2026-11-25T00:00:00.000Z', replacedBy: 'ak_000000000002' }),
      );
      expect((await repo.apiKeys()).map((k) => k.id)).toEqual(['ak_000000000001', 'ak_000000000002']);
      expect(await repo.apiKey('ak_unknown')).toBeUndefined();
    });

    it("keeps an Idempotency-Key's record whole by id: held while it runs, then its answer as JSON", async () => {
      const held = {
        id: 'ak_000000000001:renew-0001',
        operation: 'recordRenewal',
        fingerprint: 'cd'.repeat(32),
        createdAt: '2026-11-24T02:00:00.000Z',
        lockedUntil: '2026-11-24T02:00:30.000Z',
      };
      await repo.transact(async (tx) => tx.put('idempotencyKeys', held));
      const { lockedUntil: _free, ...rest } = held;
      const answered = { ...rest, response: { status: 201, body: { membership: { id: 'ms-2001' }, replayed: false } } };
      await repo.transact(async (tx) => {
        expect(canonical(await tx.idempotencyKey(held.id))).toEqual(held);
        tx.put('idempotencyKeys', answered);
        expect(canonical(await tx.idempotencyKey(held.id))).toEqual(answered);
      });
      expect(canonical(await repo.idempotencyKey(held.id))).toEqual(answered);
      expect(await repo.idempotencyKey('ak_000000000002:renew-0001')).toBeUndefined();
    });

    it('pages cancellations by (receivedAt, reference) up to a time, after a position', async () => {
      const made = [
        cancellation('CX-20261201-000B', { receivedAt: '2026-12-01T00:00:00.000Z', requestId: 'r-b' }),
        cancellation('CX-20261201-000A', { receivedAt: '2026-12-01T00:00:00.000Z', requestId: 'r-a' }),
        cancellation('CX-20261202-000C', { receivedAt: '2026-12-02T00:00:00.000Z', requestId: 'r-c' }),
      ];
      await repo.transact(async (tx) => {
        for (const c of made) tx.put('cancellations', c);
      });
      const refs = async (after: { receivedAt: string; reference: string } | null, until: string, limit: number) =>
        (await repo.cancellationsAfter(after, until, limit)).map((c) => c.reference);
      const since = { receivedAt: '2026-11-30T00:00:00.000Z', reference: '' };
      expect(await refs(since, '2026-12-31T00:00:00.000Z', 10)).toEqual([
        'CX-20261201-000A',
        'CX-20261201-000B',
        'CX-20261202-000C',
      ]);
      expect(await refs(since, '2026-12-01T12:00:00.000Z', 10)).toEqual(['CX-20261201-000A', 'CX-20261201-000B']);
      const tie = { receivedAt: '2026-12-01T00:00:00.000Z', reference: 'CX-20261201-000A' };
      expect(await refs(tie, '2026-12-31T00:00:00.000Z', 1)).toEqual(['CX-20261201-000B']);
      // From the first: the seed's two come before them.
      expect((await refs(null, '2026-12-31T00:00:00.000Z', 10)).length).toBe(5);
    });

    it('keeps webhook event rows in the outbox: claimed on their own channel, endpoint and JSON intact', async () => {
      const text = JSON.stringify({ id: 'evt_000000000000000000000001', type: 'member.erased' });
      const url = 'https://hooks.example.com/membership?x=1';
      await repo.transact(async (tx) => {
        tx.put('outbox', outboxMessage('evt_000000000000000000000001.0', { channel: 'webhook', to: url, text }));
        tx.put('outbox', outboxMessage('msg-email-1'));
      });
      const claimed = await repo.claimOutbox('2026-11-24T02:00:00.000Z', 60_000, 10, 'webhook');
      expect(claimed.map((m) => [m.id, m.channel, m.to, m.text])).toEqual([
        ['evt_000000000000000000000001.0', 'webhook', url, text],
      ]);
      await repo.transact(async (tx) => tx.put('outbox', { ...claimed[0], status: 'sent' }));
      expect((await repo.outboxMessage('evt_000000000000000000000001.0'))?.status).toBe('sent');
    });
  });
}
