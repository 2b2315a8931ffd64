import type { StoreItems } from 'botbuilder';
import type { FieldCipher } from '../privacy/fieldCipher.js';
import type { ExpectedETag, StateText, StateTextStorage } from './stateTextStorage.js';

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
 */
export class SealedStateStorage implements StateTextStorage {
  constructor(
    private readonly inner: StateTextStorage,
    private readonly cipher: FieldCipher,
  ) {}

  async readText(key: string): Promise<StateText | undefined> {
    const stored = await this.inner.readText(key);
    if (!stored) return undefined;
    const value = JSON.parse(stored.json) as Record<string, unknown>;
    return isSealedState(value) ? { eTag: stored.eTag, json: this.open(key, value) } : stored;
  }

  writeText(key: string, json: string, expected: ExpectedETag): Promise<string> {
    return this.inner.writeText(key, JSON.stringify(this.seal(key, json)), expected);
  }

  async read(keys: string[]): Promise<StoreItems> {
    const items = await this.inner.read(keys);
    for (const [key, item] of Object.entries(items)) {
      const value = item as Record<string, unknown>;
      if (isSealedState(value))
        items[key] = { ...(JSON.parse(this.open(key, value)) as object), eTag: value.eTag as string | undefined };
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

  /** `worthKeeping` for a purge that judges states as stored (sealed): it judges them opened. */
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
}
