import type { Activity, Storage } from 'botbuilder';

/** The most activities a conversation's history keeps; older ones drop off the top of the page. */
export const HISTORY_LIMIT = 120;
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
  constructor(private readonly storage: Storage) {}

  async read(conversationId: string): Promise<Partial<Activity>[]> {
    return (await this.load(conversationId)).activities;
  }

  /**
   * Appends activities, giving each its id and sequence number; resolves with them as stored. A
   * write that another instance got in first is retried on the fresh copy (optimistic, by eTag).
   */
  async append(
    conversationId: string,
    activities: Partial<Activity>[],
    stamp: (activity: Partial<Activity>, sequence: number) => Partial<Activity>,
  ): Promise<Partial<Activity>[]> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.load(conversationId);
      const stamped = activities.map((a, i) => stamp(a, current.next + i));
      const next: StoredHistory = {
        activities: [...current.activities, ...stamped].slice(-HISTORY_LIMIT),
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

  private async close(conversationId: string): Promise<boolean> {
    if ((await this.load(conversationId)).eTag === undefined) return false;
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

  private async load(conversationId: string): Promise<StoredHistory> {
    const key = keyOf(conversationId);
    const found = (await this.storage.read([key]))[key] as StoredHistory | undefined;
    return found ?? { activities: [], next: 1 };
  }
}

function keyOf(conversationId: string): string {
  return `webchat/history/${conversationId}`;
}

function closedKeyOf(conversationId: string): string {
  return `webchat/closed/${conversationId}`;
}
