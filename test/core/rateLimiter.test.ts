import { ManualClock } from '../../src/core/clock.js';
import { InMemoryRateLimiter } from '../../src/core/rateLimiter.js';

describe('InMemoryRateLimiter', () => {
  it('lets `limit` events per key through in a window that starts at the first, then the next window', async () => {
    const clock = new ManualClock('2026-11-24T08:00:00Z');
    const limiter = new InMemoryRateLimiter(3, 60_000, clock);
    const takes = async (key: string, n: number) => {
      const answers: boolean[] = [];
      for (let i = 0; i < n; i++) answers.push(await limiter.take(key));
      return answers;
    };
    expect(await takes('a', 4)).toEqual([true, true, true, false]);
    expect(await takes('b', 1)).toEqual([true]);
    clock.advance(59_999);
    expect(await takes('a', 1)).toEqual([false]);
    clock.advance(1);
    expect(await takes('a', 4)).toEqual([true, true, true, false]);
  });

  it('with a limit of 0 lets everything through', async () => {
    const limiter = new InMemoryRateLimiter(0, 60_000, new ManualClock('2026-11-24T08:00:00Z'));
    for (let i = 0; i < 100; i++) expect(await limiter.take('a')).toBe(true);
  });
});
