import {
  cancelOut,
  cancellationFeedOut,
  cancellationListOut,
  memberOut,
  membershipOut,
  quoteOut,
} from '../../src/api/apiSchemas.js';
import { ManualClock } from '../../src/core/clock.js';
import { seededRandom } from '../../src/core/random.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { createJsonApp, type JsonApp } from '../support/jsonApp.js';
import { testConfig } from '../support/testConfig.js';
import { renewalChargeKey } from '../../src/membership/renewalCharge.js';
import { call, conforms } from './apiClient.js';

const MEMBER = '/v1/members/m-1001';
const MS = `${MEMBER}/memberships/ms-2001`;

describe('the provider API over HTTP (JSON store)', () => {
  let app: JsonApp;
  let clock: ManualClock;
  let running: RunningServer;
  let base: string;

  async function start(overrides: Record<string, string> = {}) {
    clock = new ManualClock('2026-11-24T02:00:00.000Z');
    app = await createJsonApp(testConfig(overrides), {
      clock,
      random: seededRandom(7),
      deliverOnCommit: false,
    });
    running = await startServer(app, 0, '127.0.0.1');
    base = running.url;
  }
  const keyWith = async (...scopes: ('read' | 'personal' | 'cancel' | 'data')[]) =>
    (await app.apiKeys.create(scopes)).token;

  afterEach(async () => {
    await running.shutdown();
  });

  it('serves the OpenAPI document without a key and refuses the API without one, as problem+json', async () => {
    await start();
    expect((await call(base, 'GET', '/v1/openapi.json')).body.openapi).toBe('3.1.0');
    const anonymous = await call(base, 'GET', MEMBER);
    expect(anonymous).toMatchObject({ status: 401, body: { code: 'unauthenticated', status: 401 } });
    expect(anonymous.type).toMatch(/^application\/problem\+json/);
    const wrong = await call(base, 'GET', MEMBER, { key: 'ak_000000000000_' + '0'.repeat(48) });
    expect(wrong.body.code).toBe('unauthenticated');
    const unknown = await call(base, 'POST', '/v1/refunds');
    expect(unknown).toMatchObject({ status: 404, body: { code: 'not_found' } });
  });

  it('reads a member with personal fields masked, and plain only with the personal scope', async () => {
    await start();
    const masked = conforms(memberOut, (await call(base, 'GET', MEMBER, { key: await keyWith('read') })).body);
    expect(masked).toMatchObject({ personalFields: 'masked', phone: '+86 138****5678', email: 'z***@example.com' });
    expect(masked.memberships[0]).toMatchObject({
      id: 'ms-2001',
      status: 'active',
      points: 1280,
      nextCharge: { amount: 23800, currency: 'CNY', at: '2027-03-01T00:00:00+08:00' },
    });
    expect(masked.memberships[0].coupons.map((c) => c.id)).toEqual(['cp-1', 'cp-2']);
    const plain = conforms(
      memberOut,
      (await call(base, 'GET', MEMBER, { key: await keyWith('read', 'personal') })).body,
    );
    expect(plain).toMatchObject({ personalFields: 'plain', name: '张伟', phone: '+8613812345678' });
    expect((await call(base, 'GET', '/v1/members/m-404', { key: await keyWith('read') })).body.code).toBe(
      'member_not_found',
    );
  });

  it('checks the scope per route: a read key cannot cancel', async () => {
    await start();
    const answer = await call(base, 'POST', `${MS}/cancel`, {
      key: await keyWith('read'),
      body: { option: 'period_end' },
      headers: { 'idempotency-key': 'cancel-0001' },
    });
    expect(answer).toMatchObject({ status: 403, body: { code: 'insufficient_scope' } });
    expect((await app.repository.membership('ms-2001'))?.status).toBe('active');
  });

  it('refuses to cancel while a renewal charge is in flight, and runs the same Idempotency-Key once it is settled', async () => {
    await start();
    const key = await keyWith('read', 'cancel');
    const mark = (on: boolean) =>
      app.repository.transact(async (tx) => {
        const { renewalCharge: _asked, ...m } = (await tx.membership('ms-2001'))!;
        const renewalCharge = { key: renewalChargeKey(m), askedAt: clock.now().toISOString() };
        tx.put('memberships', on ? { ...m, renewalCharge } : m);
      });
    await mark(true);
    const cancel = () =>
      call(base, 'POST', `${MS}/cancel`, {
        key,
        body: { option: 'period_end' },
        headers: { 'idempotency-key': 'cancel-0009' },
      });
    const refused = await cancel();
    expect(refused).toMatchObject({ status: 409, body: { code: 'renewal_in_progress' } });
    expect(refused.headers.get('retry-after')).toBe('60');
    expect((await call(base, 'GET', `${MS}/quote`, { key })).body.code).toBe('renewal_in_progress');
    expect((await app.repository.membership('ms-2001'))?.status).toBe('active');
    // The pass recorded the renewal's outcome: the same request, same key, now runs.
    await mark(false);
    expect((await cancel()).status).toBe(201);
    expect((await app.repository.membership('ms-2001'))?.status).toBe('pending_cancel');
  });

  it('quotes, then cancels once per Idempotency-Key: the repeat returns the same cancellation', async () => {
    await start();
    const key = await keyWith('read', 'cancel');
    const quote = conforms(quoteOut, (await call(base, 'GET', `${MS}/quote`, { key })).body);
    expect(quote.options.map((o) => o.option)).toEqual(['period_end', 'immediate']);
    const cancel = () =>
      call(base, 'POST', `${MS}/cancel`, {
        key,
        body: { option: 'period_end', reason: 'expensive' },
        headers: { 'idempotency-key': 'cancel-0001' },
      });
    const first = await cancel();
    const again = await cancel();
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    const a = conforms(cancelOut, first.body);
    const b = conforms(cancelOut, again.body);
    expect(b.cancellation.reference).toBe(a.cancellation.reference);
    expect([a.replayed, b.replayed]).toEqual([false, true]);
    expect(a.membership).toMatchObject({ status: 'pending_cancel', canUndo: true, nextCharge: null });
    // What the store holds: one cancellation, one receipt, the key's id in the audit trail.
    expect(app.store.data.cancellations.filter((c) => c.membershipId === 'ms-2001')).toHaveLength(1);
    expect(app.store.data.outbox.filter((m) => m.template === 'cancellation-scheduled')).toHaveLength(1);
    const keyId = key.slice(0, 15);
    const audit = await app.repository.auditEntries();
    expect(audit.find((e) => e.type === 'cancellation.committed')?.data).toMatchObject({ actor: keyId });
    expect(audit.filter((e) => e.type === 'api.request').map((e) => e.data)).toEqual([
      { keyId, operation: 'quoteCancellation', status: 200 },
      { keyId, operation: 'cancelMembership', status: 201 },
      { keyId, operation: 'cancelMembership', status: 200 },
    ]);
    const listed = conforms(cancellationListOut, (await call(base, 'GET', `${MEMBER}/cancellations`, { key })).body);
    expect(listed.cancellations.map((c) => c.reference)).toEqual([a.cancellation.reference]);
  });

  it('requires the Idempotency-Key and refuses one reused for another request', async () => {
    await start();
    const key = await keyWith('cancel');
    const missing = await call(base, 'POST', `${MS}/cancel`, { key, body: { option: 'period_end' } });
    expect(missing).toMatchObject({ status: 400, body: { code: 'idempotency-key_required' } });
    const headers = { 'idempotency-key': 'cancel-0002' };
    expect((await call(base, 'POST', `${MS}/cancel`, { key, body: { option: 'period_end' }, headers })).status).toBe(
      201,
    );
    const reused = await call(base, 'POST', `${MS}/cancel`, { key, body: { option: 'immediate' }, headers });
    expect(reused).toMatchObject({ status: 422, body: { code: 'idempotency_key_reused' } });
    const bad = await call(base, 'POST', `${MS}/cancel`, { key, body: { option: 'soon' }, headers });
    expect(bad).toMatchObject({ status: 400, body: { code: 'invalid_request' } });
  });

  it('undoes a pending cancellation, and the same Idempotency-Key still answers the first cancellation', async () => {
    await start();
    const key = await keyWith('cancel');
    const headers = { 'idempotency-key': 'cancel-0003' };
    const body = { option: 'period_end' };
    const first = conforms(cancelOut, (await call(base, 'POST', `${MS}/cancel`, { key, body, headers })).body);
    const undo = (id: string) => call(base, 'POST', `${MS}/undo`, { key, headers: { 'idempotency-key': id } });
    const undone = await undo('undo-0003-a');
    expect(conforms(membershipOut, undone.body)).toMatchObject({ status: 'active', autoRenew: true });
    expect((await undo('undo-0003-b')).body.code).toBe('undo_not_pending');
    const repeat = conforms(cancelOut, (await call(base, 'POST', `${MS}/cancel`, { key, body, headers })).body);
    expect(repeat).toMatchObject({ replayed: true, cancellation: { reference: first.cancellation.reference } });
    expect((await app.repository.membership('ms-2001'))?.status).toBe('active');
  });

  it('limits each key per minute, apart from other keys', async () => {
    await start({ API_REQUESTS_PER_MINUTE_PER_KEY: '2' });
    const [one, two] = [await keyWith('read'), await keyWith('read')];
    const statuses = [];
    for (const key of [one, one, one, two]) statuses.push((await call(base, 'GET', MEMBER, { key })).status);
    expect(statuses).toEqual([200, 200, 429, 200]);
  });

  it('refuses a revoked key and keeps only a hash of the secret in the store', async () => {
    await start();
    const { key, token } = await app.apiKeys.create(['read']);
    expect(JSON.stringify(app.store.data.apiKeys)).not.toContain(token.slice(16));
    await app.apiKeys.revoke(key.id);
    expect((await call(base, 'GET', MEMBER, { key: token })).status).toBe(401);
  });

  it('refuses an erasure while a membership runs, as the conversation does', async () => {
    await start();
    const headers = { 'idempotency-key': 'erase-m-1001' };
    const answer = await call(base, 'POST', `${MEMBER}/erasure`, { key: await keyWith('data'), headers });
    expect(answer).toMatchObject({ status: 409, body: { code: 'erasure_blocked' } });
  });

  it('pages the feed of cancellations by cursor, oldest first, listing each a minute after it is made', async () => {
    await start();
    const key = await keyWith('read', 'cancel');
    const cancel = async (member: string, membership: string) => {
      const path = `/v1/members/${member}/memberships/${membership}/cancel`;
      const headers = { 'idempotency-key': `feed-${membership}` };
      const answer = await call(base, 'POST', path, { key, body: { option: 'period_end' }, headers });
      clock.advance(1_000);
      return conforms(cancelOut, answer.body).cancellation.reference;
    };
    const made = [await cancel('m-1001', 'ms-2001'), await cancel('m-1002', 'ms-2002')];
    const page = async (after?: string) =>
      conforms(
        cancellationFeedOut,
        (await call(base, 'GET', `/v1/cancellations?limit=2${after ? `&after=${after}` : ''}`, { key })).body,
      );
    // The seed's two, oldest first; the new ones are not a minute old yet.
    const first = await page();
    expect(first.cancellations.map((c) => c.reference)).toEqual(['CX-20261020-9P2D', 'CX-20261118-4H7M']);
    expect((await page(first.nextCursor)).cancellations).toEqual([]);
    clock.advance(60_000);
    const second = await page(first.nextCursor);
    expect(second.cancellations.map((c) => c.reference)).toEqual(made);
    expect(second.cancellations[0]).toMatchObject({ memberId: 'm-1001', membershipId: 'ms-2001' });
    expect(second.hasMore).toBe(false);
    expect((await page(second.nextCursor)).cancellations).toEqual([]);
    const bad = await call(base, 'GET', '/v1/cancellations?after=nonsense', { key });
    expect(bad).toMatchObject({ status: 400, body: { code: 'invalid_cursor' } });
  });
});
