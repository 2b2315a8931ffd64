import { randomUUID } from 'node:crypto';
import type { Storage, StoreItems } from 'botbuilder';
import { z } from 'zod';
import type { Clock } from '../core/clock.js';
import { JsonStore } from './jsonStore.js';
import { StateJournal, type JournalEntry } from './stateJournal.js';

export const stateFileSchema = z.object({
  items: z.record(
    z.string(),
    z.object({
      eTag: z.string(),
      updatedAt: z.iso.datetime({ offset: true }),
      value: z.record(z.string(), z.unknown()),
    }),
  ),
});

export type StateFile = z.infer<typeof stateFileSchema>;

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Conversation and user state for botbuilder, kept on disk so a restart resumes every conversation
 * at the prompt it was at. Writes follow botbuilder's storages: an item written with an eTag other
 * than the stored one (or "*") is rejected, never merged.
 *
 * On disk: a snapshot (`STATE_FILE`, JSON) and a journal beside it (`STATE_FILE.journal`, one JSON
 * line a change). A turn appends a line; the snapshot is rewritten only when the journal has grown
 * past the number of conversations, so a turn's cost does not grow with the number of conversations.
 */
export class JsonStateStorage implements Storage {
  private constructor(
    private readonly store: JsonStore<typeof stateFileSchema>,
    private readonly journal: StateJournal | null,
    private readonly clock: Clock,
    private readonly idleDays: number,
  ) {}

  static async open(file: string | null, clock: Clock, idleDays: number): Promise<JsonStateStorage> {
    const store = await JsonStore.open({ schema: stateFileSchema, file, empty: () => ({ items: {} }) });
    if (file === null) return new JsonStateStorage(store, null, clock, idleDays);
    try {
      const { journal, entries } = await StateJournal.open(`${file}.journal`);
      const storage = new JsonStateStorage(store, journal, clock, idleDays);
      if (entries.length) {
        store.applyWithoutWrite((data) => replay(data, entries));
        await journal.compact(() => store.update(() => undefined));
      }
      return storage;
    } catch (err) {
      await store.close();
      throw err;
    }
  }

  async read(keys: string[]): Promise<StoreItems> {
    const items: StoreItems = {};
    for (const key of keys) {
      const item = this.store.data.items[key];
      if (item) items[key] = { ...structuredClone(item.value), eTag: item.eTag };
    }
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    const entries = Object.entries(changes);
    await this.commit((data) => {
      for (const [key, change] of entries) {
        const stored = data.items[key];
        const eTag = (change as { eTag?: string }).eTag;
        if (stored && eTag && eTag !== '*' && eTag !== stored.eTag) {
          throw new Error(`Storage: error writing "${key}" due to eTag conflict.`);
        }
      }
      const updatedAt = this.clock.now().toISOString();
      return entries.map(([key, change]): JournalEntry => {
        const { eTag: _ignored, ...value } = JSON.parse(JSON.stringify(change)) as Record<string, unknown>;
        const entry = { k: key, e: randomUUID(), u: updatedAt, v: value };
        data.items[key] = { eTag: entry.e, updatedAt, value };
        return entry;
      });
    });
  }

  async delete(keys: string[]): Promise<void> {
    await this.commit((data) => keys.filter((key) => key in data.items).map((key): JournalEntry => {
      delete data.items[key];
      return { k: key, d: true };
    }));
  }

  /** Forgets conversations nobody has touched for the configured number of days. */
  async purgeIdle(): Promise<number> {
    const cutoff = this.clock.now().getTime() - this.idleDays * DAY_MS;
    const stale = Object.keys(this.store.data.items).filter((key) => Date.parse(this.store.data.items[key].updatedAt) < cutoff);
    await this.delete(stale);
    return stale.length;
  }

  async flush(): Promise<void> {
    if (this.journal?.length) await this.journal.compact(() => this.store.update(() => undefined));
    await this.store.flush();
  }

  async close(): Promise<void> {
    await this.flush();
    await this.journal?.close();
    await this.store.close();
  }

  /**
   * Applies a change (checks first, then mutations, synchronously) and makes it durable: a
   * journal line when on disk, the document itself when in memory.
   */
  private async commit(change: (data: StateFile) => JournalEntry[]): Promise<void> {
    if (!this.journal) {
      await this.store.update(change);
      return;
    }
    const entries = this.store.applyWithoutWrite(change);
    if (entries.length === 0) return;
    await this.journal.append(entries);
    if (this.journal.length > Math.max(1000, 2 * Object.keys(this.store.data.items).length)) {
      await this.journal.compact(() => this.store.update(() => undefined));
    }
  }
}

function replay(data: StateFile, entries: JournalEntry[]): void {
  for (const entry of entries) {
    if ('d' in entry) delete data.items[entry.k];
    else data.items[entry.k] = { eTag: entry.e, updatedAt: entry.u, value: entry.v };
  }
}
