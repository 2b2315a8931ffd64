import { open, readFile, type FileHandle } from 'node:fs/promises';
import { StoreLoadError } from './storeErrors.js';

async function readTransactions(file: string): Promise<unknown[][]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const lines = text.split('\n');
  const transactions: unknown[][] = [];
  for (const [i, line] of lines.entries()) {
    if (line === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (err) {
      // A crash can cut only the last append short; anything else is damage to report.
      if (i === lines.length - 1) break;
      throw new StoreLoadError(file, `line ${i + 1} is not a journal entry (${(err as Error).message})`);
    }
    if (!Array.isArray(parsed)) throw new StoreLoadError(file, `line ${i + 1} is not a journal entry (expected an array of changes)`);
    transactions.push(parsed);
  }
  return transactions;
}

/**
 * An append-only journal beside a snapshot file: one JSON line a transaction (an array of
 * changes), so a crash keeps a transaction whole or drops it whole. Appends run one after another;
 * `compact` writes a new snapshot and empties the journal in the same queue, so no change falls
 * between the two.
 */
export class Journal {
  private queue: Promise<void> = Promise.resolve();
  private count: number;
  /** The lines waiting for the next write, shared by every transaction that joins before it starts. */
  private batch: { lines: string[]; written: Promise<void> } | null = null;

  private constructor(private readonly handle: FileHandle, existing: number) {
    this.count = existing;
  }

  /** Opens (creating) the journal; returns it and the changes it holds, in order. */
  static async open(file: string): Promise<{ journal: Journal; changes: unknown[] }> {
    const transactions = await readTransactions(file);
    const handle = await open(file, 'a');
    return { journal: new Journal(handle, transactions.length), changes: transactions.flat() };
  }

  /** Transactions appended since the last snapshot. */
  get length(): number {
    return this.count;
  }

  /**
   * Appends one transaction. Transactions that arrive while a write is under way are written
   * together by the next one (group commit); each promise resolves once its line is written.
   */
  append(changes: unknown[]): Promise<void> {
    this.count += 1;
    const line = `${JSON.stringify(changes)}\n`;
    if (this.batch) {
      this.batch.lines.push(line);
      return this.batch.written;
    }
    const batch = { lines: [line], written: Promise.resolve() };
    batch.written = this.enqueue(async () => {
      this.batch = null;
      await this.handle.appendFile(batch.lines.join(''), 'utf8');
    });
    this.batch = batch;
    return batch.written;
  }

  /** Writes a snapshot (which must hold every change appended so far), then empties the journal. */
  compact(writeSnapshot: () => Promise<void>): Promise<void> {
    const compacted = this.count;
    return this.enqueue(async () => {
      await writeSnapshot();
      await this.handle.truncate(0);
      this.count -= compacted;
    });
  }

  async close(): Promise<void> {
    await this.queue;
    await this.handle.close();
  }

  private enqueue(step: () => Promise<void>): Promise<void> {
    const run = this.queue.then(step);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
