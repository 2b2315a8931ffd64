interface Group<T> {
  items: T[];
  /** What undoes each transaction in memory, in the order they were applied. */
  undo: (() => void)[];
  written: Promise<void>;
  /** Set when a group before this one failed: this one is not written. */
  failed: Error | null;
}

/**
 * Transactions that are applied in memory at once and written to disk later, one write at a time:
 * those that arrive while a write is under way share the next one (group commit).
 *
 * A write that fails takes back, in memory, every transaction not yet on disk, newest first, before
 * any other code runs: those in the failed write and those waiting for the next, which were applied
 * on top of them. Each one's promise rejects; memory is then what the file holds.
 */
export class GroupCommit<T> {
  private queue: Promise<void> = Promise.resolve();
  private collecting: Group<T> | null = null;
  private writing: Group<T> | null = null;
  private failures = 0;

  /**
   * @param write writes one group's items; it must leave the file as it was when it throws
   *   (or leave that to `afterFailure`).
   * @param describe turns what `write` threw into the error every transaction of the group gets.
   * @param afterFailure runs after memory was rolled back, before the next write (a repair).
   */
  constructor(
    private readonly write: (items: T[]) => Promise<void>,
    private readonly describe: (err: unknown) => Error,
    private readonly afterFailure: () => Promise<void> = async () => undefined,
  ) {}

  /** Adds a transaction applied in memory; resolves once it is on disk. */
  join(item: T, undo: () => void): Promise<void> {
    if (this.collecting) {
      this.collecting.items.push(item);
      this.collecting.undo.push(undo);
      return this.collecting.written;
    }
    const group: Group<T> = { items: [item], undo: [undo], written: Promise.resolve(), failed: null };
    group.written = this.enqueue(() => this.run(group));
    this.collecting = group;
    return group.written;
  }

  /**
   * Resolves once every transaction applied so far is on disk; rejects if one of them was rolled
   * back. A transaction that changed nothing but read what others changed waits on this, so it
   * never answers from a change that does not commit.
   */
  committed(): Promise<void> {
    return (this.collecting ?? this.writing)?.written ?? Promise.resolve();
  }

  /** Write failures so far: a snapshot serialised across one may hold a rolled-back change. */
  get failed(): number {
    return this.failures;
  }

  /** Runs `step` alone, after the writes queued before it (compaction, close). */
  enqueue(step: () => Promise<void>): Promise<void> {
    const run = this.queue.then(step);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async run(group: Group<T>): Promise<void> {
    if (this.collecting === group) this.collecting = null;
    if (group.failed) throw group.failed;
    this.writing = group;
    try {
      await this.write(group.items);
    } catch (err) {
      const error = this.describe(err);
      this.failures += 1;
      // Synchronously, so that nothing runs on memory that holds a change the file does not.
      const next = this.collecting;
      this.collecting = null;
      this.writing = null;
      if (next) {
        next.failed = error;
        for (const undo of next.undo.reverse()) undo();
      }
      for (const undo of group.undo.reverse()) undo();
      await this.afterFailure();
      throw error;
    }
    this.writing = null;
  }
}
