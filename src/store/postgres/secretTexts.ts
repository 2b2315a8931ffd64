import type { OutboxMessage } from '../../model/schema.js';
import { SECRET_TEMPLATES } from '../../notify/notifier.js';

export const isSecret = (message: Pick<OutboxMessage, 'template'>) => SECRET_TEMPLATES.has(message.template);

/**
 * The texts of this process's one-time-code messages, by message id: the database holds them
 * blank, so a code never rests on its disks or in its backups. Only this process can deliver
 * them; if it dies first, another instance parks the message (outboxDispatcher's LOST_SECRET).
 */
export class SecretTexts {
  private readonly texts = new Map<string, { text: string; atMs: number }>();

  /** The text to hand out for a message whose row holds `stored`. */
  textOf(id: string, stored: string): string {
    return this.texts.get(id)?.text ?? stored;
  }

  /**
   * Forgets codes written before `cutoffMs`: they have expired, and another instance may take
   * their messages by now (PostgresRepository's secretGraceMs), so the text is of no more use.
   */
  forgetBefore(cutoffMs: number): void {
    for (const [id, { atMs }] of this.texts) if (atMs < cutoffMs) this.texts.delete(id);
  }

  ids(): string[] {
    return [...this.texts.keys()];
  }

  get size(): number {
    return this.texts.size;
  }

  /** What a committed transaction put: a pending code's text is kept, a delivered or parked one's dropped. */
  apply(changes: ReadonlyMap<string, { text: string; at: string } | null>): void {
    for (const [id, kept] of changes) {
      if (kept === null) this.texts.delete(id);
      else this.texts.set(id, { text: kept.text, atMs: Date.parse(kept.at) });
    }
  }
}

/** How putting `message` changes the texts kept: a pending code's text is kept, once done it is forgotten. */
export function secretChange(message: OutboxMessage): { text: string; at: string } | null | undefined {
  if (!isSecret(message)) return undefined;
  if (message.status !== 'pending') return null;
  return message.text === '' ? undefined : { text: message.text, at: message.at };
}
