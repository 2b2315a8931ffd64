import { RecordedBilling } from '../../src/billing/recordedBilling.js';
import { DEFAULT_LIFECYCLE_POLICY, LifecycleService } from '../../src/membership/lifecycleService.js';
import { PriceChangeRefusedError, PriceChangeService } from '../../src/membership/priceChangeService.js';
import { domain } from '../support/domain.js';
import { openedOutbox } from '../support/openedRecords.js';

async function priceChanges() {
  const d = await domain();
  const billing = new RecordedBilling(null, d.clock, d.random);
  const lifecycle = new LifecycleService(d.repo, d.notifier, billing, d.clock, d.random);
  const service = new PriceChangeService(d.repo, d.clock, d.random, DEFAULT_LIFECYCLE_POLICY.reminders);
  const membership = (id: string) => d.store.data.memberships.find((m) => m.id === id)!;
  const outbox = async (template: string) =>
    (await openedOutbox(d.store, d.repo)).filter((m) => m.template === template);
  return { ...d, billing, lifecycle, service, membership, outbox };
}

const change = { membershipId: 'ms-2007', amount: 1999, actor: 'ak_000000000000' };

describe('PriceChangeService', () => {
  it('schedules the notice 14 days before the first charge at the new price, sends it once, in the member’s language', async () => {
    const p = await priceChanges();
    // Emily renews monthly on the 5th (08:00Z); from January her renewal costs $19.99.
    const recorded = await p.service.record({ ...change, effectiveAt: '2027-01-01T00:00:00.000Z' });
    expect(recorded).toMatchObject({
      firstChargeAt: '2027-01-05T00:00:00-08:00',
      noticeAt: '2026-12-22T08:00:00.000Z',
    });
    p.clock.set('2026-12-22T07:59:00Z');
    expect((await p.lifecycle.run()).priceNotices).toBe(0);
    p.clock.set('2026-12-22T08:00:00Z');
    expect((await p.lifecycle.run()).priceNotices).toBe(1);
    expect((await p.lifecycle.run()).priceNotices).toBe(0);
    const [notice] = await p.outbox('price-change');
    expect(notice).toMatchObject({ memberId: 'm-1006', channel: 'email', locale: 'en-US' });
    expect(notice.text).toContain(
      'Fitness Pro Monthly (membership ms-2007) will renew at $19.99 instead of $14.99, first charged on Jan 5, 2027',
    );
    expect(p.membership('ms-2007').priceChange?.notifiedAt).toBe('2026-12-22T08:00:00.000Z');
  });

  it('charges the old price before the effective date and the new one from it, and keeps it after', async () => {
    const p = await priceChanges();
    await p.service.record({ ...change, effectiveAt: '2027-01-01T00:00:00.000Z' });
    for (const day of [
      '2026-12-05T09:00:00Z',
      '2026-12-22T09:00:00Z',
      '2027-01-05T09:00:00Z',
      '2027-02-05T09:00:00Z',
    ]) {
      p.clock.set(day);
      await p.lifecycle.run();
    }
    const emily = (await p.billing.charges()).filter((c) => c.membershipId === 'ms-2007');
    expect(emily.map((c) => [c.periodStart, c.amount])).toEqual([
      ['2026-12-05T00:00:00-08:00', 1499],
      ['2027-01-05T00:00:00-08:00', 1999],
      ['2027-02-05T00:00:00-08:00', 1999],
    ]);
    const m = p.membership('ms-2007');
    expect(m).toMatchObject({ price: 1999, pricePaid: 1999 });
    expect(m.priceChange).toBeUndefined();
    // The reminder before the first renewal at the new price names the new price.
    const reminders = (await p.outbox('renewal-reminder')).filter((r) => r.memberId === 'm-1006');
    expect(reminders.map((r) => /for (\$\d+\.\d\d)/.exec(r.text)?.[1])).toEqual(['$14.99', '$19.99', '$19.99']);
  });

  it('sends the notice at once when the window has opened, and refuses a notice shorter than the law allows', async () => {
    const p = await priceChanges();
    // Nov 24: the Dec 5 renewal is 11 days away, enough for California's 7.
    expect((await p.service.record({ ...change, effectiveAt: '2026-12-01T00:00:00Z' })).noticeAt).toBe(
      '2026-11-24T02:00:00.000Z',
    );
    const late = await priceChanges();
    late.clock.set('2026-11-29T00:00:00Z');
    const attempt = late.service.record({ ...change, effectiveAt: '2026-12-01T00:00:00Z' });
    await expect(attempt).rejects.toThrow(PriceChangeRefusedError);
    await expect(attempt).rejects.toThrow("less than the 7 days' notice US-CA requires");
    expect(late.membership('ms-2007').priceChange).toBeUndefined();
  });

  it('sends no notice after a cancellation, and refuses memberships that do not renew', async () => {
    const p = await priceChanges();
    await p.service.record({ ...change, effectiveAt: '2027-01-01T00:00:00Z' });
    await p.memberships.cancel({ memberId: 'm-1006', membershipId: 'ms-2007', option: 'period_end', requestId: 'r' });
    p.clock.set('2026-12-23T00:00:00Z');
    await p.lifecycle.run();
    expect(await p.outbox('price-change')).toEqual([]);
    await expect(p.service.record({ ...change, effectiveAt: '2027-02-01T00:00:00Z' })).rejects.toMatchObject({
      code: 'not_renewing',
    });
  });
});
