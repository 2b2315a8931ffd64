import { cancelOut, cancellationFeedOut } from '../../../src/api/apiSchemas.js';
import { createApp, type App } from '../../../src/app.js';
import { ManualClock } from '../../../src/core/clock.js';
import { seededRandom } from '../../../src/core/random.js';
import { startServer, type RunningServer } from '../../../src/server.js';
import { call, conforms } from '../../api/apiClient.js';
import { testConfig } from '../../support/testConfig.js';
import { PG_KEY_SETTINGS, rawQuery, seededDatabase } from './postgresFixture.js';

const MS = '/v1/members/m-1001/memberships/ms-2001';

/** Two instances built by the composition root on one database, behind a load balancer without affinity. */
describe('the provider API across two instances on PostgreSQL', () => {
  let apps: App[] = [];
  let servers: RunningServer[] = [];
  let url: string;

  let clocks: ManualClock[];

  beforeEach(async () => {
    url = await seededDatabase();
    clocks = [1, 2].map(() => new ManualClock('2026-11-24T02:00:00.000Z'));
    apps = await Promise.all(
      [1, 2].map((seed) =>
        createApp(testConfig({ DATABASE_URL: url, ...PG_KEY_SETTINGS, API_REQUESTS_PER_MINUTE_PER_KEY: '5' }), {
          clock: clocks[seed - 1],
          random: seededRandom(seed),
          deliverOnCommit: false,
        }),
      ),
    );
    servers = await Promise.all(apps.map((app) => startServer(app, 0, '127.0.0.1')));
  });

  afterEach(async () => {
    await Promise.all(servers.map((s) => s.shutdown()));
  });

  it('keeps the key hashed in the database and takes it on either instance', async () => {
    const { key, token } = await apps[0].apiKeys.create(['read']);
    const [row] = await rawQuery<{ secret_hash: string; scopes: string[] }>(
      url,
      'SELECT secret_hash, scopes FROM api_keys WHERE id = $1',
      [key.id],
    );
    expect(row.scopes).toEqual(['read']);
    expect(row.secret_hash).not.toContain(token.slice(16));
    expect((await call(servers[1].url, 'GET', '/v1/members/m-1001', { key: token })).status).toBe(200);
    await apps[1].apiKeys.revoke(key.id);
    expect((await call(servers[0].url, 'GET', '/v1/members/m-1001', { key: token })).status).toBe(401);
  });

  it('cancels once when the same Idempotency-Key reaches both instances at once: one cancellation, one receipt', async () => {
    const { token } = await apps[0].apiKeys.create(['cancel']);
    const answers = await Promise.all(
      servers.map((s) =>
        call(s.url, 'POST', `${MS}/cancel`, {
          key: token,
          body: { option: 'immediate' },
          headers: { 'idempotency-key': 'desk-4711' },
        }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 201]);
    const [a, b] = answers.map((x) => conforms(cancelOut, x.body));
    expect(a.cancellation.reference).toBe(b.cancellation.reference);
    const cancellations = await rawQuery(url, "SELECT reference FROM cancellations WHERE membership_id = 'ms-2001'");
    const receipts = await rawQuery(url, "SELECT id FROM outbox WHERE template = 'cancellation-confirmed'");
    expect([cancellations.length, receipts.length]).toEqual([1, 1]);
  });

  it("counts a key's calls once for both instances", async () => {
    const { token } = await apps[0].apiKeys.create(['read']);
    const statuses: number[] = [];
    for (const s of [0, 1, 0, 1, 0, 1])
      statuses.push((await call(servers[s].url, 'GET', '/v1/members/m-1001', { key: token })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
  });

  it('pages the same feed of cancellations on either instance', async () => {
    const { token } = await apps[0].apiKeys.create(['read', 'cancel']);
    const made = [];
    for (const [i, [member, membership]] of [
      ['m-1001', 'ms-2001'],
      ['m-1002', 'ms-2002'],
    ].entries()) {
      const answer = await call(servers[i].url, 'POST', `/v1/members/${member}/memberships/${membership}/cancel`, {
        key: token,
        body: { option: 'period_end' },
        headers: { 'idempotency-key': `feed-${membership}` },
      });
      made.push(conforms(cancelOut, answer.body).cancellation.reference);
      for (const clock of clocks) clock.advance(1_000);
    }
    for (const clock of clocks) clock.advance(60_000);
    const read = async (s: number, after: string) =>
      conforms(
        cancellationFeedOut,
        (await call(servers[s].url, 'GET', `/v1/cancellations?limit=3&after=${after}`, { key: token })).body,
      );
    const first = await read(0, Buffer.from('[]').toString('base64url'));
    expect(first.cancellations.map((c) => c.reference)).toEqual(['CX-20261020-9P2D', 'CX-20261118-4H7M', made[0]]);
    expect(first.hasMore).toBe(true);
    const second = await read(1, first.nextCursor);
    expect(second.cancellations.map((c) => c.reference)).toEqual([made[1]]);
    expect(second.hasMore).toBe(false);
  });
});
