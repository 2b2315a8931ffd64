import { randomUUID } from 'node:crypto';
import type { Storage, StoreItems } from 'botbuilder';
import { z } from 'zod';
import type { Clock } from '../core/clock.js';
import { JsonStore } from './jsonStore.js';

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
 * Conversation and user state for botbuilder, kept in a JSON file so a restart resumes every
 * conversation at the prompt it was at. Writes follow botbuilder's storages: an item written with
 * an eTag other than the stored one (or "*") is rejected, never merged.
 */
export class JsonStateStorage implements Storage {
  constructor(
    private readonly store: JsonStore<typeof stateFileSchema>,
    private readonly clock: Clock,
    private readonly idleDays: number,
  ) {}

  static async open(file: string | null, clock: Clock, idleDays: number): Promise<JsonStateStorage> {
    const store = await JsonStore.open({ schema: stateFileSchema, file, empty: () => ({ items: {} }) });
    return new JsonStateStorage(store, clock, idleDays);
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
    await this.store.update((data) => {
      for (const [key, change] of entries) {
        const stored = data.items[key];
        const eTag = (change as { eTag?: string }).eTag;
        if (stored && eTag && eTag !== '*' && eTag !== stored.eTag) {
          throw new Error(`Storage: error writing "${key}" due to eTag conflict.`);
        }
      }
      const updatedAt = this.clock.now().toISOString();
      for (const [key, change] of entries) {
        const { eTag: _ignored, ...value } = JSON.parse(JSON.stringify(change)) as Record<string, unknown>;
        data.items[key] = { eTag: randomUUID(), updatedAt, value };
      }
    });
  }

  async delete(keys: string[]): Promise<void> {
    await this.store.update((data) => {
      for (const key of keys) delete data.items[key];
    });
  }

  /** Forgets conversations nobody has touched for the configured number of days. */
  async purgeIdle(): Promise<number> {
    const cutoff = this.clock.now().getTime() - this.idleDays * DAY_MS;
    return this.store.update((data) => {
      const stale = Object.keys(data.items).filter((key) => Date.parse(data.items[key].updatedAt) < cutoff);
      for (const key of stale) delete data.items[key];
      return stale.length;
    });
  }

  flush(): Promise<void> {
    return this.store.flush();
  }

  close(): Promise<void> {
    return this.store.close();
  }
}
