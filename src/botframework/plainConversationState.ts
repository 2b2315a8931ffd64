import { ConversationState, type TurnContext } from 'botbuilder';
import { holdsStateText, StateConflictError, type ExpectedETag } from '../store/stateTextStorage.js';

type State = Record<string, unknown>;

interface Cached {
  state: State;
  /** The state's JSON without its eTag as last read or written; '' forces the next save. */
  saved: string;
  /** The stored eTag this turn read or last wrote (null: nothing was stored), which a save expects to find. */
  expected: ExpectedETag;
}

function plainJson(state: State): string {
  const { eTag: _eTag, ...rest } = state;
  return JSON.stringify(rest);
}

/**
 * ConversationState that tells a changed state from an unchanged one by comparing plain JSON.
 *
 * botbuilder's BotState serialises the state three times a turn (after the read, before the save
 * and after it) through a cycle-guarding replacer function and SHA-256-hashes each string, a
 * visible share of a turn in the profile (bench/analysis.md, change 5). Dialog state here is
 * plain JSON (no cycles, no class instances), so one plain JSON.stringify compared as a string
 * decides the same, and the one after the save is not needed: it equals the string just compared.
 *
 * With a storage that holds the state as text (stateTextStorage.ts) that one string is all: the
 * read hands over the stored text to compare with, and a write takes the string as it is.
 *
 * A save is a compare-and-set against the eTag this turn read (BotState writes with '*'), so two
 * turns of one conversation running at once, on two instances, can never silently overwrite each
 * other: the later save throws StateConflictError and writes nothing. A turn that saves without
 * having read (the error path's forced save after delete) only creates a state, never replaces one.
 * Turns are meant to be serialised per conversation (TurnLockMiddleware); this is the guard should
 * two ever overlap.
 *
 * Every method that touches the turn's cached copy is overridden, so the cache slot is this
 * class's own and nothing depends on BotState's private fields.
 */
export class PlainConversationState extends ConversationState {
  private readonly cacheKey = Symbol('plainConversationState');

  override async load(context: TurnContext, force = false): Promise<State> {
    const cached = this.cached(context);
    if (!force && cached) return cached.state;
    const key = this.keyOf(context);
    const entry = await this.read(key);
    context.turnState.set(this.cacheKey, entry);
    return entry.state;
  }

  override async saveChanges(context: TurnContext, force = false): Promise<void> {
    const cached = this.cached(context);
    if (!cached && !force) return;
    const entry: Cached = cached ?? { state: {}, saved: '', expected: null };
    const current = plainJson(entry.state);
    if (!force && current === entry.saved) return;
    const key = this.keyOf(context);
    entry.expected = await this.write(key, entry, current);
    entry.state.eTag = entry.expected;
    entry.saved = current;
    context.turnState.set(this.cacheKey, entry);
  }

  override async clear(context: TurnContext): Promise<void> {
    const expected = this.cached(context)?.expected ?? null;
    context.turnState.set(this.cacheKey, { state: {}, saved: '', expected } satisfies Cached);
  }

  override async delete(context: TurnContext): Promise<void> {
    context.turnState.delete(this.cacheKey);
    await this.storage.delete([this.keyOf(context)]);
  }

  override get(context: TurnContext): State | undefined {
    return this.cached(context)?.state;
  }

  private async read(key: string): Promise<Cached> {
    if (holdsStateText(this.storage)) {
      const stored = await this.storage.readText(key);
      if (!stored) return { state: {}, saved: '{}', expected: null };
      const state = JSON.parse(stored.json) as State;
      state.eTag = stored.eTag;
      return { state, saved: stored.json, expected: stored.eTag };
    }
    const items = await this.storage.read([key]);
    const state = (items[key] ?? {}) as State;
    return { state, saved: plainJson(state), expected: typeof state.eTag === 'string' ? state.eTag : null };
  }

  /** Writes `json` if the stored state is still the one this turn expects; resolves with the new eTag. */
  private async write(key: string, entry: Cached, json: string): Promise<string> {
    if (holdsStateText(this.storage)) return this.storage.writeText(key, json, entry.expected);
    // botbuilder's Storage contract has no "only if absent" (a state this turn found missing is
    // written unconditionally here), signals a conflict only by MemoryStorage's message, and does
    // not return the new eTag, which is read back. Only the text storages give the full guard.
    try {
      await this.storage.write({ [key]: { ...entry.state, eTag: entry.expected ?? '*' } });
    } catch (err) {
      if (err instanceof Error && !(err instanceof StateConflictError) && err.message.includes('eTag conflict'))
        throw new StateConflictError(key);
      throw err;
    }
    const written = (await this.storage.read([key]))[key] as State | undefined;
    return typeof written?.eTag === 'string' ? written.eTag : '*';
  }

  private cached(context: TurnContext): Cached | undefined {
    return context.turnState.get<Cached | undefined>(this.cacheKey);
  }

  private keyOf(context: TurnContext): string {
    const key = this.getStorageKey(context);
    if (!key) throw new Error('The conversation state has no key: the activity names no channel or conversation.');
    return key;
  }
}
