import type { OutboxMessage } from '../../model/schema.js';
import { SECRET_TEMPLATES } from '../../notify/notifier.js';

export const isSecret = (message: Pick<OutboxMessage, 'template'>) => SECRET_TEMPLATES.has(message.template);

/**
 * The texts of this process's one-time-code messages, by message id: the database holds them
 * blank, so a code never rests on its disks or in its backups. Only this process can deliver
 * them; if it dies first, another instance parks the message (outboxDispatcher's LOST_SECRET).
 */
export class SecretTexts {
  private readonly texts = new Map<string, string>();

  /** The text to hand out for a message whose row holds `stored`. */
  textOf(id: string, stored: string): string {
    return this.texts.get(id) ?? stored;
  }

  ids(): string[] {
    return [...this.texts.keys()];
  }

  get size(): number {
    return this.texts.size;
  }

  /** What a committed transaction put: a pending code's text is kept, a delivered or parked one's dropped. */
  apply(changes: ReadonlyMap<string, string | null>): void {
    for (const [id, text] of changes) {
      if (text === null) this.texts.delete(id);
      else this.texts.set(id, text);
    }
  }
}

/** How putting `message` changes the texts kept: a pending code's text is kept, once done it is forgotten. */
export function secretChange(message: OutboxMessage): string | null | undefined {
  if (!isSecret(message)) return undefined;
  if (message.status !== 'pending') return null;
  return message.text === '' ? undefined : message.text;
}
