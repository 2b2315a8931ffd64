import { ManualClock } from '../../../src/core/clock.js';
import { seededRandom } from '../../../src/core/random.js';
import { RecordedBilling } from '../../../src/billing/recordedBilling.js';
import { syntheticDb } from '../../../src/devtools/syntheticData.js';
import type { ChargeRequest } from '../../../src/membership/billing.js';
import { LifecycleService } from '../../../src/membership/lifecycleService.js';
import { Notifier } from '../../../src/notify/notifier.js';
import type { PostgresRepository } from '../../../src/store/postgres/postgresRepository.js';
import { instance, rawQuery, seededDatabase } from './postgresFixture.js';

/** Three instances run the lifecycle pass at once over one database and one billing. */
describe('the lifecycle over PostgreSQL, three instances at once', () => {
  let url: string;
  let repos: PostgresRepository[];
  const open = async (document?: Parameters<typeof seededDatabase>[0]) => {
    url = await seededDatabase(document);
    repos = [instance(url), instance(url), instance(url)];
  };
  afterEach(async () => {
    await Promise.all(repos.map((r) => r.close()));
  });

  it('reminds once and renews once a period, with one charge, however many passes run together', async () => {
    await open();
    const clock = new ManualClock('2026-11-29T00:00:00Z');
    const billing = new RecordedBilling(null, clock, seededRandom(9));
    const passes = repos.map((repo, i) => {
      const random = seededRandom(i + 1);
      return new LifecycleService(repo, new Notifier(clock, random), billing, clock, random);
    });
    const reminded = await Promise.all(passes.map((p) => p.run()));
    expect(reminded.reduce((n, c) => n + c.reminded, 0)).toBe(1);

    clock.set('2026-12-05T09:00:00Z');
    const renewed = await Promise.all(passes.map((p) => p.run()));
    expect(renewed.reduce((n, c) => n + c.renewed, 0)).toBe(1);
    expect(await billing.charges()).toHaveLength(1);
    const [row] = await rawQuery<{ current_period_end: Date; last_charge_id: string }>(
      url,
      "SELECT current_period_end, last_charge_id FROM memberships WHERE id = 'ms-2007'",
    );
    expect(row.current_period_end.toISOString()).toBe('2027-01-05T08:00:00.000Z');
    expect(row.last_charge_id).toBe((await billing.charges())[0].chargeId);
    const notices = await rawQuery<{ template: string }>(
      url,
      "SELECT template FROM outbox WHERE member_id = 'm-1006' ORDER BY seq",
    );
    expect(notices.map((n) => n.template)).toEqual(['renewal-reminder', 'membership-renewed']);
    const unapplied = await rawQuery(url, "SELECT id FROM audit WHERE type = 'renewal.charge_unapplied'");
    expect(unapplied).toEqual([]);
  });

  it('shares the due list: each membership claimed by one instance, its charge asked once', async () => {
    const start = new Date('2026-11-24T00:00:00.000Z');
    await open(syntheticDb(120, seededRandom(3), 'data/seed.json', start));
    const clock = new ManualClock('2027-01-10T00:00:00Z');
    const billing = new RecordedBilling(null, clock, seededRandom(9));
    const asked: ChargeRequest[] = [];
    const counting = { charge: (r: ChargeRequest) => (asked.push(r), billing.charge(r)) };
    const passes = repos.map((repo, i) => {
      const random = seededRandom(i + 1);
      return new LifecycleService(repo, new Notifier(clock, random), counting, clock, random);
    });
    const counts = await Promise.all(passes.map((p) => p.run()));
    const keys = asked.map((r) => r.idempotencyKey);
    // Before claims, the three walked the list in the same order and asked for the same keys.
    expect(keys.length).toBeGreaterThan(50);
    expect(new Set(keys).size).toBe(keys.length);
    expect(counts.reduce((n, c) => n + c.renewed, 0)).toBe(keys.length);
    const held = await rawQuery(url, 'SELECT id FROM memberships WHERE lifecycle_lease_until IS NOT NULL');
    expect(held).toEqual([]);
  });
});
