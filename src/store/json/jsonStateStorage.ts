import { randomUUID } from 'node:crypto';
import type { StoreItems } from 'botbuilder';
import { z } from 'zod';
import type { Clock } from '../../core/clock.js';
import { jsonText, type WithJsonText } from './jsonText.js';
import { JsonStore } from './jsonStore.js';
import {
  isSetAside,
  matchesExpected,
  setAsideKey,
  StateConflictError,
  verdictOn,
  type ExpectedETag,
  type SetAsideListener,
  type StateText,
  type StateTextStorage,
} from '../stateTextStorage.js';
import type { StoreWriteError } from '../storeErrors.js';
import type { StoreFiles } from '../storeFiles.js';

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

const changeSchema = z.union([
  z.object({ k: z.string(), e: z.string(), u: z.iso.datetime({ offset: true }), v: z.record(z.string(), z.unknown()) }),
  z.object({ k: z.string(), d: z.literal(true) }),
]);
type StateChange = z.infer<typeof changeSchema>;

function replay(data: StateFile, changes: unknown[]): void {
  for (const raw of changes) {
    const change = changeSchema.parse(raw);
    if ('d' in change) delete data.items[change.k];
    else data.items[change.k] = { eTag: change.e, updatedAt: change.u, value: change.v };
  }
}

/**
 * One conversation's state as the store holds it: as JSON text, not as an object tree. With tens
 * of thousands of conversations the trees were over a million objects for every full garbage
 * collection to mark, while a turn parses a fresh copy to work on and serialises it to save
 * anyway, so holding the text alone makes a turn cheaper (bench/analysis.md, change 12). The
 * snapshot and the journal write the text as is.
 */
class StoredState implements WithJsonText {
  constructor(
    readonly eTag: string,
    readonly updatedAt: string,
    readonly json: string,
  ) {}

  /** A fresh copy each time: only a write changes what is stored. */
  get value(): Record<string, unknown> {
    return JSON.parse(this.json) as Record<string, unknown>;
  }

  get [jsonText](): string {
    return `{"eTag":${JSON.stringify(this.eTag)},"updatedAt":${JSON.stringify(this.updatedAt)},"value":${this.json}}`;
  }

  toJSON(): StateFile['items'][string] {
    return { eTag: this.eTag, updatedAt: this.updatedAt, value: this.value };
  }
}

/** A journal line's change that sets one conversation's state. */
class StateWritten implements WithJsonText {
  constructor(
    private readonly key: string,
    private readonly state: StoredState,
  ) {}

  get eTag(): string {
    return this.state.eTag;
  }

  get [jsonText](): string {
    const { eTag, updatedAt, json } = this.state;
    return `{"k":${JSON.stringify(this.key)},"e":${JSON.stringify(eTag)},"u":${JSON.stringify(updatedAt)},"v":${json}}`;
  }

  toJSON(): StateChange {
    return { k: this.key, e: this.state.eTag, u: this.state.updatedAt, v: this.state.value };
  }
}

/**
 * Conversation and user state for botbuilder, kept on disk so a restart resumes every conversation
 * at the prompt it was at. Writes follow botbuilder's storages: an item written with an eTag other
 * than the stored one (or "*") is rejected, never merged.
 *
 * On disk: a snapshot (`STATE_FILE`) and a journal beside it (`STATE_FILE.journal`): a turn appends
 * one line, so its cost does not grow with the number of conversations.
 */
export class JsonStateStorage implements StateTextStorage {
  private constructor(
    private readonly store: JsonStore<typeof stateFileSchema>,
    private readonly clock: Clock,
    private readonly idleDays: number,
  ) {}

  static async open(
    file: string | null,
    clock: Clock,
    idleDays: number,
    compactAfter = 5000,
    percentOfSnapshot?: number,
    files?: StoreFiles,
  ): Promise<JsonStateStorage> {
    return (await JsonStateStorage.load(file, clock, idleDays, compactAfter, percentOfSnapshot, files)).start();
  }

