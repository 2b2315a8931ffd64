import type { FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { readDataText } from '../dataFileText.js';
import { GroupCommit } from './groupCommit.js';
import { toJsonText } from './jsonText.js';
import { StoreLoadError, StoreWriteError } from '../storeErrors.js';
import { DATA_FILE_MODE, diskFiles, syncDirectory, writeAll, type StoreFiles } from '../storeFiles.js';

interface JournalFile {
  transactions: unknown[][];
  /** The last line was cut short (a crash during an append); it is dropped. */
  torn: boolean;
  /** Bytes of the whole lines: where a torn line starts. */
  wholeBytes: number;
}

async function readTransactions(file: string): Promise<JournalFile | null> {
  const text = await readDataText(file);
  if (text === null) return null;
  const lines = text.split('\n');
  // What follows the last newline was never acknowledged: an append is acknowledged only once its
  // whole line, newline included, is on disk. A crash can cut only that one short.
  const tail = lines.pop() ?? '';
  const transactions: unknown[][] = [];
  let wholeBytes = 0;
  for (const [i, line] of lines.entries()) {
    wholeBytes += Buffer.byteLength(line, 'utf8') + 1;
    if (line === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (err) {
      throw new StoreLoadError(file, `line ${i + 1} is not a journal entry (${(err as Error).message})`);
    }
    if (!Array.isArray(parsed))
      throw new StoreLoadError(file, `line ${i + 1} is not a journal entry (expected an array of changes)`);
    transactions.push(parsed);
  }
  const torn = tail !== '';
  return { transactions, torn, wholeBytes };
}

async function removeIfPresent(files: StoreFiles, file: string): Promise<void> {
  try {
    await files.unlink(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

/** A journal as read at start, before anything is written. */
export interface JournalContents {
  file: string;
  /** Every change, `.old`'s first, in order. */
  changes: unknown[];
  transactions: number;
  exists: boolean;
  wholeBytes: number;
  torn: boolean;
  leftovers: boolean;
  /** The snapshot must be rewritten at start, so the journal only ever holds this run's changes. */
  mustCompact: boolean;
}

/**
 * An append-only journal beside a snapshot file: one JSON line a transaction (an array of
 * changes), so a crash keeps a transaction whole or drops it whole. Appends run one after another,
 * and each is on disk (fdatasync) before its transaction is acknowledged; transactions that arrive
 * during a write share the next one (group commit), so a burst costs one fdatasync, not one each.
 *
 * A failed append (a full disk) is cut off the file at once, and it and every transaction waiting
 * behind it is rolled back in memory (groupCommit.ts): the file never holds part of a line before
 * a later one, and memory never holds what the file does not. If even the cut fails, the next
 * append makes it first, and is refused if it cannot.
 *
 * Compaction does not hold appends up while the snapshot is written: the journal is renamed to
 * `<journal>.old` and a fresh one takes the appends, the snapshot (serialised after the rename,
 * so it holds everything in `.old`) is written, then `.old` is removed. After a crash in between,
 * opening replays `.old` and then the journal. Changes are whole records set or deleted by key,
 * so a change found both in a snapshot and in a journal applies twice to the same result.
 */
export class Journal {
  private count: number;
  private readonly commits: GroupCommit<string>;
  /** Bytes of whole lines in the file; past them, after a failed append, may lie part of a line. */
  private size: number;
  private torn = false;

  private constructor(
    private readonly file: string,
    private handle: FileHandle,
    existing: number,
    wholeBytes: number,
    /** Something on disk besides the journal's whole lines (a `.old`, a torn line): the next compaction must cover it before anything is removed. */
    private leftovers: boolean,
    private readonly files: StoreFiles,
  ) {
    this.count = existing;
    this.size = wholeBytes;
    this.commits = new GroupCommit<string>(
      (lines) => this.write(lines),
      (err) => new StoreWriteError(this.file, err),
      () => this.cutTornLine().catch(() => undefined),
    );
  }

  /** Reads the journal (`.old` first) without writing anything: what {@link start} continues from. */
  static async read(file: string): Promise<JournalContents> {
    const old = await readTransactions(`${file}.old`);
    const current = await readTransactions(file);
    const transactions = [...(old?.transactions ?? []), ...(current?.transactions ?? [])];
    return {
      file,
      changes: transactions.flat(),
      transactions: transactions.length,
      exists: current !== null,
      wholeBytes: current?.wholeBytes ?? 0,
      torn: current?.torn === true,
      leftovers: old !== null || current?.torn === true,
      mustCompact: old !== null || current?.torn === true || transactions.length > 0,
    };
  }

  /** Opens (creating) the journal read as `contents` for appends; cuts a torn last line off first. */
  static async start(contents: JournalContents, files: StoreFiles = diskFiles): Promise<Journal> {
    const { file } = contents;
    const handle = await files.open(file, 'a', DATA_FILE_MODE);
    // The mode above applies only to a file created now; one left by an earlier version is narrowed too.
    await handle.chmod(DATA_FILE_MODE);
    // A journal created now must still be there after power loss, with the lines synced into it.
    if (!contents.exists) await syncDirectory(files, dirname(file));
    const journal = new Journal(file, handle, contents.transactions, contents.wholeBytes, contents.leftovers, files);
    // Cut a torn line now, so that no append can follow it even if the compaction at open fails.
    if (contents.torn) {
      journal.torn = true;
      await journal.cutTornLine();
    }
    return journal;
  }

  /** {@link read} and {@link start} in one: the journal and the changes it holds, in order. */
  static async open(
    file: string,
    files: StoreFiles = diskFiles,
  ): Promise<{ journal: Journal; changes: unknown[]; mustCompact: boolean }> {
    const contents = await Journal.read(file);
    return {
      journal: await Journal.start(contents, files),
      changes: contents.changes,
      mustCompact: contents.mustCompact,
    };
  }

  /** Transactions written to the journal since the last snapshot. */
  get length(): number {
    return this.count;
  }

  /** Failed appends so far (each rolled back in memory what it held). */
  get failedAppends(): number {
    return this.commits.failed;
  }

  /** The next compaction must write the snapshot before appends go on (see {@link compact}). */
  get compactsInPlace(): boolean {
    return this.leftovers;
  }

  /**
   * Appends one transaction; a change that carries its JSON text (jsonText.ts) is written with it.
   * Resolves once its line is on disk; if the write fails, `undo` is called (with those of every
   * transaction after it, newest first) and the promise rejects with a StoreWriteError.
   */
  append(changes: unknown[], undo: () => void = () => undefined): Promise<void> {
    const line = `[${changes.map((change) => toJsonText(change) ?? 'null').join(',')}]\n`;
    return this.commits.join(line, undo);
  }

  /** Resolves once every transaction appended so far is on disk; rejects if one was rolled back. */
  committed(): Promise<void> {
    return this.commits.committed();
  }

  /** After a failed append whose part-line could not be cut off: tries the cut again. */
  async repair(): Promise<void> {
    await this.commits.enqueue(() => this.cutTornLine());
  }

  /**
   * Writes a snapshot that holds every change appended so far, then drops those changes from the
   * journal. `writeSnapshot` must serialise the document no earlier than when it is called.
   */
  compact(writeSnapshot: () => Promise<void>): Promise<void> {
    return this.leftovers ? this.compactInPlace(writeSnapshot) : this.compactBeside(writeSnapshot);
  }

  async close(): Promise<void> {
    await this.commits.enqueue(async () => undefined);
    await this.handle.close();
  }

  private async write(lines: string[]): Promise<void> {
    await this.cutTornLine();
    const text = lines.join('');
    try {
      await writeAll(this.handle, text);
      await this.handle.datasync();
    } catch (err) {
      this.torn = true;
      throw err;
    }
    this.size += Buffer.byteLength(text, 'utf8');
    this.count += lines.length;
  }

  private async cutTornLine(): Promise<void> {
    if (!this.torn) return;
    await this.handle.truncate(this.size);
    await this.handle.datasync();
    this.torn = false;
  }

  private async compactBeside(writeSnapshot: () => Promise<void>): Promise<void> {
    const oldFile = `${this.file}.old`;
    let retired: FileHandle | undefined;
    let retiredCount = 0;
    let snapshot: Promise<void> = Promise.resolve();
    await this.commits.enqueue(async () => {
      await this.cutTornLine();
      await this.files.rename(this.file, oldFile);
      let fresh: FileHandle | undefined;
      try {
        fresh = await this.files.open(this.file, 'a', DATA_FILE_MODE);
        // Both names must survive power loss before a change is acknowledged from the fresh journal.
        await syncDirectory(this.files, dirname(this.file));
      } catch (err) {
        await fresh?.close().catch(() => undefined);
        await this.files.rename(oldFile, this.file);
        throw err;
      }
      // From here until the snapshot is on disk, `.old` holds changes the snapshot file lacks.
      this.leftovers = true;
      retired = this.handle;
      retiredCount = this.count;
      this.handle = fresh;
      this.count = 0;
      this.size = 0;
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
    await removeIfPresent(this.files, oldFile);
    this.leftovers = false;
  }

  /** At start, or after a compaction failed: the snapshot first, then `.old` and the journal go, appends waiting. */
  private compactInPlace(writeSnapshot: () => Promise<void>): Promise<void> {
    return this.commits.enqueue(async () => {
      await writeSnapshot();
      await removeIfPresent(this.files, `${this.file}.old`);
      await this.handle.truncate(0);
      this.size = 0;
      this.torn = false;
      this.leftovers = false;
      this.count = 0;
    });
  }
}
