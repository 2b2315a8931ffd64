import { priceChangeOut } from '../../src/api/priceChangeRoute.js';
import { ManualClock } from '../../src/core/clock.js';
import { seededRandom } from '../../src/core/random.js';
import { startServer, type RunningServer } from '../../src/server.js';
import type { App } from '../../src/app.js';
import { API_ENGINES } from '../support/apiEngines.js';
import { call, conforms } from './apiClient.js';

const ROUTE = '/v1/memberships/ms-2007/price-changes';

describe.each(API_ENGINES)('POST …/price-changes, and a cancel of a store-billed membership (%s)', (_name, engine) => {
  let app: App;
  let clock: ManualClock;
  let running: RunningServer;
  let base: string;

  beforeEach(async () => {
    clock = new ManualClock('2026-11-24T02:00:00.000Z');
    ({ app } = await engine.open({}, { clock, random: seededRandom(7), deliverOnCommit: false }));
    running = await startServer(app, 0, '127.0.0.1');
    base = running.url;
  });
  afterEach(async () => {
    await running.shutdown();
  });

  it('records the change with its notice inside the window, and the store holds it', async () => {
    const key = (await app.apiKeys.create(['billing'])).token;
    const record = () =>
      call(base, 'POST', ROUTE, {
        key,
        body: { amount: 1999, effectiveAt: '2027-01-01T00:00:00Z' },
        headers: { 'idempotency-key': 'price-ms-2007-2027' },
      });
    const answer = await record();
    expect(answer.status).toBe(201);
    const change = conforms(priceChangeOut, answer.body);
    expect(change).toMatchObject({ membershipId: 'ms-2007', amount: 1999, effectiveAt: '2027-01-01T00:00:00Z' });
    // Instants, whatever offset the engine hands them back with.
    expect([change.firstChargeAt, change.noticeAt].map(Date.parse)).toEqual(
      ['2027-01-05T00:00:00-08:00', '2026-12-22T08:00:00.000Z'].map(Date.parse),
    );
    expect((await app.repository.membership('ms-2007'))?.priceChange).toMatchObject({ amount: 1999 });
    // Sent again: the first answer, not a refusal for a change already on record.
    const repeat = await record();
    expect([repeat.status, repeat.headers.get('idempotent-replayed'), repeat.body]).toEqual([200, 'true', change]);
  });

  it('refuses to cancel a membership an app store bills, naming the store, and changes nothing', async () => {
    const key = (await app.apiKeys.create(['cancel'])).token;
    const answer = await call(base, 'POST', '/v1/members/m-1010/memberships/ms-2010/cancel', {
      key,
      body: { option: 'period_end' },
      headers: { 'idempotency-key': 'cancel-app-store-1' },
    });
    expect(answer).toMatchObject({ status: 409, body: { code: 'billed_by_app_store' } });
    expect(answer.body.detail).toContain('https://apps.apple.com/account/subscriptions');
    expect(await app.repository.membership('ms-2010')).toMatchObject({ status: 'active', autoRenew: true });
    expect(await app.repository.cancellationsOf('ms-2010')).toEqual([]);
  });

  it('answers problems: the scope, a notice too short, a membership that does not renew, an unknown one', async () => {
    const read = (await app.apiKeys.create(['read'])).token;
    const key = (await app.apiKeys.create(['billing'])).token;
    const body = { amount: 1999, effectiveAt: '2026-11-25T00:00:00Z' };
    // A new Idempotency-Key for each request: each is a request of its own.
    let sent = 0;
    const fresh = () => ({ 'idempotency-key': `price-change-${++sent}` });
    expect((await call(base, 'POST', ROUTE, { key: read, body, headers: fresh() })).body.code).toBe(
      'insufficient_scope',
    );
    // Nov 24: Li Na's next renewal (Dec 10) is 16 days off, enough; Emily's (Dec 5) is 6 days off on Nov 29, short of California's 7.
    const tooSoon = await call(base, 'POST', '/v1/memberships/ms-2002/price-changes', {
      key,
      body: { amount: 2800, effectiveAt: '2026-11-25T00:00:00Z' },
      headers: fresh(),
    });
    expect(tooSoon.status).toBe(201);
    clock.set('2026-11-29T00:00:00Z');
    const late = await call(base, 'POST', ROUTE, { key, body, headers: fresh() });
    expect(late).toMatchObject({ status: 422, body: { code: 'price_change_notice_too_short' } });
    expect(late.body.detail).toContain("less than the 7 days' notice US-CA requires");
    const pending = await call(base, 'POST', '/v1/memberships/ms-2004/price-changes', { key, body, headers: fresh() });
    expect(pending).toMatchObject({ status: 409, body: { code: 'price_change_not_renewing' } });
    expect(
      (await call(base, 'POST', '/v1/memberships/ms-9999/price-changes', { key, body, headers: fresh() })).status,
    ).toBe(404);
    const store = await call(base, 'POST', '/v1/memberships/ms-2010/price-changes', { key, body, headers: fresh() });
    expect(store).toMatchObject({ status: 409, body: { code: 'price_change_app_store' } });
    const invalid = await call(base, 'POST', ROUTE, {
      key,
      body: { amount: -1, effectiveAt: 'soon' },
      headers: fresh(),
    });
    expect(invalid).toMatchObject({ status: 400, body: { code: 'invalid_request' } });
  });
});
