import type { Activity } from 'botbuilder';
import { RECEIPT_SHOWN, receiptShownIn } from '../../src/web/shownReceipt.js';

const asked = (at: string): Partial<Activity> => ({
  type: 'message',
  from: { id: 'u', name: '', role: 'user' },
  text: 'Cancel at period end',
  timestamp: at as unknown as Date,
});
const said = (at: string, text: string, channelData?: object): Partial<Activity> => ({
  type: 'message',
  from: { id: 'b', name: '', role: 'bot' },
  text,
  timestamp: at as unknown as Date,
  channelData,
});

const REF = 'CX-20261124-7K3Q';
const history = [
  asked('2026-11-24T02:00:00.000Z'),
  said('2026-11-24T02:00:01.000Z', `Done.\nReference number: ${REF}`),
];
const notice = `Cancellation confirmed … Reference: ${REF}.`;

describe('the receipt a page turn already showed', () => {
  it('is the notice composed in that turn naming the reference its answer showed', () => {
    expect(receiptShownIn(history, notice, '2026-11-24T02:00:00.500Z')).toBe(REF);
  });

  it('is not a notice composed later (the cancellation undone on another device), nor one naming another reference', () => {
    expect(receiptShownIn(history, `Undone. Reference: ${REF}.`, '2026-11-24T05:00:00.000Z')).toBeUndefined();
    expect(receiptShownIn(history, notice.replace('7K3Q', '8P2R'), '2026-11-24T02:00:00.500Z')).toBeUndefined();
    expect(receiptShownIn(history, 'Your membership has been renewed.', '2026-11-24T02:00:00.500Z')).toBeUndefined();
  });

  it('counts only answers, not a notice already marked, nor anything before the last message', () => {
    const marked = [
      asked('2026-11-24T02:00:00.000Z'),
      said('2026-11-24T02:00:01.000Z', notice, { [RECEIPT_SHOWN]: REF }),
    ];
    expect(receiptShownIn(marked, notice, '2026-11-24T02:00:00.500Z')).toBeUndefined();
    const later = [...history, asked('2026-11-24T03:00:00.000Z'), said('2026-11-24T03:00:01.000Z', 'You are welcome.')];
    expect(receiptShownIn(later, notice, '2026-11-24T03:00:00.500Z')).toBeUndefined();
  });
});
