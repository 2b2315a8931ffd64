import { domain } from '../support/domain.js';
import { openedOutbox } from '../support/openedRecords.js';

const DAY = 86_400_000;

/** A period that ended with no renewal on record is "renewal due", never shown as running. */
describe('a membership past its period end', () => {
  // Emily's monthly period ends on Dec 5, 2026 (Pacific time); the clock is two days later.
  async function twoDaysAfterEmilysPeriod() {
    const d = await domain();
    d.clock.set('2026-12-07T10:00:00Z');
    return d;
  }

  it('reads as renewal due with no next charge, while a running one shows its next charge', async () => {
    const d = await twoDaysAfterEmilysPeriod();
    const [emily] = await d.memberships.list('m-1006');
    expect(emily).toMatchObject({ renewalDue: true, remainingDays: 0 });
    expect(emily.nextCharge).toBeUndefined();
    const [zhang] = await d.memberships.list('m-1001');
    expect(zhang).toMatchObject({
      renewalDue: false,
      nextCharge: { at: '2027-03-01T00:00:00+08:00', amount: 23800, currency: 'CNY' },
    });
  });

  it('has no next charge once its cancellation is pending', async () => {
    const d = await domain();
    const [wang] = await d.memberships.list('m-1003');
    expect(wang).toMatchObject({ renewalDue: false, canUndo: true });
    expect(wang.nextCharge).toBeUndefined();
  });

  it('quotes no date past: cancelling stops the renewal today, with no refund and no immediate option', async () => {
    const d = await twoDaysAfterEmilysPeriod();
    const quote = await d.memberships.quote('m-1006', 'ms-2007');
    expect(quote.renewalDue).toBe(true);
    expect(quote.options).toEqual([
      { option: 'period_end', effectiveAt: '2026-12-07T10:00:00.000Z', refund: 0, fee: 0 },
    ]);
  });

  it('takes a cancellation at once, with a receipt that offers no undo, and none is offered later', async () => {
    const d = await twoDaysAfterEmilysPeriod();
    const { cancellation, membership } = await d.memberships.cancel({
      memberId: 'm-1006',
      membershipId: 'ms-2007',
      option: 'period_end',
      requestId: 'r-due',
    });
    expect(membership).toMatchObject({ status: 'cancelled', autoRenew: false, points: 0, coupons: [] });
    expect(d.store.data.memberships.find((m) => m.id === 'ms-2007')).toMatchObject({ status: 'cancelled' });
    const receipt = (await openedOutbox(d.store, d.repo)).at(-1)!;
    expect(receipt.template).toBe('cancellation-confirmed');
    expect(receipt.text).toContain('cannot be undone');
    expect(receipt.text).not.toContain('Dec 5, 2026');
    expect(cancellation.effectiveAt).toBe('2026-12-07T10:00:00.000Z');
    d.clock.advance(DAY);
    const [view] = await d.memberships.list('m-1006');
    expect(view).toMatchObject({ canUndo: false, renewalDue: false });
  });
});
