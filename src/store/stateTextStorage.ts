import type { Storage } from 'botbuilder';

/** A stored state as JSON text without its eTag (what `JSON.stringify` gives for it), and the eTag. */
export interface StateText {
  readonly eTag: string;
  readonly json: string;
}

/**
 * A Storage that holds each state as JSON text and can hand that text over and take it as is.
 * PlainConversationState serialises the state once a turn to tell whether it changed; with such a
 * storage neither the read nor the write serialises it again.
 */
export interface StateTextStorage extends Storage {
  readText(key: string): StateText | undefined;
  /** Writes the state regardless of its stored eTag, like a write with eTag "*". */
  writeText(key: string, json: string): Promise<void>;
}

export function holdsStateText(storage: Storage): storage is StateTextStorage {
  const candidate = storage as Partial<StateTextStorage>;
  return typeof candidate.readText === 'function' && typeof candidate.writeText === 'function';
}
