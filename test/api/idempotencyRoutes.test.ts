import { membershipOut } from '../../src/api/apiSchemas.js';
import { API_OPERATIONS } from '../../src/api/apiOperations.js';
import type { App } from '../../src/app.js';
import { ManualClock } from '../../src/core/clock.js';
import { seededRandom } from '../../src/core/random.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { API_ENGINES } from '../support/apiEngines.js';
import { call, conforms } from './apiClient.js';

const MS = '/v1/members/m-1001/memberships/ms-2001';

describe.each(API_ENGINES)('every acting request answered once per Idempotency-Key (%s)', (_name, engine) => {
  let app: App;
  let running: RunningServer;
  let base: string;
  let key: string;

  beforeEach(async () => {
    const clock = new ManualClock('2026-11-24T02:00:00.000Z');
    ({ app } = await engine.open({}, { clock, random: seededRandom(11), deliverOnCommit: false }));
    running = await startServer(app, 0, '127.0.0.1');
    base = running.url;
    key = (await app.apiKeys.create(['cancel', 'data', 'billing'])).token;
  });
  afterEach(async () => {
    await running.shutdown();
  });

  it('requires the key on every POST, before anything is done', async () => {
    const posts = API_OPERATIONS.filter((op) => op.method === 'post');
    expect(posts.map((op) => op.id).sort()).toEqual(
      [
        'cancelMembership',
        'recordPriceChange',
        'recordRenewal',
        'requestDataExport',
        'requestErasure',
        'undoCancellation',
      ].sort(),
    );
    for (const op of posts) {
      const path = op.path.replace('{memberId}', 'm-1001').replace('{membershipId}', 'ms-2001');
      const answer = await call(base, 'POST', path, { key, body: {} });
      expect([op.id, answer.status, answer.body.code]).toEqual([op.id, 400, 'idempotency-key_required']);
    }
    expect((await app.repository.outboxOf('m-1001')).map((m) => m.template)).toEqual([]);
  });

  it('sends a data export once for a request sent twice, and answers the repeat as the first', async () => {
    const ask = () =>
      call(base, 'POST', '/v1/members/m-1001/data-export', { key, headers: { 'idempotency-key': 'export-m-1001' } });
    const first = await ask();
    const again = await ask();
    expect([first.status, again.status, again.headers.get('idempotent-replayed')]).toEqual([202, 202, 'true']);
    expect(again.body).toEqual(first.body);
    const exports = (await app.repository.outboxOf('m-1001')).filter((m) => m.template === 'data-export');
    expect(exports).toHaveLength(1);
  });

  it('answers an undo sent again with the first answer, not with "nothing to undo"', async () => {
    const cancel = await call(base, 'POST', `${MS}/cancel`, {
      key,
      body: { option: 'period_end' },
      headers: { 'idempotency-key': 'cancel-for-undo' },
    });
    expect(cancel.status).toBe(201);
    const undo = () => call(base, 'POST', `${MS}/undo`, { key, headers: { 'idempotency-key': 'undo-ms-2001' } });
    const first = await undo();
    const again = await undo();
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(conforms(membershipOut, again.body)).toEqual(first.body);
    const undone = (await app.repository.outboxOf('m-1001')).filter((m) => m.template === 'cancellation-undone');
    expect(undone).toHaveLength(1);
    // The same key for another membership is another request: refused.
    const other = await call(base, 'POST', '/v1/members/m-1002/memberships/ms-2002/undo', {
      key,
      headers: { 'idempotency-key': 'undo-ms-2001' },
    });
    expect(other).toMatchObject({ status: 422, body: { code: 'idempotency_key_reused' } });
  });
});
