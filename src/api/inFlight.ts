/** Counts requests in progress, so a graceful shutdown can wait for none. */
export class InFlight {
  private count = 0;
  private readonly idle: (() => void)[] = [];

  async around<T>(work: () => Promise<T>): Promise<T> {
    this.count++;
    try {
      return await work();
    } finally {
      this.count--;
      if (this.count === 0) for (const done of this.idle.splice(0)) done();
    }
  }

  /** Resolves once no request is in progress. */
  drain(): Promise<void> {
    return this.count === 0 ? Promise.resolve() : new Promise((resolve) => this.idle.push(resolve));
  }
}
