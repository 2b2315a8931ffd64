import { Culture, recognizeEmail, recognizePhoneNumber } from '@microsoft/recognizers-text-sequence';
import { parseIdentifier, toE164 } from '../../src/identity/identifier.js';

const ZHANG = '+8613812345678';

describe('parseIdentifier: phone numbers as people type them', () => {
  it.each([
    '13812345678',
    '138 1234 5678',
    '138-1234-5678',
    '+86 138 1234 5678',
    '+86-138-1234-5678',
    '+8613812345678',
    '008613812345678',
    '0086 138 1234 5678',
    '8613812345678',
    '１３８１２３４５６７８',
    '１３８ １２３４ ５６７８',
    '我的手机号是13812345678',
    '手机：138 1234 5678，谢谢',
    '我的号码是１３８１２３４５６７８',
    'my number is 138-1234-5678',
    'My phone: +86 138 1234 5678.',
    'it is (+86) 138 1234 5678',
  ])('%s → +8613812345678', (typed) => {
    expect(parseIdentifier(typed, 'CN')).toEqual({ kind: 'phone', value: ZHANG });
  });

  it.each([
    ['+1 415 555 0123', '+14155550123'],
    ['+1 (415) 555-0123', '+14155550123'],
    ['my number is +1-415-555-0123', '+14155550123'],
  ])('US number %s → %s', (typed, e164) => {
    expect(parseIdentifier(typed, 'CN')).toEqual({ kind: 'phone', value: e164 });
  });

  it('reads a 10-digit US number with the US as the default country', () => {
    expect(parseIdentifier('(415) 555-0123', 'US')).toEqual({ kind: 'phone', value: '+14155550123' });
  });

  it.each(['12345', '1381234567', '23812345678', 'hello', '我想取消会员', '123456', ''])(
    'finds nothing in %j',
    (typed) => {
      expect(parseIdentifier(typed, 'CN')).toBeNull();
    },
  );

  it('normalises to E.164 or refuses', () => {
    expect(toE164('0086 138 1234 5678', 'CN')).toBe(ZHANG);
    expect(toE164('+86 238 1234 5678', 'CN')).toBeNull();
    expect(toE164('13812345678', 'US')).toBeNull();
  });
});

describe('parseIdentifier: emails', () => {
  it.each([
    ['zhang.wei@example.com', 'zhang.wei@example.com'],
    ['Zhang.Wei@Example.COM', 'zhang.wei@example.com'],
    ['我的邮箱是 zhang.wei@example.com', 'zhang.wei@example.com'],
    ['my email is Emily.Carter@example.com.', 'emily.carter@example.com'],
  ])('%s → %s', (typed, email) => {
    expect(parseIdentifier(typed, 'CN')).toEqual({ kind: 'email', value: email });
  });
});

describe('what the recognizer alone misses (why normalisation is ours)', () => {
  it('keeps the full stop that ends a sentence as part of an email', () => {
    expect(recognizeEmail('my email is Emily.Carter@example.com.', Culture.English)[0].resolution.value).toBe(
      'emily.carter@example.com.',
    );
  });

  it('returns the digits as written, not E.164', () => {
    const found = recognizePhoneNumber('+86 138 1234 5678', Culture.English).map((r) => r.resolution.value);
    expect(found).not.toContain(ZHANG);
  });
});

describe('two numbers and no word of which is meant', () => {
  it.each(['13600005555 or was it 13600005556', '13600005555 还是 13600005556 来着'])('are no answer: %s', (text) => {
    expect(parseIdentifier(text, 'CN')).toBeNull();
  });
  it('the same number twice is that number', () => {
    expect(parseIdentifier('13600005555, yes 136 0000 5555', 'CN')).toEqual({ kind: 'phone', value: '+8613600005555' });
  });
});
