import type { Clock } from './clock.js';

/**
 * At most `limit` events per key in each fixed window (a window starts at a key's first event);
 * a limit of 0 means no limit. Asynchronous, so that the count can live where every instance
 * sees it (PostgresRateLimiter).
 */
export interface RateLimiter {
  /**
   * Counts one event for a key.
   *
   * @param key - What is limited: an address, an API key's id.
   * @returns True when the event is within the limit; false when the key is over it (the event is still counted).
   */
  take(key: string): Promise<boolean>;
}

/**
 * A RateLimiter for one process. Memory stays bounded: windows that have ended are dropped
 * whenever the table grows past `maxKeys`.
 */
export class InMemoryRateLimiter implements RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly clock: Clock,
    private readonly maxKeys = 100_000,
  ) {}

  async take(key: string): Promise<boolean> {
    if (this.limit <= 0) return true;
    const now = this.clock.now().getTime();
    const w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs) {
      if (this.windows.size >= this.maxKeys) this.prune(now);
      this.windows.set(key, { start: now, count: 1 });
      return true;
    }
    w.count += 1;
    return w.count <= this.limit;
  }

  private prune(now: number): void {
    for (const [key, w] of this.windows) if (now - w.start >= this.windowMs) this.windows.delete(key);
  }
}
