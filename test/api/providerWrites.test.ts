import { memberOut, membershipOut, renewalOut } from '../../src/api/apiSchemas.js';
import { ManualClock } from '../../src/core/clock.js';
import { seededRandom } from '../../src/core/random.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { webhookEventSchema } from '../../src/webhooks/webhookSchemas.js';
import type { App } from '../../src/app.js';
import { API_ENGINES, type EngineApp } from '../support/apiEngines.js';
import { webhookReceiver } from '../webhooks/receiver.js';
import { call, conforms } from './apiClient.js';

const RENEWALS = '/v1/memberships/ms-2001/renewals';
const PERIOD_END = '2027-03-01T00:00:00+08:00';

describe.each(API_ENGINES)(
  'the provider API: renewals from its billing, and its own records (%s)',
  (_engineName, engine) => {
    let opened: EngineApp;
    let app: App;
    let running: RunningServer;
    let base: string;
    let receiver: Awaited<ReturnType<typeof webhookReceiver>>;

    beforeEach(async () => {
      receiver = await webhookReceiver();
      opened = await engine.open(
        { WEBHOOK_URLS: receiver.url, WEBHOOK_SECRET: 'whsec-test-whsec-test-whsec-test-0002' },
        { clock: new ManualClock('2026-11-24T02:00:00.000Z'), random: seededRandom(9), deliverOnCommit: false },
      );
      app = opened.app;
      running = await startServer(app, 0, '127.0.0.1');
      base = running.url;
    });
    afterEach(async () => {
      await running.shutdown();
      await receiver.close();
    });

    const put = async (path: string, key: string, body: unknown) => {
      const res = await fetch(`${base}${path}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };

    it('records a renewal once: the next period, the notice, one event; a repeat is replayed, nothing charged', async () => {
      const key = (await app.apiKeys.create(['billing'])).token;
      const renew = (chargeId: string, periodStart = PERIOD_END, idem = `renew-${chargeId}`) =>
        call(base, 'POST', RENEWALS, {
          key,
          body: { chargeId, amount: 23800, currency: 'CNY', periodStart },
          headers: { 'idempotency-key': idem },
        });
      const first = await renew('pay-778');
      expect(first.status).toBe(201);
      const made = conforms(renewalOut, first.body);
      // The same instant on each engine, whatever offset it writes it with.
      expect(Date.parse(made.membership.currentPeriodStart)).toBe(Date.parse(PERIOD_END));
      // The same request again: the first answer, marked replayed.
      const repeat = await renew('pay-778');
      expect([repeat.status, repeat.headers.get('idempotent-replayed')]).toEqual([200, 'true']);
      expect(conforms(renewalOut, repeat.body)).toEqual({ ...made, replayed: true });
      // The same Idempotency-Key for another charge is refused; the same charge under another key is the same renewal.
      expect((await renew('pay-790', PERIOD_END, 'renew-pay-778')).body).toMatchObject({
        status: 422,
        code: 'idempotency_key_reused',
      });
      const again = await renew('pay-778', PERIOD_END, 'renew-0002');
      expect(again.status).toBe(200);
      expect(conforms(renewalOut, again.body).replayed).toBe(true);
      // Another charge for the period already paid, and one for a period that is not next.
      expect((await renew('pay-779')).body).toMatchObject({ status: 409, code: 'period_already_paid' });
      expect((await renew('pay-780', '2029-03-01T00:00:00+08:00')).body).toMatchObject({
        status: 422,
        code: 'renewal_period_not_next',
      });
      const pending = await call(base, 'POST', '/v1/memberships/ms-2004/renewals', {
        key,
        body: { chargeId: 'pay-781', amount: 2500, currency: 'CNY', periodStart: '2026-12-15T00:00:00+08:00' },
        headers: { 'idempotency-key': 'renew-0003' },
      });
      expect(pending.body).toMatchObject({ status: 409, code: 'membership_not_active' });
      expect(pending.body.detail).toContain('nothing to renew');
      // What the store holds: the period moved once, the member told once, no charge of ours.
      expect(await app.repository.membership('ms-2001')).toMatchObject({ lastChargeId: 'pay-778', pricePaid: 23800 });
      expect((await app.repository.outboxOf('m-1001')).filter((m) => m.template === 'membership-renewed')).toHaveLength(
        1,
      );
      await app.dispatcher.deliverDue();
      const events = receiver.events();
      expect(events.map((e) => e.type)).toEqual(['membership.renewed']);
      const { data } = conforms(webhookEventSchema('membership.renewed'), events[0]);
      expect(data).toMatchObject({ chargeId: 'pay-778', actor: key.slice(0, 15) });
      expect(Date.parse(String(data.periodStart))).toBe(Date.parse(PERIOD_END));
      // The lifecycle pass at the old period's end finds nothing to charge.
      expect(
        (await app.repository.claimPeriodsEnded('2027-03-02T00:00:00.000Z', 60_000, 10)).map((m) => m.id),
      ).not.toContain('ms-2001');
    });

    // PostgreSQL hands instants back in UTC (28 February 16:00): the year is counted on the
    // membership's billing calendar (Asia/Shanghai), not UTC's, which would end it on 29 February.
    it("renews to the same calendar day on the membership's billing calendar", async () => {
      const key = (await app.apiKeys.create(['billing'])).token;
      const answer = await call(base, 'POST', RENEWALS, {
        key,
        body: { chargeId: 'pay-800', amount: 23800, currency: 'CNY', periodStart: PERIOD_END },
        headers: { 'idempotency-key': 'renew-pay-800' },
      });
      const { membership } = conforms(renewalOut, answer.body);
      expect(Date.parse(membership.currentPeriodEnd)).toBe(Date.parse('2028-03-01T00:00:00+08:00'));
      expect(membership.timeZone).toBe('Asia/Shanghai');
    });

    it("counts a membership stored without a zone on its market's calendar", async () => {
      const key = (await app.apiKeys.create(['write', 'billing'])).token;
      const membership = {
        planId: 'video-vip-annual',
        autoRenew: true,
        startedAt: '2026-03-01T00:00:00+08:00',
        currentPeriodStart: '2026-03-01T00:00:00+08:00',
        currentPeriodEnd: PERIOD_END,
        pricePaid: 23800,
        points: 0,
        coupons: [],
      };
      expect((await put('/v1/members/m-1001/memberships/ms-7100', key, membership)).status).toBe(201);
      expect(
        (await put('/v1/members/m-1001/memberships/ms-7101', key, { ...membership, timeZone: '+08:00' })).body,
      ).toMatchObject({
        status: 400,
      });
      const answer = await call(base, 'POST', '/v1/memberships/ms-7100/renewals', {
        key,
        body: { chargeId: 'pay-801', amount: 23800, currency: 'CNY', periodStart: PERIOD_END },
        headers: { 'idempotency-key': 'renew-pay-801' },
      });
      const renewed = conforms(renewalOut, answer.body).membership;
      // The plan's market is CN: Asia/Shanghai's calendar, though nothing names a zone.
      expect(renewed.timeZone).toBeUndefined();
      expect(Date.parse(renewed.currentPeriodEnd)).toBe(Date.parse('2028-03-01T00:00:00+08:00'));
    });

    it('upserts a member (sealed at rest, audited with the key id) and a membership of theirs', async () => {
      const key = (await app.apiKeys.create(['write'])).token;
      const member = {
        name: '李雷',
        phone: '+8613600007777',
        email: 'li.lei@example.com',
        locale: 'zh-CN',
        notifyChannel: 'sms',
      };
      const created = await put('/v1/members/m-7001', key, member);
      expect(created.status).toBe(201);
      expect(conforms(memberOut, created.body)).toMatchObject({ personalFields: 'masked', phone: '+86 136****7777' });
      const updated = await put('/v1/members/m-7001', key, { ...member, email: 'lei.li@example.com' });
      expect(updated.status).toBe(200);
      expect((await app.repository.memberById('m-7001'))?.email).toBe('lei.li@example.com');
      // Sealed at rest: the store's own record holds no plain phone or e-mail.
      const stored = await opened.storedMember('m-7001');
      expect(stored).not.toContain('13600007777');
      expect(stored).not.toContain('lei.li@');
      // Another member's phone is refused; the body is checked against the contract.
      expect((await put('/v1/members/m-7002', key, member)).body).toMatchObject({ status: 409, code: 'address_taken' });
      expect((await put('/v1/members/m-7002', key, { ...member, phone: '138' })).body).toMatchObject({ status: 400 });

      const membership = {
        planId: 'video-vip-monthly',
        autoRenew: true,
        startedAt: '2026-11-20T00:00:00+08:00',
        currentPeriodStart: '2026-11-20T00:00:00+08:00',
        currentPeriodEnd: '2026-12-20T00:00:00+08:00',
        pricePaid: 2500,
        points: 10,
        coupons: [],
      };
      const path = '/v1/members/m-7001/memberships/ms-7001';
      const made = await put(path, key, membership);
      expect(made.status).toBe(201);
      expect(conforms(membershipOut, made.body)).toMatchObject({ status: 'active', points: 10, canUndo: false });
      expect((await put(path, key, { ...membership, points: 50 })).status).toBe(200);
      expect((await app.repository.membership('ms-7001'))?.points).toBe(50);
      expect((await put(path, key, { ...membership, planId: 'no-such-plan' })).body).toMatchObject({
        code: 'plan_not_found',
      });
      expect((await put('/v1/members/m-1001/memberships/ms-7001', key, membership)).body).toMatchObject({
        code: 'membership_of_another_member',
      });
      const audit = await app.repository.auditEntries();
      expect(audit.filter((e) => e.type.endsWith('.upserted')).map((e) => [e.type, e.data])).toEqual([
        ['member.upserted', { actor: key.slice(0, 15), created: true }],
        ['member.upserted', { actor: key.slice(0, 15), created: false }],
        ['membership.upserted', { actor: key.slice(0, 15), created: true }],
        ['membership.upserted', { actor: key.slice(0, 15), created: false }],
      ]);
      // A read key cannot write.
      const reader = (await app.apiKeys.create(['read'])).token;
      expect((await put('/v1/members/m-7001', reader, member)).body).toMatchObject({ code: 'insufficient_scope' });
    });
  },
);
