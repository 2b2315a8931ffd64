import {
  CancelOptionUnavailableError,
  MembershipNotActiveError,
  MembershipNotFoundError,
  UndoNotPossibleError,
} from '../../src/membership/membershipErrors.js';
import { MembershipService } from '../../src/membership/membershipService.js';
import { domain, seed } from '../support/domain.js';
import { openedOutbox } from '../support/openedRecords.js';

describe('MembershipService', () => {
  it('lists memberships with plan, remaining days and coupon summary', async () => {
    const d = await domain();
    const [view] = await d.memberships.list('m-1001');
    expect(view).toMatchObject({
      plan: { id: 'video-vip-annual' },
      remainingDays: 96,
      coupons: { count: 2, total: 5000, nearestExpiry: '2026-12-31T23:59:59+08:00' },
      canUndo: false,
    });
    expect((await d.memberships.list('m-1002')).map((v) => v.membership.id)).toEqual(['ms-2003', 'ms-2002']);
  });

  it('cancels at period end in one write: status, record, audit entry and outbox message together', async () => {
    const d = await domain();
    const result = await d.memberships.cancel({
      memberId: 'm-1001',
      membershipId: 'ms-2001',
      option: 'period_end',
      requestId: 'r1',
      conversationId: 'c1',
    });
    expect(result.alreadyDone).toBe(false);
    expect(result.cancellation).toMatchObject({
      option: 'period_end',
      refund: 0,
      effectiveAt: '2027-03-01T00:00:00+08:00',
      receivedAt: '2026-11-24T02:00:00.000Z',
    });
    expect(result.cancellation.reference).toMatch(/^CX-20261124-[0-9A-Z]{4}$/);
    const stored = d.store.data.memberships.find((m) => m.id === 'ms-2001')!;
    expect(stored).toMatchObject({ status: 'pending_cancel', autoRenew: false, points: 1280 });
    expect(d.store.data.audit.filter((a) => a.type === 'cancellation.committed')).toHaveLength(1);
    const receipt = (await openedOutbox(d.store, d.repo)).at(-1)!;
    expect(receipt).toMatchObject({ template: 'cancellation-scheduled', channel: 'sms', to: '+8613812345678' });
    // Short, but every consequence the chat stated (#17.1).
    expect(receipt.text).toBe(
      `取消成功：视频VIP年卡（会员编号ms-2001），受理时间2026-11-24 10:00。已关闭自动续费，权益保留至2027-03-01。手续费：无。退款：无。权益终止时将失去：1,280积分、2张优惠券（共¥50.00）和黄金会员身份。2027-03-01之前可以撤销：请让助手查询您的会员。受理编号：${result.cancellation.reference}。`,
    );
  });

  it('cancels immediately with the pro-rata refund and forfeits points and coupons at once', async () => {
    const d = await domain();
    const { cancellation } = await d.memberships.cancel({
      memberId: 'm-1002',
      membershipId: 'ms-2003',
      option: 'immediate',
      requestId: 'r2',
    });
    expect(cancellation).toMatchObject({
      refund: 1766,
      fee: 1000,
      forfeited: { points: 860, coupons: [{ id: 'cp-3', value: 1500 }] },
    });
    expect(d.store.data.memberships.find((m) => m.id === 'ms-2003')).toMatchObject({
      status: 'cancelled',
      points: 0,
      coupons: [],
    });
    expect(d.store.data.outbox.at(-1)!.text).toContain('退款：¥17.66');
  });

  it('refuses what the rules do not allow, with typed errors', async () => {
    const d = await domain();
    await expect(
      d.memberships.cancel({ memberId: 'm-1001', membershipId: 'ms-2002', option: 'period_end', requestId: 'x' }),
    ).rejects.toThrow(MembershipNotFoundError);
    await expect(
      d.memberships.cancel({ memberId: 'm-1002', membershipId: 'ms-2002', option: 'immediate', requestId: 'y' }),
    ).rejects.toThrow(CancelOptionUnavailableError);
    await expect(
      d.memberships.cancel({ memberId: 'm-1005', membershipId: 'ms-2006', option: 'period_end', requestId: 'z' }),
    ).rejects.toThrow(MembershipNotActiveError);
    await expect(d.memberships.quote('m-1005', 'ms-2006')).rejects.toThrow('is expired, not active');
    expect(d.store.data.cancellations).toHaveLength(2);
  });

  it('is idempotent: the same request again, or a second cancellation, returns the first record', async () => {
    const d = await domain();
    const first = await d.memberships.cancel({
      memberId: 'm-1001',
      membershipId: 'ms-2001',
      option: 'immediate',
      requestId: 'same',
    });
    const again = await d.memberships.cancel({
      memberId: 'm-1001',
      membershipId: 'ms-2001',
      option: 'immediate',
      requestId: 'same',
    });
    const other = await d.memberships.cancel({
      memberId: 'm-1001',
      membershipId: 'ms-2001',
      option: 'period_end',
      requestId: 'other',
    });
    expect(again).toMatchObject({ alreadyDone: true, cancellation: { reference: first.cancellation.reference } });
    expect(other).toMatchObject({ alreadyDone: true, cancellation: { reference: first.cancellation.reference } });
    expect(d.store.data.cancellations.filter((c) => c.membershipId === 'ms-2001')).toHaveLength(1);
    expect(d.store.data.outbox.filter((m) => m.template === 'cancellation-confirmed')).toHaveLength(1);
  });

  it('records exactly one cancellation and one refund when two conversations cancel at the same moment', async () => {
    const d = await domain();
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        d.memberships.cancel({
          memberId: 'm-1001',
          membershipId: 'ms-2001',
          option: 'immediate',
          requestId: `race-${i}`,
          conversationId: `conv-${i}`,
        }),
      ),
    );
    expect(results.filter((r) => !r.alreadyDone)).toHaveLength(1);
    expect(new Set(results.map((r) => r.cancellation.reference)).size).toBe(1);
    const records = d.store.data.cancellations.filter((c) => c.membershipId === 'ms-2001');
    expect(records).toHaveLength(1);
    expect(records[0].refund).toBeGreaterThan(0);
    expect(d.store.data.audit.filter((a) => a.type === 'cancellation.committed')).toHaveLength(1);
  });

  it('undoes a pending cancellation before its date: active again, auto-renew on, audited and announced', async () => {
    const d = await domain();
    const view = await d.memberships.undo('m-1003', 'ms-2004', 'c9');
    expect(view.membership).toMatchObject({ status: 'active', autoRenew: true });
    expect(view.membership.effectiveAt).toBeUndefined();
    expect(d.store.data.cancellations.find((c) => c.reference === 'CX-20261118-4H7M')?.undoneAt).toBe(
      '2026-11-24T02:00:00.000Z',
    );
    expect(d.store.data.audit.at(-1)).toMatchObject({ type: 'cancellation.undone', conversationId: 'c9' });
    expect(d.store.data.outbox.at(-1)).toMatchObject({ template: 'cancellation-undone' });
    await expect(d.memberships.undo('m-1003', 'ms-2004')).rejects.toThrow(UndoNotPossibleError);
  });

  it('applies a pending cancellation once its date has passed, on read, and undo is then refused', async () => {
    const d = await domain();
    d.clock.set('2026-12-15T00:00:00+08:00');
    const [view] = await d.memberships.list('m-1003');
    expect(view.membership).toMatchObject({ status: 'cancelled', points: 0 });
    expect(view.canUndo).toBe(false);
    await expect(d.memberships.undo('m-1003', 'ms-2004')).rejects.toThrow('already taken effect');
    expect(d.store.data.outbox.at(-1)).toMatchObject({ template: 'cancellation-effective' });
  });

  it('sweeps all due cancellations at once', async () => {
    const d = await domain();
    await d.memberships.cancel({ memberId: 'm-1001', membershipId: 'ms-2001', option: 'period_end', requestId: 'p' });
    d.clock.set('2027-03-02T00:00:00Z');
    expect(await d.memberships.sweep()).toBe(2);
    expect(await d.memberships.sweep()).toBe(0);
  });

  it('stores the reason on the cancellation record', async () => {
    const d = await domain();
    const { cancellation } = await d.memberships.cancel({
      memberId: 'm-1001',
      membershipId: 'ms-2001',
      option: 'period_end',
      requestId: 'q',
    });
    await d.memberships.recordReason('m-1001', cancellation.reference, 'too_expensive', 'c1');
    expect(d.store.data.cancellations.find((c) => c.reference === cancellation.reference)?.reason).toBe(
      'too_expensive',
    );
  });
});

