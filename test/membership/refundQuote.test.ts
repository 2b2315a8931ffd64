import { proRataRefund, quoteCancellation } from '../../src/membership/refundQuote.js';
import { seed } from '../support/domain.js';

const d = (iso: string) => new Date(iso);

describe('proRataRefund', () => {
  const start = d('2026-03-01T00:00:00+08:00');
  const end = d('2027-03-01T00:00:00+08:00');

  it('refunds the whole price, less the fee, on the first day', () => {
    expect(proRataRefund(23800, start, end, start, 0)).toBe(23800);
    expect(proRataRefund(23800, start, end, d('2026-03-01T12:00:00+08:00'), 1000)).toBe(
      ((23800 * 364) / 365 - 1000) | 0,
    );
  });

  it('refunds nothing on the last day (no whole day left)', () => {
    expect(proRataRefund(23800, start, end, d('2027-02-28T00:00:01+08:00'), 0)).toBe(0);
    expect(proRataRefund(23800, start, end, end, 0)).toBe(0);
  });

  it('counts whole unused days and rounds down: 23800 × 97 / 365 = 6324.9 → 6324; 96.6 days count as 96', () => {
    expect(proRataRefund(23800, start, end, d('2026-11-24T00:00:00+08:00'), 0)).toBe(6324);
    expect(proRataRefund(23800, start, end, d('2026-11-24T10:00:00+08:00'), 0)).toBe(6259);
  });

  it('uses 366 days in a leap-year period', () => {
    const leapStart = d('2028-01-01T00:00:00Z');
    const leapEnd = d('2029-01-01T00:00:00Z');
    // 183 unused days of 366: 36600 × 183 / 366 = 18300 exactly.
    expect(proRataRefund(36600, leapStart, leapEnd, d('2028-07-02T00:00:00Z'), 0)).toBe(18300);
  });

  it('never goes below zero when the fee is larger than the refund', () => {
    expect(
      proRataRefund(900, d('2026-11-01T00:00:00Z'), d('2026-12-01T00:00:00Z'), d('2026-11-29T00:00:00Z'), 1000),
    ).toBe(0);
  });
});

describe('quoteCancellation', () => {
  const data = seed();
  const plan = (id: string) => data.plans.find((p) => p.id === id)!;
  const membership = (id: string) => data.memberships.find((m) => m.id === id)!;
  const now = d('2026-11-24T02:00:00Z');

  it('offers only "at period end" when the plan has no refund', () => {
    const quote = quoteCancellation(membership('ms-2002'), plan('video-vip-monthly'), now);
    expect(quote.options).toEqual([
      { option: 'period_end', effectiveAt: '2026-12-10T00:00:00+08:00', refund: 0, fee: 0 },
    ]);
  });

  it('adds "immediately" with the pro-rata refund less the fee, and lists what is forfeited', () => {
    const quote = quoteCancellation(membership('ms-2003'), plan('music-plus-annual'), now, plan('music-lite-monthly'));
    // 2026-01-15 → 2027-01-15 is 365 days; 51 whole days remain: 19800 × 51 / 365 = 2766.5 → 2766, less the 1000 fee.
    expect(quote.options[1]).toEqual({ option: 'immediate', effectiveAt: now.toISOString(), refund: 1766, fee: 1000 });
    expect(quote.forfeited).toMatchObject({
      points: 860,
      couponTotal: 1500,
      tier: { 'zh-CN': '白金会员', 'en-US': 'Platinum' },
    });
    expect(quote.retentionOffer?.id).toBe('music-lite-monthly');
  });
});
