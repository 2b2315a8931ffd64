import type { BillingPort, ChargeRequest, ChargeResult } from '../../src/membership/billing.js';
import { LifecycleService, type LifecyclePolicy } from '../../src/membership/lifecycleService.js';
import {
  defaultReminderPolicy,
  parseReminderPolicy,
  type ReminderPolicy,
} from '../../src/membership/reminderPolicy.js';
import { RecordedBilling } from '../../src/billing/recordedBilling.js';
import { RenewalInProgressError } from '../../src/membership/membershipErrors.js';
import { domain } from '../support/domain.js';
import { openedOutbox } from '../support/openedRecords.js';

const DAY = 86_400_000;

/** Billing that answers from a script, counting what it was asked. */
class ScriptedBilling implements BillingPort {
  readonly asked: ChargeRequest[] = [];
  constructor(private readonly answer: (request: ChargeRequest) => ChargeResult | Error) {}
  async charge(request: ChargeRequest): Promise<ChargeResult> {
    this.asked.push(request);
    const answer = this.answer(request);
    if (answer instanceof Error) throw answer;
    return answer;
  }
}

async function lifecycle(billing?: BillingPort, policy?: LifecyclePolicy) {
  const d = await domain();
  const recorded = new RecordedBilling(null, d.clock, d.random);
  const service = new LifecycleService(d.repo, d.notifier, billing ?? recorded, d.clock, d.random, policy);
  const membership = (id: string) => d.store.data.memberships.find((m) => m.id === id)!;
  const outbox = async (template: string) =>
    (await openedOutbox(d.store, d.repo)).filter((m) => m.template === template);
  return { ...d, recorded, service, membership, outbox };
}

