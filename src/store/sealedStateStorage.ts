import type { StoreItems } from 'botbuilder';
import { isUnreadable, keyIdOf, type FieldCipher } from '../privacy/fieldCipher.js';
import { OpenedStates } from './openedStates.js';
import {
  conversationKeyOf,
  isSetAside,
  type ExpectedETag,
  type SetAsideListener,
  type StateText,
  type StateTextStorage,
} from './stateTextStorage.js';

/** How a sealed state is stored: one field, so either engine keeps it as any other state. */
interface SealedState {
  sealed: string;
}

/**
 * What the stored text of every state sealed under key `keyId` starts with (JSON.stringify of a
 * {@link SealedState}; key ids need no escaping): a state is known to be under the current key
 * without parsing or opening it, here and in SQL.
 */
export const sealedStatePrefix = (keyId: string): string => `{"sealed":"pd1.${keyId}.`;

/** The stored text of a sealed state up to its sealed field, which runs to the closing `"}`. */
const SEALED_TEXT_HEAD = '{"sealed":"';
const SEALED_TEXT_TAIL = '"}';

/**
 * How many conversations' states are kept opened between their turns: more than are mid-task at
 * once on one instance under the bench's loads; a conversation beyond it is opened as before.
 */
const OPENED_STATES = 2048;

const isSealedState = (value: Record<string, unknown>): value is Record<string, unknown> & SealedState =>
  typeof value.sealed === 'string' && Object.keys(value).every((k) => k === 'sealed' || k === 'eTag');

/**
 * Conversation state sealed at rest (fieldCipher.ts), on whichever engine keeps it: while a member
 * is verified it holds the phone or e-mail they typed, and the web page's history holds what the
 * bot said, their name included. Each state is sealed whole as `{"sealed":"pd1.…"}`, its key as
 * the authenticated place, so a state copied to another conversation does not open. A state
 * written before sealing is read as it is and sealed by its next write (or purged when idle).
 *
 * A state that does not open (sealed under a key the service lacks, altered, moved) is set aside
 * when read and `onSetAside` told: its conversation starts again from nothing instead of failing
 * every turn, and the sealed text is kept for an operator (see StateTextStorage.setAside).
 *
 * Sealed at rest, not per read: a state is sealed once when written, and the text it was written
 * as is remembered with what it opens to (OpenedStates), so the conversation's next turn finds it
 * stored as exactly that text and does not open it again.
 */
export class SealedStateStorage implements StateTextStorage {
  private readonly recent = new OpenedStates(OPENED_STATES);

  constructor(
    private readonly inner: StateTextStorage,
    private readonly cipher: FieldCipher,
    private readonly onSetAside: SetAsideListener = () => undefined,
  ) {}

  async readText(key: string): Promise<StateText | undefined> {
    const stored = await this.inner.readText(key);
    if (!stored) return undefined;
    const known = this.knownText(key, stored.json);
    if (known !== undefined) return { eTag: stored.eTag, json: known };
    const value = JSON.parse(stored.json) as Record<string, unknown>;
    if (!isSealedState(value)) return stored;
    const json = await this.opened(key, value, stored.eTag);
    return json === undefined ? undefined : { eTag: stored.eTag, json };
  }

  async writeText(key: string, json: string, expected: ExpectedETag): Promise<string> {
    const sealed = this.seal(key, json);
    const eTag = await this.inner.writeText(key, JSON.stringify(sealed), expected);
    this.recent.set(key, sealed.sealed, json);
    return eTag;
  }

  async read(keys: string[]): Promise<StoreItems> {
    const items = await this.inner.read(keys);
    for (const [key, item] of Object.entries(items)) {
      const value = item as Record<string, unknown>;
      if (!isSealedState(value)) continue;
      const eTag = value.eTag as string;
      const json = this.recent.get(key, value.sealed) ?? (await this.opened(key, value, eTag));
      if (json === undefined) delete items[key];
      else items[key] = { ...(JSON.parse(json) as object), eTag };
    }
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    const sealed: StoreItems = {};
    const plain = new Map<string, { sealed: string; json: string }>();
    for (const [key, change] of Object.entries(changes)) {
      const { eTag, ...value } = change as Record<string, unknown>;
      const json = JSON.stringify(value);
      const state = this.seal(key, json);
      plain.set(key, { sealed: state.sealed, json });
      sealed[key] = { ...state, ...(eTag === undefined ? {} : { eTag }) };
    }
    await this.inner.write(sealed);
    for (const [key, state] of plain) this.recent.set(key, state.sealed, state.json);
  }

