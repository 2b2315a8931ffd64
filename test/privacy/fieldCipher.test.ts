import { FieldCipher, isSealed, keyIdOf, SEALED_SQL_PATTERN } from '../../src/privacy/fieldCipher.js';
import { TEST_INDEX_KEY, TEST_KEY } from '../support/sealer.js';

const cipher = new FieldCipher([TEST_KEY], TEST_INDEX_KEY);

describe('a sealed field', () => {
  it('opens however large it is: a state of 7.5 MB seals to 10 MB and opens again', () => {
    // The pattern as a JavaScript RegExp overflowed V8's stack from about 8 MB (RangeError).
    const plain = JSON.stringify({ history: 'x'.repeat(7_500_000) });
    const sealed = cipher.seal(plain, 'state/k');
    expect(sealed.length).toBeGreaterThan(10_000_000);
    expect(keyIdOf(sealed)).toBe('test-1');
    expect(cipher.open(sealed, 'state/k')).toBe(plain);
  });

  it('never shares an IV with another, across the refills of the IVs drawn in advance', () => {
    const ivs = Array.from({ length: 1000 }, () =>
      Buffer.from(cipher.seal('same', 'state/k').split('.')[2], 'base64url').subarray(0, 12).toString('hex'),
    );
    expect(new Set(ivs).size).toBe(ivs.length);
    expect(cipher.open(cipher.seal('same', 'state/k'), 'state/k')).toBe('same');
  });

  it("is recognised exactly where SEALED_SQL_PATTERN (PostgreSQL's) matches, at any length", () => {
    const data = 'A'.repeat(38);
    const texts = [
      `pd1.k1.${data}`,
      `pd1.k1.${data.slice(1)}`,
      `pd1.${'k'.repeat(32)}.${data}`,
      `pd1.${'k'.repeat(33)}.${data}`,
      `pd1..${data}`,
      `pd1.k1.${data}=`,
      `pd1.k1.${data}\n`,
      `pd1.k1.${data}.more`,
      `pd1.k.1.${data}`,
      `xpd1.k1.${data}`,
      `pd2.k1.${data}`,
      'pd1.john.doe@example.com',
      `pd1.k1.${'-_09azAZ'.repeat(5)}`,
      `pd1.k1.${'a'.repeat(9_000_000)}`,
      `pd1.k1.${'a'.repeat(9_000_000)}@`,
      '',
    ];
    const pattern = new RegExp(SEALED_SQL_PATTERN);
    for (const text of texts) {
      const expected = text.length < 1000 ? pattern.test(text) : !text.endsWith('@');
      expect([text.slice(0, 60), isSealed(text)]).toEqual([text.slice(0, 60), expected]);
    }
  });
});
