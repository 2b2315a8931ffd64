import { chmod, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Low, Memory } from 'lowdb';
import { DataFile } from 'lowdb/node';
import type { z } from 'zod';
import { describeFileError, isFileError, readDataText } from '../dataFileText.js';
import { GroupCommit } from './groupCommit.js';
import { Journal, type JournalContents } from './journal.js';
import { countRecords, writeSnapshot } from './snapshotWriter.js';
import { acquireLock } from './lockFile.js';
import { StoreLoadError, StoreWriteError } from '../storeErrors.js';
import { DATA_FILE_MODE, diskFiles, writeAll, type StoreFiles } from '../storeFiles.js';

export interface JsonStoreOptions<S extends z.ZodType> {
  schema: S;
  /** The data file; null keeps everything in memory (tests, tools). */
  file: string | null;
  /** Copied to `file` when it does not exist yet. */
  seedFile?: string;
  /** What a new store holds when there is neither a file nor a seed. */
  empty?: () => z.infer<S>;
  /** Data for an in-memory store. */
  initial?: z.infer<S>;
  /**
   * Keep changes in an append-only journal (`<file>.journal`) instead of rewriting the file on each
   * update. `replay` applies journalled changes to the loaded snapshot (and validates them: a throw
   * is reported as damage). The snapshot is rewritten on close, and once the journal holds
   * `compactAfter` transactions and, with `percentOfSnapshot`, at least that share of the last
   * snapshot's record count: snapshot writing then costs at most 100/percent records a transaction
   * whatever the document's size, and the journal a restart after a crash replays stays under
   * that share of the snapshot (0 turns the share off).
   */
  journal?: {
    replay: (data: z.infer<S>, changes: unknown[]) => void;
    compactAfter: number;
    percentOfSnapshot?: number;
  };
  /** The file operations of the journal and the snapshots (tests inject failing writes). */
  files?: StoreFiles;
}

/**
 * lowdb's JSONFile indents with two spaces; without indentation the file is about a third smaller
 * and quicker to write, and a 1M-member file stays under V8's limit on one string (about 512 MB)
 * where the indented one does not. (`jq . data/db.json` shows it indented.)
 */
function compactJsonFile<T>(file: string): DataFile<T> {
  return new DataFile<T>(file, { parse: JSON.parse, stringify: (data) => JSON.stringify(data) });
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.length ? issue.path.map(String).join('.') : '(document)';
  return `schema error at ${path}: ${issue.message}`;
}