describe('LifecycleService', () => {
  it('sends one renewal reminder a period, inside its window, saying what renews, when, for how much', async () => {
    const l = await lifecycle();
    // Emily's monthly renewal is on 2026-12-05T08:00Z; the reminder opens seven days before.
    l.clock.set('2026-11-28T07:59:00Z');
    expect((await l.service.run()).reminded).toBe(0);
    l.clock.set('2026-11-28T09:00:00Z');
    expect((await l.service.run()).reminded).toBe(1);
    expect((await l.service.run()).reminded).toBe(0);
    const [reminder] = await l.outbox('renewal-reminder');
    expect(reminder).toMatchObject({ memberId: 'm-1006', channel: 'email', locale: 'en-US' });
    expect(reminder.text).toContain(
      'Fitness Pro Monthly (membership ms-2007) renews automatically on Dec 5, 2026 for $14.99',
    );
    expect(l.membership('ms-2007').remindedFor).toBe('2026-12-05T00:00:00-08:00');
  });

  it("sends the reminder when the plan's jurisdiction says, and the member's over it", async () => {
    const reminders = parseReminderPolicy('US-CA:month=20,EU:month=5', defaultReminderPolicy()) as ReminderPolicy;
    const l = await lifecycle(undefined, { graceDays: 7, reminders });
    // Emily's plan is Californian: 20 days before 2026-12-05T08:00Z.
    l.clock.set('2026-11-15T07:59:00Z');
    expect((await l.service.run()).reminded).toBe(0);
    l.clock.set('2026-11-15T08:00:00Z');
    expect((await l.service.run()).reminded).toBe(1);
    // Li Na's monthly CN plan (renews 2026-12-09T16:00Z) waits for its 7 days, unless she is in the EU (5).
    await l.repo.transact(async (tx) =>
      tx.put('members', { ...(await tx.memberById('m-1002'))!, reminderPolicy: 'EU' }),
    );
    l.clock.set('2026-12-02T16:00:00Z');
    expect((await l.service.run()).reminded).toBe(0);
    l.clock.set('2026-12-04T16:00:00Z');
    expect((await l.service.run()).reminded).toBe(1);
    expect((await l.outbox('renewal-reminder')).map((m) => m.memberId)).toEqual(['m-1006', 'm-1002']);
  });

  it('sends no reminder after a cancellation', async () => {
    const l = await lifecycle();
    await l.memberships.cancel({ memberId: 'm-1006', membershipId: 'ms-2007', option: 'period_end', requestId: 'r' });
    l.clock.set('2026-12-01T00:00:00Z');
    await l.service.run();
    expect(await l.outbox('renewal-reminder')).toEqual([]);
  });

  it('renews at the period end: a new period, one charge with a key per period, the member told', async () => {
    const l = await lifecycle();
    l.clock.set('2026-12-05T09:00:00Z');
    expect(await l.service.run()).toMatchObject({ renewed: 1, expired: 0 });
    expect(await l.service.run()).toMatchObject({ renewed: 0 });
    const charges = await l.recorded.charges();
    expect(charges).toHaveLength(1);
    expect(charges[0]).toMatchObject({
      idempotencyKey: 'ms-2007:2026-12-05T00:00:00-08:00',
      amount: 1499,
      currency: 'USD',
    });
    expect(l.membership('ms-2007')).toMatchObject({
      status: 'active',
      currentPeriodStart: '2026-12-05T00:00:00-08:00',
      currentPeriodEnd: '2027-01-05T00:00:00-08:00',
      lastChargeId: charges[0].chargeId,
    });
    expect((await l.outbox('membership-renewed'))[0].text).toContain('$14.99 charged');
    const [view] = await l.memberships.list('m-1006');
    expect(view).toMatchObject({ renewalDue: false, nextCharge: { at: '2027-01-05T00:00:00-08:00', amount: 1499 } });
  });

  it('charges nothing twice when a pass dies between the charge and its record', async () => {
    const l = await lifecycle();
    l.clock.set('2026-12-05T09:00:00Z');
    // The first pass charges, then its transaction is lost (a kill before the commit).
    const transact = l.repo.transact.bind(l.repo);
    l.repo.transact = () => Promise.reject(new Error('killed'));
    await expect(l.service.run()).rejects.toThrow('killed');
    l.repo.transact = transact;
    expect(await l.service.run()).toMatchObject({ renewed: 1 });
    expect(await l.recorded.charges()).toHaveLength(1);
    expect(l.membership('ms-2007').currentPeriodEnd).toBe('2027-01-05T00:00:00-08:00');
  });

  it('charges nothing for a membership cancelled after the pass listed it and before its charge', async () => {
    const l = await lifecycle();
    l.clock.set('2026-12-05T09:00:00Z');
    const listed = l.repo.claimPeriodsEnded.bind(l.repo);
    let raced = false;
    l.repo.claimPeriodsEnded = async (now, leaseMs, limit) => {
      const ended = await listed(now, leaseMs, limit);
      // The member cancels in a conversation (on another instance) right after the pass looked.
      if (!raced && ended.some((m) => m.id === 'ms-2007')) {
        raced = true;
        await l.memberships.cancel({
          memberId: 'm-1006',
          membershipId: 'ms-2007',
          option: 'period_end',
          requestId: 'r',
        });
      }
      return ended;
    };
    expect(await l.service.run()).toMatchObject({ renewed: 0 });
    expect(raced).toBe(true);
    expect((await l.recorded.charges()).filter((c) => c.membershipId === 'ms-2007')).toEqual([]);
    expect(l.membership('ms-2007').status).toBe('cancelled');
  });

  it('refuses a cancellation while its renewal charge is in flight, and takes it once the renewal is on record', async () => {
    let answer: (result: ChargeResult) => void = () => undefined;
    let asked: () => void = () => undefined;
    const charging = new Promise<void>((resolve) => (asked = resolve));
    const billing = new ScriptedBilling(() => ({ status: 'charged', chargeId: 'ch-1' }));
    const held: BillingPort = {
      charge: (request) => {
        void billing.charge(request);
        asked();
        return new Promise((resolve) => (answer = resolve));
      },
    };
    const l = await lifecycle(held);
    l.clock.set('2026-12-05T09:00:00Z');
    const pass = l.service.run();
    await charging;
    const cancel = { memberId: 'm-1006', membershipId: 'ms-2007', option: 'period_end' as const, requestId: 'r' };
    // The charge is out: the warning and the cancellation both say so, and nothing changes.
    await expect(l.memberships.quote('m-1006', 'ms-2007')).rejects.toBeInstanceOf(RenewalInProgressError);
    await expect(l.memberships.cancel(cancel)).rejects.toThrow('is being taken right now; nothing was changed');
    expect(l.membership('ms-2007')).toMatchObject({ status: 'active', autoRenew: true });
    expect(l.membership('ms-2007').renewalCharge?.key).toBe('ms-2007:2026-12-05T00:00:00-08:00');
    answer({ status: 'charged', chargeId: 'ch-1' });
    expect(await pass).toMatchObject({ renewed: 1 });
    // On record: the renewed period, no mark; the cancellation now ends the period the charge paid for.
    expect(l.membership('ms-2007').renewalCharge).toBeUndefined();
    const { cancellation } = await l.memberships.cancel(cancel);
    expect(Date.parse(cancellation.effectiveAt)).toBe(Date.parse('2027-01-05T00:00:00-08:00'));
    expect(billing.asked).toHaveLength(1);
    const audit = await l.repo.auditEntries();
    expect(audit.filter((e) => e.type === 'renewal.charge_unapplied')).toEqual([]);
  });

  it('keeps a cancellation waiting while a charge has no answer, until a pass records one', async () => {
    let down = true;
    const billing = new ScriptedBilling(() => (down ? new Error('timeout') : { status: 'charged', chargeId: 'ch-1' }));
    const l = await lifecycle(billing);
    l.clock.set('2026-12-05T09:00:00Z');
    expect(await l.service.run()).toMatchObject({ renewed: 0 });
    const cancel = { memberId: 'm-1006', membershipId: 'ms-2007', option: 'period_end' as const, requestId: 'r' };
    // The provider may have taken it before the answer was lost: cancelling now could strand a charge.
    await expect(l.memberships.cancel(cancel)).rejects.toBeInstanceOf(RenewalInProgressError);
    down = false;
    l.clock.advance(3_600_000);
    expect(await l.service.run()).toMatchObject({ renewed: 1 });
    expect(billing.asked.map((r) => r.idempotencyKey)).toEqual([
      'ms-2007:2026-12-05T00:00:00-08:00',
      'ms-2007:2026-12-05T00:00:00-08:00',
    ]);
    expect((await l.memberships.cancel(cancel)).membership.status).toBe('pending_cancel');
  });

  it('shares the due memberships between passes running at once: each charge asked once', async () => {
    const billing = new ScriptedBilling((r) => ({ status: 'charged', chargeId: `ch-${r.membershipId}` }));
    const l = await lifecycle(billing);
    const other = new LifecycleService(l.repo, l.notifier, billing, l.clock, l.random);
    l.clock.set('2027-01-20T00:00:00Z');
    const [a, b] = await Promise.all([l.service.run(), other.run()]);
    const keys = billing.asked.map((r) => r.idempotencyKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(a.renewed + b.renewed).toBe(keys.length);
    expect(keys.length).toBeGreaterThan(2);
  });

  it('puts a refused renewal into grace, tells the member, and ends it when refused again', async () => {
    const billing = new ScriptedBilling(() => ({ status: 'refused', reason: 'card_declined' }));
    const l = await lifecycle(billing);
    l.clock.set('2026-12-05T09:00:00Z');
    expect(await l.service.run()).toMatchObject({ refused: 1 });
    expect(l.membership('ms-2007')).toMatchObject({ status: 'active', graceUntil: '2026-12-12T09:00:00.000Z' });
    expect((await l.outbox('renewal-refused'))[0].text).toContain('Your benefits continue until Dec 12, 2026');
    const [view] = await l.memberships.list('m-1006');
    expect(view).toMatchObject({ renewalDue: true, nextCharge: { at: '2026-12-12T09:00:00.000Z' } });
    l.clock.advance(DAY);
    expect(await l.service.run()).toMatchObject({ refused: 0, expired: 0 });
    l.clock.advance(6 * DAY);
    expect(await l.service.run()).toMatchObject({ expired: 1 });
    expect(billing.asked.filter((r) => r.membershipId === 'ms-2007').map((r) => r.idempotencyKey)).toEqual([
      'ms-2007:2026-12-05T00:00:00-08:00',
      'ms-2007:2026-12-05T00:00:00-08:00:after-grace',
    ]);
    expect(l.membership('ms-2007')).toMatchObject({ status: 'expired', points: 0, coupons: [] });
    expect(await l.outbox('membership-expired')).toHaveLength(1);
  });

  it('ends a membership without auto-renew at its period end, charging nothing', async () => {
    const billing = new ScriptedBilling(() => new Error('never asked'));
    const l = await lifecycle(billing);
    await l.repo.transact(async (tx) =>
      tx.put('memberships', { ...(await tx.membership('ms-2002'))!, autoRenew: false }),
    );
    l.clock.set('2026-12-10T00:00:00Z');
    expect(await l.service.run()).toMatchObject({ expired: 1, renewed: 0 });
    expect(billing.asked.filter((r) => r.membershipId === 'ms-2002')).toEqual([]);
    expect(l.membership('ms-2002').status).toBe('expired');
  });

  it('leaves a membership due when the billing gives no answer, and renews it on the next pass', async () => {
    let down = true;
    const billing = new ScriptedBilling(() => (down ? new Error('timeout') : { status: 'charged', chargeId: 'ch-1' }));
    const l = await lifecycle(billing);
    l.clock.set('2026-12-05T09:00:00Z');
    expect(await l.service.run()).toMatchObject({ renewed: 0, refused: 0 });
    expect(l.membership('ms-2007').currentPeriodEnd).toBe('2026-12-05T00:00:00-08:00');
    down = false;
    expect(await l.service.run()).toMatchObject({ renewed: 1 });
  });
});
