import { open, readFile, type FileHandle } from 'node:fs/promises';
import { z } from 'zod';
import { StoreLoadError } from './storeErrors.js';

const entrySchema = z.union([
  z.object({ k: z.string(), e: z.string(), u: z.iso.datetime({ offset: true }), v: z.record(z.string(), z.unknown()) }),
  z.object({ k: z.string(), d: z.literal(true) }),
]);

export type JournalEntry = z.infer<typeof entrySchema>;

async function readEntries(file: string): Promise<JournalEntry[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const lines = text.split('\n');
  const entries: JournalEntry[] = [];
  for (const [i, line] of lines.entries()) {
    if (line === '') continue;
    let parsed: JournalEntry;
    try {
      parsed = entrySchema.parse(JSON.parse(line));
    } catch (err) {
      // A crash can cut only the last append short; anything else is damage to report.
      if (i === lines.length - 1) break;
      throw new StoreLoadError(file, `line ${i + 1} is not a journal entry (${(err as Error).message.split('\n')[0]})`);
    }
    entries.push(parsed);
  }
  return entries;
}

/**
 * An append-only journal of state changes beside a snapshot file, so a turn writes one short line
 * instead of every conversation's state. Appends run one after another; `compact` writes a new
 * snapshot and empties the journal, in the same queue, so no change falls between the two.
 */
export class StateJournal {
  private queue: Promise<void> = Promise.resolve();
  private count: number;

  private constructor(private readonly handle: FileHandle, existing: number) {
    this.count = existing;
  }

  static async open(file: string): Promise<{ journal: StateJournal; entries: JournalEntry[] }> {
    const entries = await readEntries(file);
    const handle = await open(file, 'a');
    return { journal: new StateJournal(handle, entries.length), entries };
  }

  /** Entries appended since the last snapshot. */
  get length(): number {
    return this.count;
  }

  append(entries: JournalEntry[]): Promise<void> {
    this.count += entries.length;
    const text = entries.map((e) => `${JSON.stringify(e)}\n`).join('');
    return this.enqueue(async () => {
      await this.handle.appendFile(text, 'utf8');
    });
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