describe('audit retention (issue #14, item 8)', () => {
  it('purges entries older than the retention by instant, whatever their offset, and keeps cancellation entries', async () => {
    const entries = () => [
      { id: 'au-old-cancel', at: '2020-01-01T00:00:00.000Z', type: 'cancellation.committed', memberId: 'm-1001' },
      { id: 'au-old-code', at: '2020-01-01T00:00:00.000Z', type: 'verification.code_requested' },
      // 01:30Z, half an hour before the cutoff (2026-10-25T02:00Z), though later as text.
      { id: 'au-offset', at: '2026-10-25T09:30:00+08:00', type: 'handoff.requested' },
      { id: 'au-recent', at: '2026-10-25T03:00:00.000Z', type: 'verification.succeeded' },
    ];
    const d = await domain({ data: { ...seed(), audit: entries() } });
    await new MembershipService(d.repo, d.notifier, d.clock, d.random, 30).sweep();
    expect(d.store.data.audit.map((a) => a.id)).toEqual(['au-old-cancel', 'au-recent']);
    // Without a retention (the domain's default) nothing is purged.
    const untouched = await domain({ data: { ...seed(), audit: entries() } });
    await untouched.memberships.sweep();
    expect(untouched.store.data.audit).toHaveLength(4);
  });
});
