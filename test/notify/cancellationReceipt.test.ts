import type { Cancellation } from '../../src/model/schema.js';
import {
  cancellationReceipt,
  receiptForChat,
  receiptForEmail,
  receiptForSms,
} from '../../src/notify/cancellationReceipt.js';
import { mailHtml } from '../../src/notify/mailHtml.js';

const immediate: Cancellation = {
  reference: 'CX-20261124-7KQ2',
  requestId: 'r',
  membershipId: 'ms-2008',
  memberId: 'm-1007',
  planId: 'cloud-2tb-annual',
  option: 'immediate',
  receivedAt: '2026-11-24T02:00:00.000Z',
  effectiveAt: '2026-11-24T02:00:00.000Z',
  refund: 4150,
  fee: 500,
  currency: 'USD',
  forfeited: { points: 120, coupons: [], tier: { 'zh-CN': '高级', 'en-US': 'Premium' } },
};
const scheduled: Cancellation = {
  ...immediate,
  option: 'period_end',
  effectiveAt: '2027-07-01T07:00:00.000Z',
  refund: 0,
  fee: 0,
};
const plan = { 'en-US': 'Cloud 2TB Annual', 'zh-CN': '云存储2TB年卡' };

/** Every rendering of one receipt, as the member would read it on each channel. */
function renderings(c: Cancellation, locale: 'en-US' | 'zh-CN') {
  const receipt = cancellationReceipt(c, plan, locale);
  const email = receiptForEmail(receipt);
  return {
    chat: receiptForChat(receipt, { channel: 'sms', maskedAddress: '+86 138****5678' }),
    sms: receiptForSms(receipt, c.option === 'immediate'),
    email,
    html: mailHtml(email, locale, 'receipt'),
  };
}

describe('one cancellation receipt, every channel', () => {
  it.each(['en-US', 'zh-CN'] as const)('states the same reference, refund and fee everywhere (%s)', (locale) => {
    for (const [channel, text] of Object.entries(renderings(immediate, locale))) {
      expect([channel, text]).toEqual([channel, expect.stringContaining('CX-20261124-7KQ2')]);
      expect([channel, text]).toEqual([channel, expect.stringContaining('41.50')]);
      expect([channel, text]).toEqual([channel, expect.stringContaining('5.00')]);
    }
  });

  it('gives the undo date wherever the cancellation waits for the period end', () => {
    const receipt = cancellationReceipt(scheduled, plan, 'en-US');
    expect(receipt).toMatchObject({ scheduled: true, refund: null, fee: null, plan: 'Cloud 2TB Annual' });
    for (const text of Object.values(renderings(scheduled, 'en-US'))) expect(text).toMatch(/2027/);
    expect(receiptForChat(receipt, { channel: 'in-app' })).toMatch(/undo/i);
    expect(receiptForEmail(receipt)).toMatch(/undo/i);
  });

  it('says a cancellation that took effect at once cannot be undone', () => {
    const receipt = cancellationReceipt(immediate, plan, 'en-US');
    expect(receipt.scheduled).toBe(false);
    expect(receiptForChat(receipt, { channel: 'in-app' })).toContain('cannot be undone');
    expect(receiptForEmail(receipt)).toContain('cannot be undone');
  });
});
