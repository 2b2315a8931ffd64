/** Counts the requests under way, so that a graceful shutdown can wait for the last one to finish. */
export class InFlight {
  private count = 0;
  private readonly idle: (() => void)[] = [];

  /**
   * Runs one request, counted from its start to its end.
   *
   * @param work - The request's handling.
   * @returns What `work` resolves with, or rejects as it does; the count falls either way.
   */
  async around<T>(work: () => Promise<T>): Promise<T> {
    this.count++;
    try {
      return await work();
    } finally {
      this.count--;
      if (this.count === 0) for (const done of this.idle.splice(0)) done();
    }
  }

  /**
   * Waits for the requests under way.
   *
   * @returns A promise that resolves at once when none is under way, else when the count next falls to zero.
   */
  drain(): Promise<void> {
    return this.count === 0 ? Promise.resolve() : new Promise((resolve) => this.idle.push(resolve));
  }
}