async function readValidated<S extends z.ZodType>(file: string, schema: S): Promise<z.infer<S> | null> {
  const text = await readDataText(file);
  if (text === null) return null;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new StoreLoadError(file, `not valid JSON (${(err as Error).message})`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new StoreLoadError(file, describeIssue(parsed.error.issues[0]));
  return parsed.data;
}

/**
 * A store read and checked, holding its lock, with nothing written yet: a service opening several
 * stores checks them all before {@link start}ing any, so a bad file found last has not had the
 * others compacted or seeded first.
 */
export interface LoadedStore<S extends z.ZodType> {
  /** The document as read (snapshot plus journal), for checks before anything is written. */
  data: z.infer<S>;
  /** No file yet: {@link start} writes its first copy (from the seed). */
  fresh: boolean;
  /** Writes what opening needs (the seed's first copy, a compaction of a journal left over) and hands over the store. */
  start: () => Promise<JsonStore<S>>;
  /** Gives the lock back without starting. */
  release: () => void;
}

/**
 * A JSON document held in memory and written whole (temp file + rename, so a crash leaves the old
 * or the new file, never half of one): with lowdb, or, for a journalled store's snapshots, a slice
 * of records at a time by snapshotWriter.ts.
 *
 * Every change goes through {@link update}: the change is applied to memory at once, in call
 * order, and its promise resolves only once a write that contains it is on disk. Changes that
 * arrive while a write is in flight share the next write, so a burst costs two writes, not one
 * per change. With a journal, an update appends one line instead, so its cost does not grow with
 * the document.
 *
 * A commit is all or nothing in memory as on disk: when a write fails, its changes and every
 * change applied after them are undone in memory (groupCommit.ts) and their promises reject with a
 * StoreWriteError. The store then reports itself unavailable ({@link unavailable}) until a write
 * succeeds again: the next change tries, and {@link probe} does so without one.
 */
export class JsonStore<S extends z.ZodType> {
  /** Whole-document writes (stores without a journal). */
  private readonly writes: GroupCommit<void>;
  private closed = false;
  /** Records in the snapshot last written or loaded: what the journal's share is measured against. */
  private snapshotRecords = 0;
  private failure: StoreWriteError | null = null;
  /** Set while a compaction serialises with appends waiting: changes wait for it (see {@link compact}). */
  private holding: Promise<void> | null = null;
  private snapshotListeners: ((file: string) => void)[] = [];

  private constructor(
    private readonly low: Low<z.infer<S>>,
    private readonly release: () => void,
    private readonly file: string | null,
    private readonly files: StoreFiles,
    private readonly journal: {
      log: Journal;
      file: string;
      compactAfter: number;
      percentOfSnapshot: number;
    } | null = null,
  ) {
    this.writes = new GroupCommit<void>(
      () => this.low.write(),
      (err) => new StoreWriteError(this.file ?? '(memory)', err),
    );
  }

  static async open<S extends z.ZodType>(options: JsonStoreOptions<S>): Promise<JsonStore<S>> {
    return (await JsonStore.load(options)).start();
  }

  /**
   * Reads and checks the file (and its journal, replayed) under its lock, writing nothing. A file
   * that cannot be read, is not JSON, does not match the schema or whose journal does not apply
   * is refused with a StoreLoadError naming it; the file is left as it was.
   */
  static async load<S extends z.ZodType>(options: JsonStoreOptions<S>): Promise<LoadedStore<S>> {
    const { file } = options;
    const files = options.files ?? diskFiles;
    if (file === null) return JsonStore.loadInMemory(options, files);
    let release = () => undefined as void;
    try {
      await mkdir(dirname(file), { recursive: true, mode: 0o700 });
      release = acquireLock(file);
      const { data, fresh } = await readOrSeed(file, options);
      const journal = options.journal ? await replayJournal(file, data, options.journal) : null;
      const held = release;
      return {
        data,
        fresh,
        release: held,
        start: () => JsonStore.startLoaded({ file, data, fresh, journal, held }, options, files),
      };
    } catch (err) {
      release();
      if (isFileError(err)) throw new StoreLoadError(err.path ?? file, describeFileError(err));
      throw err;
    }
  }

  /** A store with no file (tests, benchmarks): the initial or empty document, checked. */
  private static loadInMemory<S extends z.ZodType>(options: JsonStoreOptions<S>, files: StoreFiles): LoadedStore<S> {
    const data = options.schema.parse(options.initial ?? options.empty?.());
    return {
      data,
      fresh: false,
      start: async () =>
        new JsonStore(new Low<z.infer<S>>(new Memory<z.infer<S>>(), data), () => undefined, null, files),
      release: () => undefined,
    };
  }

  /** Writes what opening needs (the seed's first copy, a compaction) and hands over the store; gives the lock back if it fails. */
  private static async startLoaded<S extends z.ZodType>(
    loaded: { file: string; data: z.infer<S>; fresh: boolean; journal: JournalContents | null; held: () => void },
    options: JsonStoreOptions<S>,
    files: StoreFiles,
  ): Promise<JsonStore<S>> {
    const { file, data, fresh, journal, held } = loaded;
    try {
      // Written as a snapshot is (temp file, fsync, rename, directory fsync): the journal's
      // synced lines are worth nothing if power loss takes the file they apply to.
      if (fresh) await writeSnapshot(file, data as Record<string, unknown>, { files });
      // A file made by an earlier version may be readable by everyone: personal data is the service's alone.
      else await chmod(file, DATA_FILE_MODE);
      const low = new Low<z.infer<S>>(compactJsonFile<z.infer<S>>(file), data);
      const journalled = options.journal;
      if (!journalled || !journal) return new JsonStore(low, held, file, files);
      const log = await Journal.start(journal, files);
      const { compactAfter, percentOfSnapshot = 0 } = journalled;
      const store = new JsonStore(low, held, file, files, { log, file, compactAfter, percentOfSnapshot });
      // Start from a fresh snapshot, so the journal only ever holds this run's changes; writing it counts its records.
      if (journal.mustCompact) await store.compact();
      else store.snapshotRecords = countRecords(data as Record<string, unknown>);
      return store;
    } catch (err) {
      held();
      throw isFileError(err) ? new StoreLoadError(file, describeFileError(err)) : err;
    }
  }

  /** The current document. Read freely; change it only inside {@link update}. */
  get data(): z.infer<S> {
    return this.low.data;
  }

  /** Why the last write failed, while no write has succeeded since; null when writes succeed. */
  get unavailable(): StoreWriteError | null {
    return this.failure;
  }

  /**
   * Applies `change` to the document and resolves with its result once it is on disk.
   * `change` must check everything before it mutates anything: it runs synchronously, and a
   * throw after a partial mutation would leave that part in memory.
   *
   * A journalled store needs `journalled`, the changes to log (whole records). `undo` takes the
   * change back in memory; it is called if the write fails (and then the promise rejects with a
   * StoreWriteError). An update that changes nothing still waits for the changes before it, since
   * its result may rest on them, and rejects if they are rolled back.
   */
  async update<R>(
    change: (data: z.infer<S>) => R,
    journalled?: (result: R) => unknown[],
    undo: () => void = () => undefined,
  ): Promise<R> {
    if (this.closed) throw new Error('The store is closed; the change was not applied.');
    if (this.journal && !journalled)
      throw new Error('A journalled store logs each change: pass the changes (journalled).');
    while (this.holding) await this.holding;
    const result = change(this.low.data);
    if (!this.journal) {
      await this.track(this.writes.join(undefined, undo));
      return result;
    }
    const changes = journalled!(result);
    if (changes.length === 0) {
      await this.journal.log.committed();
      return result;
    }
    await this.track(this.journal.log.append(changes, undo));
    if (this.journal.log.length >= this.compactionThreshold()) {
      // Not awaited: the change is on disk already, and the snapshot is written beside the appends.
      // A failure leaves every change in the journal; the next compaction, flush or close retries
      // it, and flush and close report it.
      this.compact().catch(() => undefined);
    }
    return result;
  }

  /**
   * Whether a write would succeed now: cuts a part-written journal line left by a failed write
   * and writes (and removes) a small file beside the data. Used by the health check while the
   * store is unavailable, so it recovers without waiting for a member's change.
   */
  async probe(): Promise<boolean> {
    if (!this.file) return true;
    try {
      await this.journal?.log.repair();
      const probe = `${this.file}.probe`;
      const handle = await this.files.open(probe, 'w', DATA_FILE_MODE);
      try {
        await writeAll(handle, 'probe\n');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await this.files.unlink(probe);
      this.failure = null;
      return true;
    } catch (err) {
      this.failure ??= new StoreWriteError(this.file, err);
      return false;
    }
  }

  /** Resolves once a compaction under way (an update crossing the threshold starts one) is done. */
  async settled(): Promise<void> {
    await this.compacting?.catch(() => undefined);
  }

  /** Resolves once every change made so far is on disk. */
  async flush(): Promise<void> {
    // A compaction under way may have started before the latest changes: wait for it, then cover them.
    await this.settled();
    if (this.journal?.log.length) await this.compact();
    // A write that fails rolls memory back to the file, so after it too memory and file agree.
    await (this.journal?.log.committed() ?? this.writes.committed()).catch(() => undefined);
  }

  /** Flushes (a journalled store rewrites its snapshot), then releases the lock; later updates are refused. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush();
    this.closed = true;
    await this.journal?.log.close();
    this.release();
  }

  private async track(written: Promise<void>): Promise<void> {
    try {
      await written;
      this.failure = null;
    } catch (err) {
      if (err instanceof StoreWriteError) this.failure = err;
      throw err;
    }
  }

  private compacting: Promise<void> | null = null;

  /** Calls `listener` with the file's name each time a snapshot has been written beside the journal. */
  afterEachSnapshot(listener: (file: string) => void): void {
    this.snapshotListeners.push(listener);
  }

  /**
   * One compaction at a time: updates that cross the threshold together share it. The snapshot is
   * written a slice of records at a time (snapshotWriter.ts), not with lowdb's single stringify.
   *
   * A snapshot must never hold a change that does not commit. Beside the journal, changes go on
   * while it is serialised: before the rename it waits for those changes' lines, and is abandoned
   * if an append failed (and was rolled back) meanwhile. In place (at open, after a failed
   * compaction) appends wait until the snapshot is written, so changes wait too: none can reach the
   * snapshot before its line is tried.
   */
  private compact(): Promise<void> {
    const { log, file } = this.journal!;
    if (this.compacting) return this.compacting;
    const inPlace = log.compactsInPlace;
    const compaction = log.compact(async () => {
      const failuresBefore = log.failedAppends;
      this.snapshotRecords = await writeSnapshot(file, this.low.data as Record<string, unknown>, {
        files: this.files,
        beforeRename: inPlace
          ? undefined
          : async () => {
              await log.committed().catch(() => undefined);
              if (log.failedAppends !== failuresBefore)
                throw new StoreWriteError(
                  file,
                  new Error('a change written meanwhile was rolled back; the snapshot was abandoned'),
                );
            },
      });
    });
    this.compacting = compaction.finally(() => {
      this.compacting = null;
      this.holding = null;
    });
    compaction.then(
      () => {
        for (const listener of this.snapshotListeners) listener(file);
      },
      () => undefined,
    );
    if (inPlace) this.holding = this.compacting.catch(() => undefined);
    return this.compacting;
  }

  private compactionThreshold(): number {
    const { compactAfter, percentOfSnapshot } = this.journal!;
    return Math.max(compactAfter, Math.ceil((this.snapshotRecords * percentOfSnapshot) / 100));
  }
}

/** The file's document, else the seed's (or the empty document) for a file not made yet. */
async function readOrSeed<S extends z.ZodType>(
  file: string,
  options: JsonStoreOptions<S>,
): Promise<{ data: z.infer<S>; fresh: boolean }> {
  const read: z.infer<S> | null = await readValidated(file, options.schema);
  if (read !== null) return { data: read, fresh: false };
  let data: z.infer<S> | null | undefined = null;
  if (options.seedFile) data = await readValidated(options.seedFile, options.schema);
  else if (options.empty) data = options.empty();
  if (data === null || data === undefined)
    throw new StoreLoadError(
      file,
      options.seedFile
        ? `the seed file ${options.seedFile} does not exist either`
        : 'the file does not exist and no seed file is configured',
    );
  return { data, fresh: true };
}

/** Replays the journal beside the file onto its document; a change that does not apply is damage, named. */
async function replayJournal<S extends z.ZodType>(
  file: string,
  data: z.infer<S>,
  journalled: NonNullable<JsonStoreOptions<S>['journal']>,
): Promise<JournalContents | null> {
  const journal = await Journal.read(`${file}.journal`);
  if (!journal) return null;
  try {
    journalled.replay(data, journal.changes);
  } catch (err) {
    throw err instanceof StoreLoadError
      ? err
      : new StoreLoadError(journal.file, `a change does not apply (${(err as Error).message.split('\n')[0]})`);
  }
  return journal;
}
