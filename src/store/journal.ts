import { open, readFile, rename, unlink, type FileHandle } from 'node:fs/promises';
import { toJsonText } from './jsonText.js';
import { StoreLoadError } from './storeErrors.js';

interface JournalFile {
  transactions: unknown[][];
  /** The last line was cut short (a crash during an append); it is dropped. */
  torn: boolean;
}

async function readTransactions(file: string): Promise<JournalFile | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const lines = text.split('\n');
  const transactions: unknown[][] = [];
  let torn = false;
  for (const [i, line] of lines.entries()) {
    if (line === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (err) {
      // A crash can cut only the last append short; anything else is damage to report.
      if (i === lines.length - 1) {
        torn = true;
        break;
      }
      throw new StoreLoadError(file, `line ${i + 1} is not a journal entry (${(err as Error).message})`);
    }
    if (!Array.isArray(parsed)) throw new StoreLoadError(file, `line ${i + 1} is not a journal entry (expected an array of changes)`);
    transactions.push(parsed);
  }
  return { transactions, torn };
}

async function removeIfPresent(file: string): Promise<void> {
  try {
    await unlink(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

/**
 * An append-only journal beside a snapshot file: one JSON line a transaction (an array of
 * changes), so a crash keeps a transaction whole or drops it whole. Appends run one after another.
 *
 * Compaction does not hold appends up while the snapshot is written: the journal is renamed to
 * `<journal>.old` and a fresh one takes the appends, the snapshot (serialised after the rename,
 * so it holds everything in `.old`) is written, then `.old` is removed. After a crash in between,
 * opening replays `.old` and then the journal. Changes are whole records set or deleted by key,
 * so a change found both in a snapshot and in a journal applies twice to the same result.
 */
export class Journal {
  private queue: Promise<void> = Promise.resolve();
  private count: number;
  /** The lines waiting for the next write, shared by every transaction that joins before it starts. */
  private batch: { lines: string[]; written: Promise<void> } | null = null;

  private constructor(
    private readonly file: string,
    private handle: FileHandle,
    existing: number,
    /** Something on disk besides the journal's whole lines (a `.old`, a torn line): the next compaction must cover it before anything is removed. */
    private leftovers: boolean,
  ) {
    this.count = existing;
  }

  /** Opens (creating) the journal; returns it and the changes it holds (`.old` first), in order. */
  static async open(file: string): Promise<{ journal: Journal; changes: unknown[]; mustCompact: boolean }> {
    const old = await readTransactions(`${file}.old`);
    const current = await readTransactions(file);
    const transactions = [...(old?.transactions ?? []), ...(current?.transactions ?? [])];
    const leftovers = old !== null || current?.torn === true;
    const handle = await open(file, 'a');
    return {
      journal: new Journal(file, handle, transactions.length, leftovers),
      changes: transactions.flat(),
      mustCompact: leftovers || transactions.length > 0,
    };
  }

  /** Transactions written to the journal since the last snapshot. */
  get length(): number {
    return this.count;
  }

  /**
   * Appends one transaction; a change that carries its JSON text (jsonText.ts) is written with it.
   * Transactions that arrive while a write is under way are written together by the next one
   * (group commit); each promise resolves once its line is written.
   */
  append(changes: unknown[]): Promise<void> {
    const line = `[${changes.map((change) => toJsonText(change) ?? 'null').join(',')}]\n`;
    if (this.batch) {
      this.batch.lines.push(line);
      return this.batch.written;
    }
    const batch = { lines: [line], written: Promise.resolve() };
    batch.written = this.enqueue(async () => {
      this.batch = null;
      await this.handle.appendFile(batch.lines.join(''), 'utf8');
      this.count += batch.lines.length;
    });
    this.batch = batch;
    return batch.written;
  }

  /**
   * Writes a snapshot that holds every change appended so far, then drops those changes from the
   * journal. `writeSnapshot` must serialise the document no earlier than when it is called.
   */
  compact(writeSnapshot: () => Promise<void>): Promise<void> {
    return this.leftovers ? this.compactInPlace(writeSnapshot) : this.compactBeside(writeSnapshot);
  }

  async close(): Promise<void> {
    await this.queue;
    await this.handle.close();
  }

  private async compactBeside(writeSnapshot: () => Promise<void>): Promise<void> {
    const oldFile = `${this.file}.old`;
    let retired: FileHandle | undefined;
    let retiredCount = 0;
    let snapshot: Promise<void> = Promise.resolve();
    await this.enqueue(async () => {
      await rename(this.file, oldFile);
      let fresh: FileHandle;
      try {
        fresh = await open(this.file, 'a');
      } catch (err) {
        await rename(oldFile, this.file);
        throw err;
      }
      // From here until the snapshot is on disk, `.old` holds changes the snapshot file lacks.
      this.leftovers = true;
      retired = this.handle;
      retiredCount = this.count;
      this.handle = fresh;
      this.count = 0;
      snapshot = writeSnapshot();
    });
    try {
      await snapshot;
    } catch (err) {
      this.count += retiredCount;
      throw err;
    } finally {
      await retired?.close();
    }
    await removeIfPresent(oldFile);
    this.leftovers = false;
  }

  /** At start, or after a compaction failed: the snapshot first, then `.old` and the journal go, appends waiting. */
  private compactInPlace(writeSnapshot: () => Promise<void>): Promise<void> {
    return this.enqueue(async () => {
      await writeSnapshot();
      await removeIfPresent(`${this.file}.old`);
      await this.handle.truncate(0);
      this.leftovers = false;
      this.count = 0;
    });
  }

  private enqueue(step: () => Promise<void>): Promise<void> {
    const run = this.queue.then(step);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
