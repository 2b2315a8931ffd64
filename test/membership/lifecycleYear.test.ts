import { RecordedBilling } from '../../src/billing/recordedBilling.js';
import { seededRandom } from '../../src/core/random.js';
import { syntheticDb } from '../../src/devtools/syntheticData.js';
import { DEFAULT_LIFECYCLE_POLICY, LifecycleService } from '../../src/membership/lifecycleService.js';
import { domain } from '../support/domain.js';

const DAY = 86_400_000;
const START = '2026-11-24T00:00:00.000Z';

/**
 * A year of 1,000 members on an injected clock, one sweep every twelve hours, with one member in 25
 * cancelling at period end on day 40: every renewal recorded once, every reminder sent once inside
 * its window, none after a cancellation, no charge twice.
 */
describe('a year of the lifecycle over 1,000 members', () => {
  it('renews each period once, reminds once inside the window, and never after a cancellation', async () => {
    const d = await domain({ data: syntheticDb(1000, seededRandom(3), 'data/seed.json', new Date(START)) });
    d.clock.set(START);
    const billing = new RecordedBilling(null, d.clock, d.random);
    const pass = new LifecycleService(d.repo, d.notifier, billing, d.clock, d.random);
    const plans = new Map(d.store.data.plans.map((p) => [p.id, p]));
    const cancelledAt = new Map<string, number>();
    for (let hour = 0; hour <= 365 * 24; hour += 12) {
      d.clock.set(new Date(Date.parse(START) + hour * 3_600_000));
      if (hour === 40 * 24) {
        for (const m of d.store.data.memberships.filter((x, i) => x.status === 'active' && i % 25 === 0)) {
          await d.memberships.cancel({
            memberId: m.memberId,
            membershipId: m.id,
            option: 'period_end',
            requestId: `r-${m.id}`,
          });
          cancelledAt.set(m.id, d.clock.now().getTime());
        }
      }
      await d.memberships.sweep();
      await pass.run();
    }
    const audit = d.store.data.audit;
    const renewed = audit.filter((a) => a.type === 'membership.renewed');
    const reminded = audit.filter((a) => a.type === 'membership.reminded');
    const charges = await billing.charges();

    // Each charge once, each renewal once per period, and every charge recorded by a renewal.
    expect(new Set(charges.map((c) => c.idempotencyKey)).size).toBe(charges.length);
    expect(new Set(renewed.map((a) => `${a.membershipId}:${String(a.data?.periodEnd)}`)).size).toBe(renewed.length);
    expect(renewed.map((a) => a.data?.chargeId).sort()).toEqual(charges.map((c) => c.chargeId).sort());

    // Each reminder once per period, at least 5 days before it renews (those already inside their window at the start aside).
    expect(new Set(reminded.map((a) => `${a.membershipId}:${String(a.data?.periodEnd)}`)).size).toBe(reminded.length);
    const onTime = reminded.filter((a) => {
      const end = Date.parse(String(a.data?.periodEnd));
      const m = d.store.data.memberships.find((x) => x.id === a.membershipId)!;
      const lead = DEFAULT_LIFECYCLE_POLICY.reminders.days.CN[plans.get(m.planId)!.period] * DAY;
      return end - lead >= Date.parse(START);
    });
    for (const a of onTime)
      expect(Date.parse(String(a.data?.periodEnd)) - Date.parse(a.at)).toBeGreaterThanOrEqual(5 * DAY);

    // Nothing reminded, renewed or charged after a cancellation.
    for (const a of [...renewed, ...reminded]) {
      const at = cancelledAt.get(a.membershipId!);
      if (at !== undefined) expect(Date.parse(a.at)).toBeLessThan(at);
    }
    for (const [id, at] of cancelledAt) {
      expect(charges.filter((c) => c.membershipId === id && Date.parse(c.at) >= at)).toEqual([]);
      expect(d.store.data.memberships.find((m) => m.id === id)?.status).toBe('cancelled');
    }
    // Every renewal was reminded first, unless its period ended within the notice period of the start.
    const remindedPeriods = new Set(reminded.map((a) => `${a.membershipId}:${Date.parse(String(a.data?.periodEnd))}`));
    const renewedPeriods = charges.map((c) => `${c.membershipId}:${Date.parse(c.periodStart)}`);
    const unreminded = renewedPeriods.filter((key) => !remindedPeriods.has(key));
    expect(unreminded.every((key) => Number(key.split(':').at(-1)) < Date.parse(START) + 15 * DAY)).toBe(true);
    console.log(
      `year of 1,000 members: ${renewed.length} renewals, ${charges.length} charges, ${reminded.length} reminders (${onTime.length} checked in window), ${cancelledAt.size} cancelled, ${unreminded.length} renewals unreminded (period ended inside the notice period at the start)`,
    );
  });
});
