import { RecordedBilling } from '../../src/billing/recordedBilling.js';
import { ManualClock } from '../../src/core/clock.js';
import { seededRandom } from '../../src/core/random.js';
import { syntheticDb } from '../../src/devtools/syntheticData.js';
import { LifecycleService } from '../../src/membership/lifecycleService.js';
import { MembershipService } from '../../src/membership/membershipService.js';
import { Notifier } from '../../src/notify/notifier.js';
import { instance, seededDatabase } from '../store/postgres/postgresFixture.js';

const START = '2026-11-24T00:00:00.000Z';

/**
 * The year of the JSON store's simulation (test/membership/lifecycleYear.test.ts) on PostgreSQL:
 * 1,000 members, a sweep every twelve hours, one member in 25 cancelling on day 40.
 */
describe('a year of the lifecycle over 1,000 members on PostgreSQL', () => {
  it('renews each period once, charges each key once, reminds once, and nothing after a cancellation', async () => {
    const document = syntheticDb(1000, seededRandom(3), 'data/seed.json', new Date(START));
    const repo = instance(await seededDatabase(document));
    try {
      const clock = new ManualClock(START);
      const random = seededRandom(7);
      const notifier = new Notifier(clock, random);
      const memberships = new MembershipService(repo, notifier, clock, random);
      const billing = new RecordedBilling(null, clock, random);
      const pass = new LifecycleService(repo, notifier, billing, clock, random);
      const cancelledAt = new Map<string, number>();
      const active = document.memberships.filter((m, i) => m.status === 'active' && i % 25 === 0);
      for (let hour = 0; hour <= 365 * 24; hour += 12) {
        clock.set(new Date(Date.parse(START) + hour * 3_600_000));
        if (hour === 40 * 24)
          for (const m of active) {
            if ((await repo.membership(m.id))?.status !== 'active') continue;
            await memberships.cancel({
              memberId: m.memberId,
              membershipId: m.id,
              option: 'period_end',
              requestId: `r-${m.id}`,
            });
            cancelledAt.set(m.id, clock.now().getTime());
          }
        await memberships.sweep();
        await pass.run();
      }
      const audit = await repo.auditEntries();
      const renewed = audit.filter((a) => a.type === 'membership.renewed');
      const reminded = audit.filter((a) => a.type === 'membership.reminded');
      const charges = await billing.charges();
      expect(new Set(charges.map((c) => c.idempotencyKey)).size).toBe(charges.length);
      expect(new Set(renewed.map((a) => `${a.membershipId}:${String(a.data?.periodEnd)}`)).size).toBe(renewed.length);
      expect(renewed.map((a) => a.data?.chargeId).sort()).toEqual(charges.map((c) => c.chargeId).sort());
      expect(new Set(reminded.map((a) => `${a.membershipId}:${String(a.data?.periodEnd)}`)).size).toBe(reminded.length);
      for (const a of [...renewed, ...reminded]) {
        const at = cancelledAt.get(a.membershipId!);
        if (at !== undefined) expect(Date.parse(a.at)).toBeLessThan(at);
      }
      for (const [id, at] of cancelledAt) {
        expect(charges.filter((c) => c.membershipId === id && Date.parse(c.at) >= at)).toEqual([]);
        expect((await repo.membership(id))?.status).toBe('cancelled');
      }
      console.log(
        `PostgreSQL, year of 1,000 members: ${renewed.length} renewals, ${charges.length} charges, ${reminded.length} reminders, ${cancelledAt.size} cancelled`,
      );
    } finally {
      await repo.close();
    }
  }, 600_000);
});
