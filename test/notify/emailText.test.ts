import { emailText } from '../../src/notify/emailText.js';
import type { Cancellation } from '../../src/model/schema.js';

const cancellation = (overrides: Partial<Cancellation>): Cancellation => ({
  reference: 'CX-20261124-7KQ2',
  requestId: 'r',
  membershipId: 'ms-2008',
  memberId: 'm-1007',
  planId: 'cloud-2tb-annual',
  option: 'period_end',
  receivedAt: '2026-11-24T02:00:00.000Z',
  effectiveAt: '2027-07-01T07:00:00.000Z',
  refund: 0,
  fee: 0,
  currency: 'USD',
  forfeited: { points: 0, coupons: [], tier: { 'zh-CN': '高级', 'en-US': 'Premium' } },
  ...overrides,
});
const receipt = (locale: 'en-US' | 'zh-CN', c: Cancellation) =>
  emailText(
    locale,
    {
      template: c.option === 'immediate' ? 'cancellation-confirmed' : 'cancellation-scheduled',
      cancellation: c,
      planName: { 'en-US': 'Cloud 2TB Annual', 'zh-CN': '云存储2TB年卡' },
    },
    () => 'short',
  );

/** The e-mail receipt says what applies to this member, and only that. */
describe('emailText', () => {
  it('names only the tier when there are no points or coupons to lose', () => {
    expect(receipt('en-US', cancellation({}))).toContain('When your benefits end you lose: your Premium status.');
    expect(receipt('zh-CN', cancellation({}))).toContain('权益终止时将失去：高级身份。');
  });

  it('counts one point and one coupon in the singular', () => {
    const c = cancellation({
      forfeited: { points: 1, coupons: [{ id: 'c', value: 500 }], tier: { 'zh-CN': '高级', 'en-US': 'Premium' } },
    });
    expect(receipt('en-US', c)).toContain(
      'When your benefits end you lose: 1 point, 1 coupon worth $5.00, and your Premium status.',
    );
    expect(
      receipt('en-US', {
        ...c,
        forfeited: {
          ...c.forfeited,
          points: 1280,
          coupons: [
            { id: 'a', value: 500 },
            { id: 'b', value: 1000 },
          ],
        },
      }),
    ).toContain('you lose: 1,280 points, 2 coupons worth $15.00, and your Premium status.');
  });

  it('states the fee, the refund and that a cancellation now cannot be undone', () => {
    const now = receipt(
      'en-US',
      cancellation({ option: 'immediate', effectiveAt: '2026-11-24T02:00:00.000Z', fee: 1500, refund: 7268 }),
    );
    expect(now.split('\n\n')).toEqual([
      'Reference number: CX-20261124-7KQ2',
      [
        'Your cancellation of Cloud 2TB Annual (membership ms-2008) is confirmed. We received it Nov 24, 2026 10:00 (Beijing time).',
        'Benefits: ended on Nov 24, 2026.',
        'Cancellation fee: $15.00, deducted from the refund.',
        'Refund: $72.68, back to your original payment method within 3–5 working days.',
        'Removed with your benefits: your Premium status.',
      ].join('\n'),
      'This cancellation took effect at once and cannot be undone.',
      'Keep this e-mail as your receipt.',
    ]);
  });

  it('leaves the notices that need no more words in their short form', () => {
    expect(
      emailText(
        'en-US',
        {
          template: 'cancellation-effective',
          planName: { 'en-US': 'Cloud 2TB Annual', 'zh-CN': '云存储2TB年卡' },
          membershipId: 'ms-2008',
        },
        () => 'short',
      ),
    ).toBe('short');
  });
});
