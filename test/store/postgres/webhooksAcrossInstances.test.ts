import { memberOut, renewalOut } from '../../../src/api/apiSchemas.js';
import { createApp, type App } from '../../../src/app.js';
import { ManualClock } from '../../../src/core/clock.js';
import { seededRandom } from '../../../src/core/random.js';
import { startServer, type RunningServer } from '../../../src/server.js';
import { webhookEventSchema } from '../../../src/webhooks/webhookSchemas.js';
import { verifySignature } from '../../../src/webhooks/webhookSignature.js';
import { call, conforms } from '../../api/apiClient.js';
import { testConfig } from '../../support/testConfig.js';
import { PG_KEY_SETTINGS, rawQuery, seededDatabase } from './postgresFixture.js';
import { webhookReceiver } from '../../webhooks/receiver.js';

const SECRET = 'whsec-test-whsec-test-whsec-test-0003';
const NOW = '2026-11-24T02:00:00.000Z';

/** Two instances on one database, both delivering the outbox to one receiver. */
describe('webhook events and the provider writes across two instances on PostgreSQL', () => {
  let apps: App[] = [];
  let servers: RunningServer[] = [];
  let url: string;
  let receiver: Awaited<ReturnType<typeof webhookReceiver>>;

  beforeEach(async () => {
    receiver = await webhookReceiver();
    url = await seededDatabase();
    apps = await Promise.all(
      [1, 2].map((seed) =>
        createApp(
          testConfig({ DATABASE_URL: url, ...PG_KEY_SETTINGS, WEBHOOK_URLS: receiver.url, WEBHOOK_SECRET: SECRET }),
          { clock: new ManualClock(NOW), random: seededRandom(seed), deliverOnCommit: false },
        ),
      ),
    );
    servers = await Promise.all(apps.map((app) => startServer(app, 0, '127.0.0.1')));
  });
  afterEach(async () => {
    await Promise.all(servers.map((s) => s.shutdown()));
    await receiver.close();
  });

  it('one cancellation and one renewal asked of both instances at once: one signed event each', async () => {
    const { token } = await apps[0].apiKeys.create(['cancel', 'billing']);
    const both = <T>(ask: (base: string) => Promise<T>) => Promise.all(servers.map((s) => ask(s.url)));
    const renewals = await both((base) =>
      call(base, 'POST', '/v1/memberships/ms-2003/renewals', {
        key: token,
        body: { chargeId: 'pay-1', amount: 19800, currency: 'CNY', periodStart: '2027-01-15T00:00:00+08:00' },
        headers: { 'idempotency-key': 'renew-ms-2003' },
      }),
    );
    expect(renewals.map((r) => r.status).sort()).toEqual([200, 201]);
    renewals.forEach((r) => conforms(renewalOut, r.body));
    const cancels = await both((base) =>
      call(base, 'POST', '/v1/members/m-1001/memberships/ms-2001/cancel', {
        key: token,
        body: { option: 'period_end' },
        headers: { 'idempotency-key': 'desk-4712' },
      }),
    );
    expect(cancels.map((c) => c.status).sort()).toEqual([200, 201]);
    await Promise.all(apps.map((app) => app.dispatcher.deliverDue()));

    const events = receiver.events();
    expect(events.map((e) => e.type).sort()).toEqual(['membership.cancelled', 'membership.renewed']);
    for (const got of receiver.received)
      expect(verifySignature(got.body, String(got.headers['webhook-signature']), [SECRET], new Date(NOW))).toBe(
        'valid',
      );
    conforms(
      webhookEventSchema('membership.renewed'),
      events.find((e) => e.type === 'membership.renewed'),
    );
    const rows = await rawQuery<{ status: string }>(url, "SELECT status FROM outbox WHERE channel = 'webhook'");
    expect(rows.map((r) => r.status)).toEqual(['sent', 'sent']);
  });

  it('upserts a member sealed at rest, readable on the other instance', async () => {
    const { token } = await apps[0].apiKeys.create(['write', 'read', 'personal']);
    const member = {
      name: 'Ada Lovelace',
      phone: '+447700900123',
      email: 'ada@example.com',
      locale: 'en-US',
      notifyChannel: 'email',
    };
    const res = await fetch(`${servers[0].url}/v1/members/m-7100`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(member),
    });
    expect(res.status).toBe(201);
    const [row] = await rawQuery<{ phone: string; email: string }>(
      url,
      "SELECT phone, email FROM members WHERE id = 'm-7100'",
    );
    expect(`${row.phone} ${row.email}`).not.toMatch(/7700900123|ada@/);
    const read = await call(servers[1].url, 'GET', '/v1/members/m-7100', { key: token });
    expect(conforms(memberOut, read.body)).toMatchObject({ personalFields: 'plain', ...member, memberships: [] });
  });
});