  /** Reads and checks the state file and its journal, writing nothing (see JsonStore.load). */
  static async load(
    file: string | null,
    clock: Clock,
    idleDays: number,
    compactAfter = 5000,
    percentOfSnapshot?: number,
    files?: StoreFiles,
  ): Promise<{ start(): Promise<JsonStateStorage>; release(): void }> {
    const loaded = await JsonStore.load({
      schema: stateFileSchema,
      file,
      empty: () => ({ items: {} }),
      journal: { replay, compactAfter, percentOfSnapshot },
      files,
    });
    return {
      release: loaded.release,
      start: async () => {
        const store = await loaded.start();
        // The same content held as text (StoredState): nothing changes, so nothing is journalled.
        const { items } = store.data;
        for (const [key, item] of Object.entries(items))
          items[key] = new StoredState(item.eTag, item.updatedAt, JSON.stringify(item.value));
        return new JsonStateStorage(store, clock, idleDays);
      },
    };
  }

  async read(keys: string[]): Promise<StoreItems> {
    const items: StoreItems = {};
    for (const key of keys) {
      const item = this.store.data.items[key];
      if (!item) continue;
      // A fresh copy each read: the turn mutates what it gets, and only a write may change the store.
      const value = item.value;
      value.eTag = item.eTag;
      items[key] = value;
    }
    return items;
  }

  async readText(key: string): Promise<StateText | undefined> {
    // Every item is a StoredState: open converts what it loads and every write puts one.
    const item = this.store.data.items[key] as StoredState | undefined;
    return item && { eTag: item.eTag, json: item.json };
  }

  async write(changes: StoreItems): Promise<void> {
    const entries = Object.entries(changes);
    const undo = this.undoFor(entries.map(([key]) => key));
    await this.store.update(
      (data) => {
        for (const [key, change] of entries) {
          const stored = data.items[key];
          const eTag = (change as { eTag?: string }).eTag;
          if (stored && eTag && eTag !== '*' && eTag !== stored.eTag) throw new StateConflictError(key);
        }
        undo.remember(data);
        const updatedAt = this.clock.now().toISOString();
        return entries.map(([key, change]) => {
          const { eTag: _ignored, ...rest } = change as Record<string, unknown>;
          return this.put(data, key, JSON.stringify(rest), updatedAt);
        });
      },
      (written) => written,
      undo.run,
    );
  }

  async writeText(key: string, json: string, expected: ExpectedETag): Promise<string> {
    const undo = this.undoFor([key]);
    const [written] = await this.store.update(
      (data) => {
        if (!matchesExpected(data.items[key]?.eTag, expected)) throw new StateConflictError(key);
        undo.remember(data);
        return [this.put(data, key, json, this.clock.now().toISOString())];
      },
      (written) => written,
      undo.run,
    );
    return written.eTag;
  }

  private put(data: StateFile, key: string, json: string, updatedAt: string): StateWritten {
    const state = new StoredState(randomUUID(), updatedAt, json);
    data.items[key] = state;
    return new StateWritten(key, state);
  }

  async delete(keys: string[]): Promise<void> {
    const undo = this.undoFor(keys);
    await this.store.update(
      (data) => {
        undo.remember(data);
        return keys
          .filter((key) => key in data.items)
          .map((key): StateChange => {
            delete data.items[key];
            return { k: key, d: true };
          });
      },
      (deleted) => deleted,
      undo.run,
    );
  }

  async setAside(key: string, eTag: string): Promise<void> {
    const aside = setAsideKey(key);
    const undo = this.undoFor([key, aside]);
    await this.store.update(
      (data): (StateWritten | StateChange)[] => {
        const item = data.items[key] as StoredState | undefined;
        if (item?.eTag !== eTag) return [];
        undo.remember(data);
        delete data.items[key];
        return [this.put(data, aside, item.json, this.clock.now().toISOString()), { k: key, d: true }];
      },
      (changes) => changes,
      undo.run,
    );
  }

