/**
 * Runs work one at a time per key: the turns of one conversation, which may arrive at once (a
 * member sending twice quickly, or a load balancer without affinity handing two turns to two
 * instances), each read the conversation's state and write it back, so they must not overlap.
 *
 * `run` with a key must not be called from work already running under that key: it would wait
 * for itself.
 */
export interface TurnLock {
  /**
   * Runs `work` once every work queued before it under the same key has finished.
   *
   * @param key - What must not overlap: a conversation's id.
   * @param work - The turn.
   * @returns What `work` resolves with, or rejects as it does; the key is free again either way.
   */
  run<T>(key: string, work: () => Promise<T>): Promise<T>;
}

/**
 * A TurnLock for one process: each key's work is chained behind the work before it. A key is
 * remembered only while work for it runs or waits, so idle conversations cost nothing.
 */
export class InProcessTurnLock implements TurnLock {
  /** Per key, a promise that settles when the last work queued for it has finished. */
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const before = this.tails.get(key);
    let finished!: () => void;
    const done = new Promise<void>((resolve) => (finished = resolve));
    const tail = before ? before.then(() => done) : done;
    this.tails.set(key, tail);
    try {
      if (before) await before;
      return await work();
    } finally {
      finished();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  /** How many keys have work running or waiting. */
  get keysHeld(): number {
    return this.tails.size;
  }
}
