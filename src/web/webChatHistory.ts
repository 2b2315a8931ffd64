import type { Activity, Storage } from 'botbuilder';
import { TOO_LONG } from '../../dialogs/stepPrompt.js';
import { keptText } from '../i18n/keptText.js';
import { toSupportedLocale, type ReplyLocale } from '../i18n/languages.js';

/** The most activities a conversation's history keeps; older ones drop off the top of the page. */
export const HISTORY_LIMIT = 120;
/**
 * The most bytes (of JSON, UTF-8) a conversation's history keeps: older activities drop off first.
 * The whole state is sealed and read at every turn and purge, so it must stay small.
 */
export const HISTORY_MAX_BYTES = 128 * 1024;
const WRITE_ATTEMPTS = 4;

interface StoredHistory {
  activities: Partial<Activity>[];
  /** the sequence number the next activity gets (never reused, even after old ones drop off) */
  next: number;
  eTag?: string;
}

/**
 * What the web page shows after a reload: each conversation's activities, kept in the state
 * storage beside the dialog state (so any instance can answer, and idle ones are purged with it).
 */
export class WebChatHistory {
  /** `defaultLocale`: the language of the note on a shortened message whose activity names none. */
  constructor(
    private readonly storage: Storage,
    private readonly defaultLocale: ReplyLocale,
  ) {}

  async read(conversationId: string): Promise<Partial<Activity>[]> {
    return (await this.load(conversationId)).activities;
  }

  /**
   * Appends activities, giving each its id and sequence number; resolves with them as stored. A
   * write that another instance got in first is retried on the fresh copy (optimistic, by eTag).
   * A member's text longer than the bot reads is kept shortened (keptText), and the oldest
   * activities drop off past {@link HISTORY_LIMIT} or {@link HISTORY_MAX_BYTES}; the appended stay.
   */
  async append(
    conversationId: string,
    activities: Partial<Activity>[],
    stamp: (activity: Partial<Activity>, sequence: number) => Partial<Activity>,
  ): Promise<Partial<Activity>[]> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.load(conversationId);
      const stamped = activities.map((a, i) => stamp(this.bounded(a), current.next + i));
      const next: StoredHistory = {
        activities: [...withinBytes(current.activities, stamped), ...stamped].slice(-HISTORY_LIMIT),
        next: current.next + stamped.length,
        eTag: current.eTag ?? '*',
      };
      try {
        await this.storage.write({ [keyOf(conversationId)]: next });
        return stamped;
      } catch (err) {
        if (attempt >= WRITE_ATTEMPTS) throw err;
      }
    }
  }

  /**
   * For an erasure: empties each conversation's history (its numbering goes on, so a reply still
   * on its way reaches the page) and closes it, in the shared state storage, so that no instance
   * serves it again ({@link isClosed}). Resolves with those that had a history: the page's own
   * conversations; another channel's have none.
   */
  async forget(conversationIds: string[]): Promise<string[]> {
    const closed: string[] = [];
    for (const id of conversationIds) if (await this.close(id)) closed.push(id);
    return closed;
  }

  /**
   * Whether an erasure closed the conversation. The mark is idle-purged a day after it was made
   * (it is never written again), by when every token issued before it has expired
   * (WEBCHAT_TOKEN_MINUTES is at most a day) and none can be renewed after it.
   */
  async isClosed(conversationId: string): Promise<boolean> {
    const key = closedKeyOf(conversationId);
    return (await this.storage.read([key]))[key] !== undefined;
  }

  /** Whether the page ever wrote this conversation's history (and the idle purge has not taken it). */
  async exists(conversationId: string): Promise<boolean> {
    return (await this.stored(conversationId)) !== undefined;
  }

  /** The conversation's activities, or undefined when the page never wrote its history. */
  async stored(conversationId: string): Promise<Partial<Activity>[] | undefined> {
    const { activities, eTag } = await this.load(conversationId);
    return eTag === undefined ? undefined : activities;
  }

  private async close(conversationId: string): Promise<boolean> {
    if (!(await this.exists(conversationId))) return false;
    // Closed before it is emptied: should emptying fail, the history is no longer served all the same.
    await this.storage.write({ [closedKeyOf(conversationId)]: { closed: true } });
    await this.empty(conversationId);
    return true;
  }

  private async empty(conversationId: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const { next, eTag } = await this.load(conversationId);
      try {
        await this.storage.write({ [keyOf(conversationId)]: { activities: [], next, eTag } });
        return;
      } catch (err) {
        if (attempt >= WRITE_ATTEMPTS) throw err;
      }
    }
  }

  /** The member's message as kept; what the bot says is never cut (the page is sent what is kept). */
  private bounded(activity: Partial<Activity>): Partial<Activity> {
    if (activity.from?.role !== 'user' || typeof activity.text !== 'string') return activity;
    const locale = toSupportedLocale(activity.locale) ?? this.defaultLocale;
    return { ...activity, text: keptText(activity.text, TOO_LONG, locale) };
  }

  private async load(conversationId: string): Promise<StoredHistory> {
    const key = keyOf(conversationId);
    const found = (await this.storage.read([key]))[key] as StoredHistory | undefined;
    return found ?? { activities: [], next: 1 };
  }
}

/** The newest of `earlier` that fit in {@link HISTORY_MAX_BYTES} beside `added`. */
function withinBytes(earlier: Partial<Activity>[], added: Partial<Activity>[]): Partial<Activity>[] {
  let left = HISTORY_MAX_BYTES - bytesOf(added);
  let from = earlier.length;
  while (from > 0 && (left -= bytesOf([earlier[from - 1]])) >= 0) from--;
  return earlier.slice(from);
}

const bytesOf = (activities: Partial<Activity>[]) => Buffer.byteLength(JSON.stringify(activities));

function keyOf(conversationId: string): string {
  return `webchat/history/${conversationId}`;
}

function closedKeyOf(conversationId: string): string {
  return `webchat/closed/${conversationId}`;
}