  /**
   * Replaces, in one change, the text of every state `rewritten` gives new text for (re-sealing
   * after a key rotation), each keeping its eTag and the time it was last written, so the idle
   * purge judges it as before; then rewrites the snapshot, so the earlier text rests in neither
   * the snapshot nor the journal. Resolves with how many it replaced.
   */
  async rewriteAll(rewritten: (key: string, json: string) => string | undefined): Promise<number> {
    let undo: () => void = () => undefined;
    const changes = await this.store.update(
      (data) => {
        const replaced = Object.entries(data.items as Record<string, StoredState>).flatMap(([key, item]) => {
          const json = rewritten(key, item.json);
          return json === undefined ? [] : [{ key, state: new StoredState(item.eTag, item.updatedAt, json) }];
        });
        const remembered = this.undoFor(replaced.map((r) => r.key));
        remembered.remember(data);
        undo = remembered.run;
        return replaced.map(({ key, state }) => {
          data.items[key] = state;
          return new StateWritten(key, state);
        });
      },
      (written) => written,
      () => undo(),
    );
    if (changes.length) await this.store.flush();
    return changes.length;
  }

  /** Puts `keys` back as they were when remembered, should the write fail. */
  private undoFor(keys: string[]): { remember: (data: StateFile) => void; run: () => void } {
    const before = new Map<string, StateFile['items'][string] | undefined>();
    let items: StateFile['items'] | undefined;
    return {
      remember: (data) => {
        items = data.items;
        for (const key of keys) before.set(key, data.items[key]);
      },
      run: () => {
        for (const [key, item] of before) {
          if (item) items![key] = item;
          else delete items![key];
        }
      },
    };
  }

  /**
   * Forgets conversations nobody has touched for the configured number of days, and, after one
   * day, those whose state `worthKeeping` does not want kept that long (a conversation that said
   * hello, or typed a number and left, kept about 850 bytes for the whole period). A state that
   * cannot be judged (it does not open) is set aside and `onSetAside` told; a state set aside is
   * kept until the configured number of days, never judged again.
   */
  async purgeIdle(
    worthKeeping: (value: Record<string, unknown>, key: string) => boolean = () => true,
    onSetAside: SetAsideListener = () => undefined,
  ): Promise<number> {
    const now = this.clock.now().getTime();
    const cutoff = now - this.idleDays * DAY_MS;
    const dayAgo = now - DAY_MS;
    const stale: string[] = [];
    const unreadable: { key: string; eTag: string; err: unknown }[] = [];
    for (const [key, item] of Object.entries(this.store.data.items)) {
      const updatedAt = Date.parse(item.updatedAt);
      if (updatedAt < cutoff) stale.push(key);
      else if (updatedAt < dayAgo && !isSetAside(key)) {
        const verdict = verdictOn(worthKeeping, key, () => item.value);
        if (verdict === false) stale.push(key);
        else if (verdict !== true) unreadable.push({ key, eTag: item.eTag, err: verdict.unreadable });
      }
    }
    if (stale.length) await this.delete(stale);
    for (const { key, eTag, err } of unreadable) {
      await this.setAside(key, eTag);
      onSetAside(key, err);
    }
    return stale.length;
  }

  /** Why the last write failed, while no write has succeeded since. */
  get unavailable(): StoreWriteError | null {
    return this.store.unavailable;
  }

  /** See JsonStore.probe. */
  probe(): Promise<boolean> {
    return this.store.probe();
  }

  /** See JsonStore.afterEachSnapshot. */
  afterEachSnapshot(listener: (file: string) => void): void {
    this.store.afterEachSnapshot(listener);
  }

  /** Resolves once a snapshot being written beside the journal is done. */
  settled(): Promise<void> {
    return this.store.settled();
  }

  flush(): Promise<void> {
    return this.store.flush();
  }

  close(): Promise<void> {
    return this.store.close();
  }
}
