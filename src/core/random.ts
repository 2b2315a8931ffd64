import { randomBytes, randomInt } from 'node:crypto';

/** The source of every unpredictable value (codes, ids), injected so tests can fix it. */
export interface RandomSource {
  /**
   * A uniformly distributed integer, for one-time codes and references.
   *
   * @param maxExclusive - The bound: a positive integer.
   * @returns An integer in [0, maxExclusive).
   */
  int(maxExclusive: number): number;
  /**
   * Random bytes as text, for ids and keys.
   *
   * @param length - How many bytes.
   * @returns `length` bytes as lowercase hex (twice as many characters).
   */
  hex(length: number): string;
}

export const cryptoRandom: RandomSource = {
  int: (maxExclusive) => randomInt(maxExclusive),
  hex: (length) => randomBytes(length).toString('hex'),
};

/**
 * A repeatable source for tests and recorded transcripts (mulberry32): the same seed gives the
 * same codes and ids on every run. Never used outside tests and tools.
 */
export function seededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    int: (maxExclusive) => Math.floor(next() * maxExclusive),
    hex: (length) =>
      Array.from({ length }, () =>
        Math.floor(next() * 256)
          .toString(16)
          .padStart(2, '0'),
      ).join(''),
  };
}
