import { createApp } from '../../../src/app.js';
import { ManualClock } from '../../../src/core/clock.js';
import { seededRandom } from '../../../src/core/random.js';
import { enUS as en } from '../../../src/i18n/catalog.en-US.js';
import { startServer, type RunningServer } from '../../../src/server.js';
import { post, userMessage } from '../../support/http.js';
import { testConfig } from '../../support/testConfig.js';
import { PG_KEY_SETTINGS, seededDatabase } from './postgresFixture.js';

/**
 * Two servers built by the composition root on one PostgreSQL database, as behind a load balancer
 * without affinity: the limits are counted once for both.
 */
describe('rate limits across two instances on PostgreSQL', () => {
  let servers: RunningServer[] = [];

  async function twoInstances(limits: Record<string, string>): Promise<string[]> {
    const url = await seededDatabase();
    servers = await Promise.all(
      [1, 2].map(async (seed) =>
        startServer(
          // Both with the keys the database was sealed with, as every instance of one service is.
          await createApp(testConfig({ DATABASE_URL: url, ...PG_KEY_SETTINGS, ...limits }), {
            clock: new ManualClock('2026-11-24T02:00:00.000Z'),
            random: seededRandom(seed),
            deliverOnCommit: false,
          }),
          0,
          '127.0.0.1',
        ),
      ),
    );
    return servers.map((s) => s.url);
  }

  afterEach(async () => {
    await Promise.all(servers.map((s) => s.shutdown()));
    servers = [];
  });

  it('refuses an address over its budget whichever instance it reaches', async () => {
    const [a, b] = await twoInstances({ RATE_LIMIT_REQUESTS_PER_MINUTE_PER_IP: '4' });
    const statuses: number[] = [];
    for (const [i, url] of [a, b, a, b, a, b].entries())
      statuses.push((await post(url, userMessage(`address-${i}`, 'hello'))).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
  });

  it('slows a conversation down once its turns pass the limit, counted over both instances', async () => {
    const [a, b] = await twoInstances({ RATE_LIMIT_TURNS_PER_MINUTE: '3' });
    const replies: string[] = [];
    for (const url of [a, b, a, b]) {
      const { body } = await post(url, userMessage('one-conversation', 'check my membership'));
      replies.push(String(body.activities?.at(-1)?.text));
    }
    expect(replies.slice(0, 3)).not.toContain(en['input.slowDown']);
    expect(replies[3]).toBe(en['input.slowDown']);
  });
});