  delete(keys: string[]): Promise<void> {
    for (const key of keys) this.recent.forget(key);
    return this.inner.delete(keys);
  }

  setAside(key: string, eTag: string): Promise<void> {
    this.recent.forget(key);
    return this.inner.setAside(key, eTag);
  }

  /**
   * `worthKeeping` for a purge that judges states as stored (sealed): it judges them opened. One
   * that does not open throws, and the purge sets it aside.
   */
  judgingOpened(
    worthKeeping: (value: Record<string, unknown>) => boolean,
  ): (value: Record<string, unknown>, key: string) => boolean {
    return (value, key) =>
      worthKeeping(isSealedState(value) ? (JSON.parse(this.open(key, value)) as Record<string, unknown>) : value);
  }

  /** What stored text opens to, when it is the sealed state last written or opened under `key`. */
  private knownText(key: string, text: string): string | undefined {
    if (!text.startsWith(SEALED_TEXT_HEAD) || !text.endsWith(SEALED_TEXT_TAIL)) return undefined;
    return this.recent.get(key, text.slice(SEALED_TEXT_HEAD.length, -SEALED_TEXT_TAIL.length));
  }

  private seal(key: string, json: string): SealedState {
    return { sealed: this.cipher.seal(json, `state/${key}`) };
  }

  private open(key: string, value: SealedState): string {
    return this.cipher.open(value.sealed, `state/${key}`);
  }

  /** The state opened, or undefined once it has been set aside because it does not open. */
  private async opened(key: string, value: SealedState, eTag: string): Promise<string | undefined> {
    try {
      const json = this.open(key, value);
      this.recent.set(key, value.sealed, json);
      return json;
    } catch (err) {
      await this.inner.setAside(key, eTag);
      this.onSetAside(key, err);
      return undefined;
    }
  }
}

/** A state no key given opens, by the key it names. */
interface Unopened {
  keyId: string;
  setAside: boolean;
}

/**
 * Seals stored states again under the current key, as the members and notices are after a
 * rotation (the JSON store at start, `npm run db:reseal`), so that the earlier key can be dropped
 * without stranding conversations: a state under an earlier key given is opened and sealed again,
 * one in plain text (written before sealing) sealed. A state set aside is sealed again at its
 * conversation's place, so it still opens for an operator. A state no key given opens is left as
 * it is (a turn or the idle purge sets it aside) and noted, for the one line that reports it.
 */
export class StateResealer {
  private readonly current: string;
  /** States looked at that are not set aside. */
  checked = 0;
  private readonly left: Unopened[] = [];

  constructor(private readonly cipher: FieldCipher) {
    this.current = sealedStatePrefix(cipher.currentKeyId);
  }

  /** The text to store now for the state stored as `json` under `key`; undefined to leave it as it is. */
  reseal(key: string, json: string): string | undefined {
    if (!isSetAside(key)) this.checked++;
    if (json.startsWith(this.current)) return undefined;
    const place = `state/${conversationKeyOf(key)}`;
    const value = JSON.parse(json) as Record<string, unknown>;
    const plain = isSealedState(value) ? this.opened(key, value.sealed, place) : json;
    return plain === undefined
      ? undefined
      : JSON.stringify({ sealed: this.cipher.seal(plain, place) } satisfies SealedState);
  }

  /** The state opened; undefined, and noted, when no key given opens it. */
  private opened(key: string, sealed: string, place: string): string | undefined {
    try {
      return this.cipher.open(sealed, place);
    } catch (err) {
      if (!isUnreadable(err)) throw err;
      this.left.push({ keyId: keyIdOf(sealed) ?? '(malformed)', setAside: isSetAside(key) });
      return undefined;
    }
  }

  /**
   * The states left because no key given opens them, and the keys they name: every one, or only
   * those a conversation would still read (not set aside), which the start reports.
   */
  unopened(live = false): { states: number; keyIds: string[] } {
    const left = this.left.filter((u) => !(live && u.setAside));
    const keyIds = new Set(left.map((u) => u.keyId));
    return { states: left.length, keyIds: [...keyIds].sort() };
  }
}
