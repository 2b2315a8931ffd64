import { priceChangeOut } from '../../src/api/priceChangeRoute.js';
import { ManualClock } from '../../src/core/clock.js';
import { seededRandom } from '../../src/core/random.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { createJsonApp, type JsonApp } from '../support/jsonApp.js';
import { testConfig } from '../support/testConfig.js';
import { call, conforms } from './apiClient.js';

const ROUTE = '/v1/memberships/ms-2007/price-changes';

describe('POST /v1/memberships/{membershipId}/price-changes, and a cancel of a store-billed membership', () => {
  let app: JsonApp;
  let clock: ManualClock;
  let running: RunningServer;
  let base: string;

  beforeEach(async () => {
    clock = new ManualClock('2026-11-24T02:00:00.000Z');
    app = await createJsonApp(testConfig(), {
      clock,
      random: seededRandom(7),
      deliverOnCommit: false,
    });
    running = await startServer(app, 0, '127.0.0.1');
    base = running.url;
  });
  afterEach(async () => {
    await running.shutdown();
  });

  it('records the change with its notice inside the window, and the store holds it', async () => {
    const key = (await app.apiKeys.create(['billing'])).token;
    const answer = await call(base, 'POST', ROUTE, {
      key,
      body: { amount: 1999, effectiveAt: '2027-01-01T00:00:00Z' },
    });
    expect(answer.status).toBe(201);
    expect(conforms(priceChangeOut, answer.body)).toEqual({
      membershipId: 'ms-2007',
      amount: 1999,
      effectiveAt: '2027-01-01T00:00:00Z',
      firstChargeAt: '2027-01-05T00:00:00-08:00',
      noticeAt: '2026-12-22T08:00:00.000Z',
    });
    expect((await app.repository.membership('ms-2007'))?.priceChange).toMatchObject({ amount: 1999 });
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
    expect((await call(base, 'POST', ROUTE, { key: read, body })).body.code).toBe('insufficient_scope');
    // Nov 24: Li Na's next renewal (Dec 10) is 16 days off, enough; Emily's (Dec 5) is 6 days off on Nov 29, short of California's 7.
    const tooSoon = await call(base, 'POST', '/v1/memberships/ms-2002/price-changes', {
      key,
      body: { amount: 2800, effectiveAt: '2026-11-25T00:00:00Z' },
    });
    expect(tooSoon.status).toBe(201);
    clock.set('2026-11-29T00:00:00Z');
    const late = await call(base, 'POST', ROUTE, { key, body });
    expect(late).toMatchObject({ status: 422, body: { code: 'price_change_notice_too_short' } });
    expect(late.body.detail).toContain("less than the 7 days' notice US-CA requires");
    const pending = await call(base, 'POST', '/v1/memberships/ms-2004/price-changes', { key, body });
    expect(pending).toMatchObject({ status: 409, body: { code: 'price_change_not_renewing' } });
    expect((await call(base, 'POST', '/v1/memberships/ms-9999/price-changes', { key, body })).status).toBe(404);
    const store = await call(base, 'POST', '/v1/memberships/ms-2010/price-changes', { key, body });
    expect(store).toMatchObject({ status: 409, body: { code: 'price_change_app_store' } });
    const invalid = await call(base, 'POST', ROUTE, { key, body: { amount: -1, effectiveAt: 'soon' } });
    expect(invalid).toMatchObject({ status: 400, body: { code: 'invalid_request' } });
  });
});
