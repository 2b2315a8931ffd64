import { plainCopy } from '../../../src/store/json/plainCopy.js';

describe('plainCopy', () => {
  it('copies a record deeply, as structuredClone would, sharing nothing', () => {
    const record = {
      id: 'ms-1',
      points: 3,
      autoRenew: false,
      effectiveAt: undefined,
      graceUntil: null,
      coupons: [{ value: 5, expiresAt: '2026-12-01T00:00:00.000Z' }],
      reference: { conversation: { id: 'c-1' }, earlier: ['a', 'b'] },
    };
    const copied = plainCopy(record);
    expect(copied).toEqual(structuredClone(record));
    expect(Object.keys(copied)).toEqual(Object.keys(record));
    copied.coupons[0].value = 9;
    copied.reference.earlier.push('c');
    expect(record.coupons[0].value).toBe(5);
    expect(record.reference.earlier).toEqual(['a', 'b']);
  });

  it('leaves hidden properties behind: an outbox message copied keeps its text, not its toJSON', () => {
    const message = { id: 'o-1', text: '123456' };
    Object.defineProperty(message, 'toJSON', { value: () => ({ ...message, text: '' }), enumerable: false });
    const copied = plainCopy(message);
    expect(JSON.stringify(copied)).toBe('{"id":"o-1","text":"123456"}');
  });
});
