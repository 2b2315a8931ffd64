import type { StoreItems } from 'botbuilder';
import type { FieldCipher } from '../privacy/fieldCipher.js';
import type { ExpectedETag, SetAsideListener, StateText, StateTextStorage } from './stateTextStorage.js';

/** How a sealed state is stored: one field, so either engine keeps it as any other state. */
interface SealedState {
  sealed: string;
}

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
 */
export class SealedStateStorage implements StateTextStorage {
  constructor(
    private readonly inner: StateTextStorage,
    private readonly cipher: FieldCipher,
    private readonly onSetAside: SetAsideListener = () => undefined,
  ) {}

  async readText(key: string): Promise<StateText | undefined> {
    const stored = await this.inner.readText(key);
    if (!stored) return undefined;
    const value = JSON.parse(stored.json) as Record<string, unknown>;
    if (!isSealedState(value)) return stored;
    const json = await this.opened(key, value, stored.eTag);
    return json === undefined ? undefined : { eTag: stored.eTag, json };
  }

  writeText(key: string, json: string, expected: ExpectedETag): Promise<string> {
    return this.inner.writeText(key, JSON.stringify(this.seal(key, json)), expected);
  }

  async read(keys: string[]): Promise<StoreItems> {
    const items = await this.inner.read(keys);
    for (const [key, item] of Object.entries(items)) {
      const value = item as Record<string, unknown>;
      if (!isSealedState(value)) continue;
      const eTag = value.eTag as string;
      const json = await this.opened(key, value, eTag);
      if (json === undefined) delete items[key];
      else items[key] = { ...(JSON.parse(json) as object), eTag };
    }
    return items;
  }

  write(changes: StoreItems): Promise<void> {
    const sealed: StoreItems = {};
    for (const [key, change] of Object.entries(changes)) {
      const { eTag, ...value } = change as Record<string, unknown>;
      sealed[key] = { ...this.seal(key, JSON.stringify(value)), ...(eTag === undefined ? {} : { eTag }) };
    }
    return this.inner.write(sealed);
  }

  delete(keys: string[]): Promise<void> {
    return this.inner.delete(keys);
  }

  setAside(key: string, eTag: string): Promise<void> {
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

  private seal(key: string, json: string): SealedState {
    return { sealed: this.cipher.seal(json, `state/${key}`) };
  }

  private open(key: string, value: SealedState): string {
    return this.cipher.open(value.sealed, `state/${key}`);
  }

  /** The state opened, or undefined once it has been set aside because it does not open. */
  private async opened(key: string, value: SealedState, eTag: string): Promise<string | undefined> {
    try {
      return this.open(key, value);
    } catch (err) {
      await this.inner.setAside(key, eTag);
      this.onSetAside(key, err);
      return undefined;
    }
  }
}
