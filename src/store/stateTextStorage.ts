import type { Storage } from 'botbuilder';

/** A stored state as JSON text without its eTag (what `JSON.stringify` gives for it), and the eTag. */
export interface StateText {
  readonly eTag: string;
  readonly json: string;
}

/**
 * What a conditional write expects to find: the eTag the turn read, `null` when it found nothing
 * stored (the write then only creates), or '*' to write whatever is stored.
 */
export type ExpectedETag = string | null;

/**
 * A Storage that holds each state as JSON text and can hand that text over and take it as is.
 * PlainConversationState serialises the state once a turn to tell whether it changed; with such a
 * storage neither the read nor the write serialises it again.
 */
export interface StateTextStorage extends Storage {
  /**
   * A stored state as its JSON text, without parsing it.
   *
   * @param key - The state's key (a conversation's).
   * @returns The text and its eTag, or undefined when nothing is stored under the key.
   */
  readText(key: string): Promise<StateText | undefined>;
  /**
   * Writes the state if the stored one is still the one `expected` names.
   *
   * @param key - The state's key.
   * @param json - The state as JSON text, without an eTag.
   * @param expected - The eTag the turn read, null when it read nothing, or '*'.
   * @returns The new eTag.
   * @remarks When another write came first it writes nothing and rejects with `StateConflictError`.
   */
  writeText(key: string, json: string, expected: ExpectedETag): Promise<string>;
  /**
   * Moves the state stored under `key` to {@link setAsideKey}(key) if its eTag is still `eTag`:
   * the conversation then starts from nothing, and the state is kept for an operator until the
   * idle purge deletes it (it is never judged again).
   *
   * @param key - The state's key.
   * @param eTag - The eTag of the state found unreadable; a state written since is left alone.
   */
  setAside(key: string, eTag: string): Promise<void>;
}

/**
 * Where a state that cannot be read (it does not open: sealed under a key the service lacks, or
 * altered) is set aside, out of its conversation's way.
 */
export const setAsideKey = (key: string): string => `set-aside/${key}`;
export const isSetAside = (key: string): boolean => key.startsWith('set-aside/');
/** The conversation's own key of a state, set aside or not: what its seal was bound to. */
export const conversationKeyOf = (key: string): string => (isSetAside(key) ? key.slice('set-aside/'.length) : key);

/** Told of each state set aside, with its key as it was and why it could not be read. */
export type SetAsideListener = (key: string, err: unknown) => void;

/**
 * What an idle purge makes of a state: worth keeping (true) or not (false), or, when judging it
 * throws (it does not open), the error: such a state is set aside, so that it never stops a purge.
 */
export function verdictOn(
  worthKeeping: (value: Record<string, unknown>, key: string) => boolean,
  key: string,
  read: () => Record<string, unknown>,
): boolean | { unreadable: unknown } {
  try {
    return worthKeeping(read(), key);
  } catch (err) {
    return { unreadable: err };
  }
}

export function holdsStateText(storage: Storage): storage is StateTextStorage {
  const candidate = storage as Partial<StateTextStorage>;
  return typeof candidate.readText === 'function' && typeof candidate.writeText === 'function';
}

/** Whether a stored eTag (undefined: nothing stored) is what a write expected to find. */
export function matchesExpected(stored: string | undefined, expected: ExpectedETag): boolean {
  return expected === '*' || (expected === null ? stored === undefined : stored === expected);
}

/**
 * A conditional write found another state stored than the one it was based on: another turn of
 * the same conversation (on this instance or another) saved in between. Nothing was written. The
 * message starts as botbuilder's MemoryStorage's does, so code that recognises that one still does.
 */
export class StateConflictError extends Error {
  constructor(readonly key: string) {
    super(
      `Storage: error writing "${key}" due to eTag conflict. Another turn saved this conversation's state after this turn read it, so this turn's changes were not saved. ` +
        'Turns of one conversation must run one at a time: with several instances, run every turn under the shared turn lock (TurnLockMiddleware over PostgresTurnLock).',
    );
    this.name = 'StateConflictError';
  }
}

/**
 * The conversation state could not be read or saved (its database cannot be reached now). What
 * the turn committed to the member data before it stands; the state is as the last turn left it.
 */
export class StateUnavailableError extends Error {
  constructor(cause: unknown) {
    super(
      `The conversation state cannot be read or saved now (${(cause as Error)?.message ?? String(cause)}). ` +
        'Check that the database is running and reachable; the member can send the message again once it is.',
    );
    this.name = 'StateUnavailableError';
    this.cause = cause;
  }
}
